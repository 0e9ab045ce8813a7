package weft.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import weft.multiformats.Multiaddr;

/**
 * The js-libp2p peer of {@code src/test/interop/js/peer.mjs}, run with Node: a listener process, or one dialer
 * run per scenario. See that folder's README for the scenarios and the JSON lines it prints.
 */
final class JsPeer implements AutoCloseable {
    static final Path DIR = Path.of("src", "test", "interop", "js");
    /** The QUIC peer ({@code @chainsafe/libp2p-quic}): its own npm package, same command line. */
    static final Path QUIC_DIR = Path.of("src", "test", "interop", "js-quic");
    /** The WebRTC-direct peers' package: {@code dial.mjs} (js dials weft) and {@code listen.mjs} (weft dials js). */
    static final Path WEBRTC_DIR = Path.of("src", "test", "interop", "js-webrtc");
    private static final Pattern MULTIADDR = Pattern.compile("\"multiaddrs\":\\[\"([^\"]+)\"");
    /** Bounds a dialer run so that a hang fails the test instead of the build. Not a timing assertion. */
    private static final long RUN_LIMIT_SECONDS = 100;
    /**
     * The js-libp2p log namespaces written to the long-lived peers' logs: the connection monitor, which pings every
     * connection each 10 s and aborts one whose ping takes longer than its adaptive timeout (5 s at least).
     */
    private static final String DEBUG = "libp2p:connection-monitor*";
    /** Node's stderr (js-libp2p's logs) goes to files here, never to the test JVM's own streams. */
    private static final Path LOGS = Path.of("target", "interop-logs");

    private final Process process;
    private final Multiaddr address;

    private JsPeer(Process process, Multiaddr address) {
        this.process = process;
        this.address = address;
    }

    /** Fails with the install command when the peer's packages are missing. */
    static void requireInstalled() {
        requireInstalled(DIR);
    }

