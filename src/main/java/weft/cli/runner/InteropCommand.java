package weft.cli.runner;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import weft.connection.Connection;
import weft.host.Host;
import weft.host.HostStream;
import weft.multiformats.Multiaddr;
import weft.protocol.ping.Ping;

/**
 * {@code weft interop}: the transport test app of the libp2p interop runners, configured by environment variables
 * only (see {@link Convention}). The listener publishes its multiaddr in Redis and serves; the dialer takes it,
 * connects, pings once, prints the latency report on stdout and exits 0. Every failure exits non-zero with one
 * {@code weft: <what>} line on stderr: an unsupported stack, a missing variable, an unreachable Redis or peer.
 *
 * <p>The dialer follows test-plans {@code transport-interop/README.md}, "Dialer" steps 3 to 8: take the address,
 * record the instant, connect, ping "and record the round trip duration as pingRTT", and report the time since the
 * instant as handshakePlusOneRTT (here it includes identify, which {@link Host#connect} waits for as go-libp2p's
 * {@code Connect} does).
 */
@Command(name = "interop", mixinStandardHelpOptions = true,
        description = {"The libp2p interop runners' transport test app (test-plans transport-interop and "
                + "unified-testing), configured by environment variables; see src/test/interop/runner/README.md.",
            "Legacy: is_dialer, transport, security, muxer, ip, redis_addr, test_timeout_seconds.",
            "Unified: IS_DIALER, TRANSPORT, SECURE_CHANNEL, MUXER, LISTENER_IP, REDIS_ADDR, TEST_KEY, DEBUG."},
        subcommands = InteropPerfCommand.class)
public final class InteropCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(InteropCommand.class);

    @Option(names = "--convention", paramLabel = "legacy|unified",
            description = "Which runner's variables to read (default: unified if IS_DIALER is set, else legacy if "
                    + "is_dialer is).")
    String convention;

    @Option(names = "--list", description = "Print the transports, secure channels and muxers this build supports, "
            + "as images.yaml lines, and exit.")
    boolean list;

    @Spec
    CommandSpec spec;

    /** Where the runner's variables come from: the process environment (tests run the command in-process). */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            Stacks.imagesYaml().forEach(out::println);
            out.flush();
            return 0;
        }
        RunnerSettings settings = RunnerSettings.read(convention(env), env);
        TestApp.debugLogging(settings.debug());
        log.debug("interop: {}", settings);
        PrintWriter err = spec.commandLine().getErr();
        if (settings.dialer()) {
            dial(settings, out, err);
        } else {
            listen(settings, err);
        }
        return 0;
    }

    private Convention convention(Map<String, String> env) {
        if (convention != null) {
            return switch (convention) {
                case "legacy" -> Convention.LEGACY;
                case "unified" -> Convention.UNIFIED;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--convention is legacy or unified, not \"" + convention + "\"");
            };
        }
        return Convention.detect(env).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "interop: neither IS_DIALER (unified-testing) nor is_dialer (test-plans transport-interop) is set"));
    }

    private static void listen(RunnerSettings settings, PrintWriter err) throws Exception {
        Host host = TestApp.start(settings, false);
        Multiaddr address = TestApp.advertised(host.addresses());
        err.println("weft interop: listening on " + address + " (" + settings.stack() + "), publishing under "
                + settings.listenerKey());
        err.flush();
        try (RedisClient redis = RedisClient.connect(settings.redisAddress(), settings.dialerPatience())) {
            if (settings.convention() == Convention.UNIFIED) {
                redis.del(settings.listenerKey()); // a stale address of an earlier run must not be taken
            }
            redis.rpush(settings.listenerKey(), address.toString());
        } catch (Exception e) {
            host.close();
            throw e;
        }
        TestApp.serve(host, settings.timeout());
    }

    private static void dial(RunnerSettings settings, PrintWriter out, PrintWriter err) throws Exception {
        try (Host host = TestApp.start(settings, false)) {
            Multiaddr target;
            try (RedisClient redis = RedisClient.connect(settings.redisAddress(), settings.dialerPatience())) {
                target = Multiaddr.parse(redis.blpop(settings.listenerKey(), settings.dialerPatience())
                        .orElseThrow(() -> new TimeoutException("interop: no listener address under "
                                + settings.listenerKey() + " after " + settings.dialerPatience().toSeconds() + " s")));
            }
            err.println("weft interop: dialing " + target + " (" + settings.stack() + ")");
            err.flush();
            long start = System.nanoTime();
            Connection connection = host.connect(target);
            HostStream stream = host.newStream(connection, Ping.PROTOCOL_ID);
            Duration rtt = Ping.ping(stream);
            long handshakePlusOneRtt = System.nanoTime() - start;
            stream.closeWrite();
            out.println(settings.convention().latencyReport(handshakePlusOneRtt / 1e6, rtt.toNanos() / 1e6));
            out.flush();
        }
    }
}
