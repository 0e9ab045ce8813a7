package weft.cli.runner;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import weft.connection.Connection;
import weft.host.Host;
import weft.multiformats.Multiaddr;
import weft.protocol.perf.Perf;

/**
 * {@code weft interop perf}: the perf test app of unified-testing ({@code docs/write-a-perf-test-app.md}),
 * configured by the unified variables of {@link Convention#UNIFIED} plus the dialer's {@code UPLOAD_BYTES},
 * {@code DOWNLOAD_BYTES}, {@code UPLOAD_ITERATIONS}, {@code DOWNLOAD_ITERATIONS} and {@code LATENCY_ITERATIONS}.
 *
 * <p>The listener serves {@code /perf/1.0.0} and {@code SET}s its multiaddr under {@code <TEST_KEY>_listener_multiaddr}
 * (a plain value here, where the transport tests use a list: the go, js and rust perf apps all {@code SET} and poll
 * with {@code GET}). The dialer connects once, then times each iteration on a fresh perf stream, stream
 * negotiation included: uploads of {@code UPLOAD_BYTES} and downloads of {@code DOWNLOAD_BYTES} (in Gbit/s,
 * {@code bytes * 8 / seconds / 1e9}), then "latency": 1 byte each way (in ms). It prints one {@link Summary} block
 * per measurement, {@code upload}, {@code download}, {@code latency}, and exits 0.
 */
@Command(name = "perf", mixinStandardHelpOptions = true,
        description = {"The unified-testing perf test app (/perf/1.0.0), configured by environment variables: the "
                + "unified ones plus UPLOAD_BYTES, DOWNLOAD_BYTES, UPLOAD_ITERATIONS, DOWNLOAD_ITERATIONS, "
                + "LATENCY_ITERATIONS."})
final class InteropPerfCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(InteropPerfCommand.class);

    /** The doc's defaults: "1,073,741,824 bytes (i.e. 1 GiB ...). The default number of iterations is 10." */
    static final long DEFAULT_BYTES = 1L << 30;
    static final long DEFAULT_ITERATIONS = 10;
    /** "The default number of iterations for a latency test is 100." */
    static final long DEFAULT_LATENCY_ITERATIONS = 100;
    /** Between two {@code GET}s while the listener has not published yet. */
    static final Duration POLL_EVERY = Duration.ofMillis(100);

    @Spec
    CommandSpec spec;

    /** Where the runner's variables come from: the process environment (tests run the command in-process). */
    Map<String, String> env = System.getenv();

    /** What the dialer measures. */
    record Plan(long uploadBytes, long downloadBytes, long uploadIterations, long downloadIterations,
            long latencyIterations) {
        static Plan read(Map<String, String> env) throws RunnerSettings.SettingsException {
            return new Plan(
                    or(RunnerSettings.number(env, "UPLOAD_BYTES"), DEFAULT_BYTES),
                    or(RunnerSettings.number(env, "DOWNLOAD_BYTES"), DEFAULT_BYTES),
                    or(RunnerSettings.number(env, "UPLOAD_ITERATIONS"), DEFAULT_ITERATIONS),
                    or(RunnerSettings.number(env, "DOWNLOAD_ITERATIONS"), DEFAULT_ITERATIONS),
                    or(RunnerSettings.number(env, "LATENCY_ITERATIONS"), DEFAULT_LATENCY_ITERATIONS));
        }

        private static long or(Long value, long fallback) {
            return value == null ? fallback : value;
        }
    }

    @Override
    public Integer call() throws Exception {
        RunnerSettings settings = RunnerSettings.read(Convention.UNIFIED, env);
        TestApp.debugLogging(settings.debug());
        PrintWriter err = spec.commandLine().getErr();
        if (!settings.dialer()) {
            listen(settings, err);
            return 0;
        }
        Plan plan = Plan.read(env);
        log.debug("interop perf: {} {}", settings, plan);
        dial(settings, plan, spec.commandLine().getOut(), err);
        return 0;
    }

    private static void listen(RunnerSettings settings, PrintWriter err) throws Exception {
        Host host = TestApp.start(settings, true);
        Multiaddr address = TestApp.advertised(host.addresses());
        err.println("weft interop perf: listening on " + address + " (" + settings.stack() + "), publishing under "
                + settings.listenerKey());
        err.flush();
        try (RedisClient redis = RedisClient.connect(settings.redisAddress(), settings.dialerPatience())) {
            redis.set(settings.listenerKey(), address.toString());
        } catch (Exception e) {
            host.close();
            throw e;
        }
        TestApp.serve(host, settings.timeout());
    }

    private static void dial(RunnerSettings settings, Plan plan, PrintWriter out, PrintWriter err) throws Exception {
        try (Host host = TestApp.start(settings, false)) {
            Multiaddr target;
            try (RedisClient redis = RedisClient.connect(settings.redisAddress(), settings.dialerPatience())) {
                target = Multiaddr.parse(TestApp.pollValue(redis, settings.listenerKey(), settings.dialerPatience(),
                        POLL_EVERY));
            }
            err.println("weft interop perf: dialing " + target + " (" + settings.stack() + ")");
            err.flush();
            Connection connection = host.connect(target);
            StringBuilder report = new StringBuilder();
            if (plan.uploadIterations() > 0) {
                report.append(Summary.of(measure(host, connection, plan.uploadBytes(), 0, plan.uploadIterations(),
                        false, err)).yaml("upload", 2, "Gbps"));
            }
            if (plan.downloadIterations() > 0) {
                report.append(Summary.of(measure(host, connection, 0, plan.downloadBytes(), plan.downloadIterations(),
                        false, err)).yaml("download", 2, "Gbps"));
            }
            if (plan.latencyIterations() > 0) {
                report.append(Summary.of(measure(host, connection, 1, 1, plan.latencyIterations(), true, err))
                        .yaml("latency", 3, "ms"));
            }
            out.print(report);
            out.flush();
        }
    }

    /**
     * Runs {@code iterations} perf streams of {@code up} and {@code down} bytes; each sample is Gbit/s of the
     * larger direction, or milliseconds for the 1-byte latency runs.
     */
    private static double[] measure(Host host, Connection connection, long up, long down, long iterations,
            boolean latency, PrintWriter err) throws Exception {
        double[] samples = new double[Math.toIntExact(iterations)];
        for (int i = 0; i < samples.length; i++) {
            long start = System.nanoTime();
            Perf.run(host.newStream(connection, Perf.PROTOCOL_ID), up, down, Perf.Progress.NONE);
            double seconds = (System.nanoTime() - start) / 1e9;
            samples[i] = latency ? seconds * 1e3 : Math.max(up, down) * 8 / seconds / 1e9;
            log.debug("interop perf: {} up {} down: {}", up, down, samples[i]);
        }
        err.println("weft interop perf: " + iterations + " x (" + up + " up, " + down + " down) done");
        err.flush();
        return samples;
    }
}