    private static void requireInstalled(Path dir) {
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            throw new IllegalStateException("interop: js-libp2p is not installed; run `npm ci --prefix " + dir
                    + "` (Node 20+), as .ci/install does");
        }
    }

    /** Where the peer lives: the QUIC package, or the TCP/WebSocket one. */
    private static Path dir(boolean quic) {
        return quic ? QUIC_DIR : DIR;
    }

    /** Starts {@code node peer.mjs listen} and waits for the line with its multiaddr. */
    static JsPeer listen(boolean earlyMuxer) throws IOException {
        return listen(earlyMuxer, "tcp");
    }

    /**
     * Starts {@code node peer.mjs listen --transport <transport>} ({@code tcp}, or {@code ws} to listen on
     * {@code /ip4/127.0.0.1/tcp/0/ws}; {@code quic}: the QUIC peer on {@code /ip4/127.0.0.1/udp/0/quic-v1}) and waits
     * for the line with its multiaddr.
     */
    static JsPeer listen(boolean earlyMuxer, String transport) throws IOException {
        if (transport.equals("quic")) {
            return listen(QUIC_DIR, "quic", List.of());
        }
        String name = (transport.equals("tcp") ? "" : transport + "-") + (earlyMuxer ? "early" : "no-early");
        return listen(name, earlyMuxer ? List.of("--transport", transport)
                : List.of("--transport", transport, "--no-early-muxer"));
    }

    /**
     * Starts {@code node peer.mjs listen <options>} (e.g. {@code --transport ws --security tls --muxer mplex}) and
     * waits for the line with its multiaddr; its log goes to {@code js-listener-<name>.log}.
     */
    static JsPeer listen(String name, List<String> options) throws IOException {
        return listen(DIR, name, options);
    }

    private static JsPeer listen(Path dir, String name, List<String> options) throws IOException {
        return listen(dir, name, List.of("node", "peer.mjs", "listen", "--until-stdin-closes"), options);
    }

    /**
     * Starts {@code node listen.mjs} of the WebRTC package ({@code src/test/interop/js-webrtc}): js-libp2p's
     * webrtc-direct listener in Node on {@code /ip4/127.0.0.1/udp/0/webrtc-direct}; its log goes to
     * {@code js-listener-webrtc-direct.log}.
     */
    static JsPeer listenWebRtcDirect() throws IOException {
        return listen(WEBRTC_DIR, "webrtc-direct", List.of("node", "listen.mjs", "--until-stdin-closes"), List.of());
    }

    private static JsPeer listen(Path dir, String name, List<String> start, List<String> options) throws IOException {
        requireInstalled(dir);
        List<String> command = new ArrayList<>(start);
        command.addAll(options);
        Process process = startLogging(dir, command, "js-listener-" + name + ".log");
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = line == null ? null : MULTIADDR.matcher(line);
        if (m == null || !m.find()) {
            process.destroyForcibly();
            throw new IOException("interop: js listener printed no multiaddr (" + line + ")");
        }
        return new JsPeer(process, Multiaddr.parse(m.group(1)));
    }

    /** Starts a long-lived peer in {@code dir}, its stderr with {@link #DEBUG}'s logs going to {@code LOGS/<log>}. */
    private static Process startLogging(Path dir, List<String> command, String log) throws IOException {
        Files.createDirectories(LOGS);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectError(LOGS.resolve(log).toFile());
        builder.environment().put("DEBUG", DEBUG);
        return builder.start();
    }

    /** Closes the process's stdin (a long-lived peer exits on that), then makes sure it is gone. */
    private static void stop(Process process) throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The listener's address, with {@code /p2p/<id>}. */
    Multiaddr address() {
        return address;
    }

    /** The result of {@code node peer.mjs dial ...}: its exit code and its JSON result line. */
    record Run(int exitCode, String json, String log) {
        boolean ok() {
            return exitCode == 0 && json.contains("\"ok\":true");
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ": " + json + (ok() ? "" : "\n" + log);
        }

        /** A string field of the JSON line, or null (enough JSON for these tests: no escapes in our values). */
        String field(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(json);
            return m.find() ? m.group(1) : null;
        }

        /** Every value of a string field, in order of appearance. */
        List<String> strings(String name) {
            List<String> values = new ArrayList<>();
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(json);
            while (m.find()) {
                values.add(m.group(1));
            }
            return values;
        }

        /** A number field of the JSON line, or NaN (a perf rate, for the record). */
        double number(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":([0-9.eE+-]+)").matcher(json);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }
    }

    /** Runs one scenario of the js dialer against {@code target}. */
    static Run dial(Multiaddr target, boolean earlyMuxer, String scenario, String... options)
            throws IOException, InterruptedException {
        boolean quic = target.toString().contains("/quic-v1");
        requireInstalled(dir(quic));
        List<String> command = new ArrayList<>(List.of("node", "peer.mjs", "dial", target.toString(), scenario));
        command.addAll(List.of(options));
        if (!earlyMuxer && !quic) {
            command.add("--no-early-muxer");
        }
        return run(dir(quic), command, RUN_LIMIT_SECONDS);
    }

    /**
     * Runs {@code command} in {@code dir} to its end (at most {@code limitSeconds}): a node script that prints one
     * JSON result line. The process and whatever it started (a browser's processes) are killed when it overruns or
     * the waiting thread is interrupted (JUnit's own timeout).
     */
    static Run run(Path dir, List<String> command, long limitSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile("weft-js-run", ".json");
        Path log = Files.createTempFile("weft-js-run", ".log");
        Process process = null;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(log.toFile()).redirectOutput(output.toFile()).start();
            if (!process.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                throw new IOException("interop: still running after " + limitSeconds + " s: " + command + "\n"
                        + Files.readString(log));
            }
            return new Run(process.exitValue(), Files.readString(output).trim(), Files.readString(log));
        } finally {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            Files.deleteIfExists(output);
            Files.deleteIfExists(log);
        }
    }

    /**
     * Starts {@code node peer.mjs dial <target> <scenario> ...} and returns at once: for a test that kills the dialer
     * while it runs. Its output goes to {@code js-dialer-<scenario>.log}.
     */
    static Process start(Multiaddr target, String scenario, String... options) throws IOException {
        boolean quic = target.toString().contains("/quic-v1");
        requireInstalled(dir(quic));
        List<String> command = new ArrayList<>(List.of("node", "peer.mjs", "dial", target.toString(), scenario));
        command.addAll(List.of(options));
        Files.createDirectories(LOGS);
        return new ProcessBuilder(command)
                .directory(dir(quic).toFile())
                .redirectErrorStream(true)
                .redirectOutput(LOGS.resolve("js-dialer-" + scenario + ".log").toFile())
                .start();
    }

    /**
     * A js dialer that stays up: {@code node peer.mjs session <target> <options>} dials once, then runs each
     * scenario it is sent on that connection and answers with its result line. Its log goes to
     * {@code js-session-<name>.log}.
     */
    static final class Session implements AutoCloseable {
        private final Process process;
        private final BufferedReader results;
        private final java.io.Writer commands;
        private final String connected;

        private Session(Process process) throws IOException {
            this.process = process;
            this.results = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String line = results.readLine();
            this.connected = line == null ? "" : line.trim();
        }

        static Session dial(String name, Multiaddr target, List<String> options) throws IOException {
            requireInstalled();
            List<String> command = new ArrayList<>(List.of("node", "peer.mjs", "session", target.toString()));
            command.addAll(options);
            return new Session(startLogging(DIR, command, "js-session-" + name + ".log"));
        }

        /** The first line: {@code {"connected":true,...,"encryption":...,"multiplexer":...,"earlyMuxer":...}}. */
        Run connected() {
            boolean ok = connected.contains("\"connected\":true");
            return new Run(ok ? 0 : 1, connected.replace("\"connected\"", "\"ok\""), "");
        }

        /**
         * Runs one scenario and returns its result line (the test's timeout bounds a hang). The log is not in the
         * run: it is the session's file.
         */
        Run run(String scenario, String... options) throws IOException {
            commands.write(scenario + (options.length == 0 ? "" : " " + String.join(" ", options)) + "\n");
            commands.flush();
            String line = results.readLine();
            if (line == null) {
                throw new IOException("interop: js session ended before answering " + scenario);
            }
            return new Run(0, line.trim(), "(see the session log in " + LOGS + ")");
        }

        /** Closes its stdin (the session ends on that), then makes sure it is gone. */
        @Override
        public void close() throws IOException, InterruptedException {
            stop(process);
        }
    }

    /** Closes the listener's stdin (it exits on that), then makes sure it is gone. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop(process);
    }
}
