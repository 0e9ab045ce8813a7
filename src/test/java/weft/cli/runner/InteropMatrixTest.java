package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import weft.multiformats.Multiaddr;

/**
 * Every stack {@link Stacks} supports, in both conventions, and the perf app over each: listener and dialer are the
 * real commands with a runner's variables, run in this JVM (the listener on a thread of its own) against a real
 * redis-server over real sockets. {@link InteropRunnerTest} runs a cross-section as separate processes.
 */
class InteropMatrixTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+) ");
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    static Stream<Arguments> pairs() {
        return Stacks.supported().stream()
                .flatMap(stack -> Stream.of(Convention.values()).map(convention -> Arguments.of(convention, stack)));
    }

    /** A command run in this JVM: its exit code (once it ended) and what it printed. */
    static final class App {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final AtomicInteger exit = new AtomicInteger(-1);
        final CommandLine cli;

        App(Callable<Integer> command) {
            cli = new CommandLine(command);
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
        }

        App run() {
            exit.set(cli.execute());
            return this;
        }

        /** Runs it on a thread of its own: a listener, which serves until {@link Listening#close()} interrupts it. */
        Listening start() {
            return new Listening(this, Thread.ofVirtual().name("runner-listener").start(this::run));
        }

        @Override
        public String toString() {
            return "exit " + exit.get() + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    record Listening(App app, Thread thread) implements AutoCloseable {
        Multiaddr published() {
            Matcher m = LISTENING.matcher(app.err.toString());
            assertTrue(m.find(), app.toString());
            return Multiaddr.parse(m.group(1));
        }

        /** Interrupts the serving thread (the host closes) and waits for it, bounded. */
        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            if (!thread.join(Duration.ofSeconds(20))) {
                throw new AssertionError("the listener did not stop\n" + app);
            }
        }
    }

    static App interop(Map<String, String> env) {
        InteropCommand command = new InteropCommand();
        command.env = env;
        return new App(command);
    }

    static App perf(Map<String, String> env) {
        InteropPerfCommand command = new InteropPerfCommand();
        command.env = env;
        return new App(command);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pairs")
    void listenerAndDialerMeetThroughRedisAndTheDialerReportsItsLatency(Convention convention, Stacks.Stack stack)
            throws Exception {
        String key = RunnerApp.testKey();
        try (Listening listener = interop(RunnerApp.env(convention, stack, false, key, redis.address())).start()) {
            App dialer = interop(RunnerApp.env(convention, stack, true, key, redis.address())).run();
            assertEquals(0, dialer.exit.get(), dialer + "\nlistener: " + listener.app());
            Reports.latency(convention, dialer.out.toString());
            assertTrue(dialer.err.toString().contains("dialing " + listener.published()), dialer.toString());
            assertTrue(listener.thread().isAlive(), "the listener serves until it is stopped\n" + listener.app());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weft.cli.runner.StacksTest#supported")
    void perfDialerPrintsUploadDownloadAndLatencySummaries(Stacks.Stack stack) throws Exception {
        String key = RunnerApp.testKey();
        try (Listening listener = perf(RunnerApp.env(Convention.UNIFIED, stack, false, key, redis.address())).start()) {
            Map<String, String> env = RunnerApp.env(Convention.UNIFIED, stack, true, key, redis.address());
            env.putAll(Map.of("UPLOAD_BYTES", "131072", "DOWNLOAD_BYTES", "262144", "UPLOAD_ITERATIONS", "2",
                    "DOWNLOAD_ITERATIONS", "3", "LATENCY_ITERATIONS", "4"));
            App dialer = perf(env).run();
            assertEquals(0, dialer.exit.get(), dialer + "\nlistener: " + listener.app());
            Map<String, Map<String, String>> blocks = Reports.perf(dialer.out.toString());
            Reports.check(blocks.get("upload"), 2, "Gbps");
            Reports.check(blocks.get("download"), 3, "Gbps");
            Reports.check(blocks.get("latency"), 4, "ms");
            assertTrue(dialer.err.toString().contains("dialing " + listener.published()), dialer.toString());
        }
    }
}
