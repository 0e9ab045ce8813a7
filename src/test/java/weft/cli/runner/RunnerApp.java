package weft.cli.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import weft.multiformats.Multiaddr;

/**
 * A test app as a runner starts it: a JVM of its own running {@code weft interop ...} (the CLI's main class on this
 * build's classpath: the shaded jar does not exist yet when Maven runs the tests), with nothing in its environment
 * but {@code PATH} and the runner's variables. Its stdout is the result; its stderr (the logs) is kept under
 * {@code target/interop-logs/}.
 */
final class RunnerApp {
    static final Path LOGS = Path.of("target", "interop-logs");
    /** Where the js-libp2p interop peer and its runner-convention twin live, with their node_modules. */
    static final Path JS = Path.of("src", "test", "interop", "js");
    /** Bounds one dialer run so that a hang fails the test instead of the build. Not a timing assertion. */
    static final long RUN_LIMIT_SECONDS = 50;
    /** Quick to start: these JVMs live for a handshake and a few pings. */
    private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
            "--enable-native-access=ALL-UNNAMED");
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+) ");

    private static final java.util.concurrent.atomic.AtomicInteger TESTS = new java.util.concurrent.atomic.AtomicInteger();

    private RunnerApp() {}

    /** The variables each runner sets (test-plans generator.ts buildSpec; unified generate_modern_env_vars). */
    static Map<String, String> env(Convention convention, Stacks.Stack stack, boolean dialer, String testKey,
            String redisAddress) {
        Map<String, String> env = new HashMap<>();
        env.put(convention.isDialer, Boolean.toString(dialer));
        env.put(convention.redisAddr, redisAddress);
        env.put(convention.transport, stack.transport());
        env.put(convention.listenIp, "0.0.0.0");
        if (stack.security() != null) {
            env.put(convention.security, stack.security());
            env.put(convention.muxer, stack.muxer());
        }
        if (convention == Convention.UNIFIED) {
            env.put(convention.testKey, testKey);
            env.put(convention.debug, "false");
        } else {
            env.put("version", "weft-dev");
            env.put(convention.timeout, "60"); // a listener the test forgets dies on its own
        }
        return env;
    }

    /** A fresh 8-hex-digit {@code TEST_KEY}, as unified-testing derives one from each test's name. */
    static String testKey() {
        return String.format("%08x", 0x7e57_0000 + TESTS.incrementAndGet());
    }

    /** What a finished app left. */
    record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** A listener that runs until {@link #close()}; its stderr goes to a log file. */
    static final class Listener implements AutoCloseable {
        private final Process process;
        private final Path log;

        private Listener(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /** The address it logged before publishing it (so it is there once a dialer could have taken it). */
        Multiaddr published() throws IOException {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (!m.find()) {
                throw new AssertionError("the listener logged no address:\n" + Files.readString(log));
            }
            return Multiaddr.parse(m.group(1));
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** Waits for it to end on its own (bounded), for tests of a listener's exit. */
        Run awaitExit() throws IOException, InterruptedException {
            if (!process.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("listener still running after " + RUN_LIMIT_SECONDS + " s");
            }
            return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes()), Files.readString(log));
        }

        /** Stops it as docker compose does (SIGTERM), then makes sure it is gone. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static Listener listen(String name, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return listen(name, builder(env, args));
    }

    /** Runs an app to its end (a dialer, or one that fails early) and returns what it printed. */
    static Run run(String name, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(name, builder(env, args));
    }

    /** The js-libp2p app {@code src/test/interop/js/runner.mjs} as a listener. */
    static Listener listenJs(String name, Map<String, String> env) throws IOException {
        return listen(name, jsBuilder(env));
    }

    /** The js-libp2p app {@code src/test/interop/js/runner.mjs}, run to its end. */
    static Run runJs(String name, Map<String, String> env) throws IOException, InterruptedException {
        return run(name, jsBuilder(env));
    }

    private static Listener listen(String name, ProcessBuilder builder) throws IOException {
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve("runner-" + name + "-listener.log");
        Process process = builder.redirectError(log.toFile()).start();
        return new Listener(process, log);
    }

    private static Run run(String name, ProcessBuilder builder) throws IOException, InterruptedException {
        Files.createDirectories(LOGS);
        Path out = Files.createTempFile("weft-runner", ".out");
        Path err = LOGS.resolve("runner-" + name + ".log");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(name + " still running after " + RUN_LIMIT_SECONDS + " s:\n"
                        + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static List<String> java(List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "weft.cli.Main"));
        return command;
    }

    private static ProcessBuilder builder(Map<String, String> env, String... args) {
        List<String> command = java(List.of());
        command.addAll(List.of(args));
        return withOnly(new ProcessBuilder(command), env);
    }

    private static ProcessBuilder jsBuilder(Map<String, String> env) {
        if (!Files.isDirectory(JS.resolve("node_modules"))) {
            throw new IllegalStateException("interop: js-libp2p is not installed; run `npm ci --prefix " + JS
                    + "` (Node 20+), as .ci/install does");
        }
        return withOnly(new ProcessBuilder("node", "runner.mjs").directory(JS.toFile()), env);
    }

    /** The runner's variables and {@code PATH}, nothing of the test JVM's environment. */
    private static ProcessBuilder withOnly(ProcessBuilder builder, Map<String, String> env) {
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        return builder;
    }
}
