package weft.bench.e2e;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import weft.bench.Results;

/**
 * The end-to-end rows of issue 6 (items 2 to 6), each implementation as its real program on loopback
 * tcp/noise/yamux: weft as the {@code weft} CLI ({@code target/weft.jar}, {@code weft perf}) and js-libp2p as the
 * interop peer ({@code src/test/interop/js/peer.mjs}). Starts one weft listener ({@code weft perf --listen}) and one
 * js listener ({@code peer.mjs listen}), both serving perf and ping, then:
 *
 * <ol>
 *   <li>perf, {@code bytes} up and {@code bytes} down in separate runs, for each pair dialer → listener: weft → weft,
 *       js → js, weft → js, js → weft; each run is a fresh dialer process ({@code weft perf --dial ...} or
 *       {@code peer.mjs dial ... perf}), whose own transfer time is used: from the stream's first byte to the
 *       server's end of stream, process start, dial and handshake excluded, the JIT's warm-up included for both
 *       (each is a fresh process). One uncounted 64 MiB warm-up per listener first; then {@code runs} rounds,
 *       each running every pair once in the same order, so that all pairs see the same load. Every pair moves
 *       {@code bytes}; {@code js-js-bytes} can make js → js smaller. The js peers run with
 *       {@code --keep-on-ping-failure}: between two js-libp2p nodes the connection monitor's ping fails now and
 *       then during a long transfer, and by default the monitor then aborts the connection (and the transfer).
 *       A run that fails anyway is counted as failed, not in the median.
 *   <li>latency, for each pair: {@link Latency} (weft) or {@code bench/js/latency.mjs} (js) as the dialer:
 *       connection establishment + 1-byte round trip over {@code connections} new connections after
 *       {@code warmup} uncounted ones (for a weft dialer
 *       also without waiting for identify, {@code connect_noidwait_...}: js's dial does not wait), and ping RTT
 *       over {@code pings} pings on one connection.
 * </ol>
 * Prints {@code RESULT} lines: {@code perf_<dialer>_<listener>_upload|download} (GB/s), {@code connect_<d>_<l>},
 * {@code connect_noidwait_weft_<l>} and
 * {@code ping_<d>_<l>} (ms), each name followed by {@code --suffix} if given. {@code --pairs} picks the pairs
 * ({@code weft_weft,js_js,weft_js,js_weft} by default). The children's stderr goes to {@code <logs>/}.
 *
 * <p>{@code --transport quic}: the same perf runs over QUIC v1 ({@code /udp/0/quic-v1}), js-libp2p being the QUIC
 * interop peer ({@code src/test/interop/js-quic/peer.mjs}, {@code @chainsafe/libp2p-quic}); results are named
 * {@code perf_quic_<dialer>_<listener>_upload|download}. Perf only (the latency clients speak TCP).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar weft.bench.e2e.EndToEnd --root . [--bytes 1073741824] [--js-js-bytes BYTES] [--runs 3]
 *     [--connections 100] [--warmup 200] [--pings 1000] [--logs DIR] [--weft-jvm-arg ARG]... [--only perf|latency]
 *     [--pairs weft_weft,js_js,weft_js,js_weft] [--suffix _jdkaead]
 * </pre>
 */
public final class EndToEnd {
    private static final Pattern WEFT_PERF = Pattern.compile("(upload|download): (\\d+) bytes in ([0-9.]+) s");
    private static final long WARMUP_BYTES = 64L << 20;
    /**
     * Warm-up connections per latency client: the steady state of both programs, not their JIT's first minutes.
     * Measured against one weft listener (load average 16-20, 100 connections, 50 ms apart): weft's median
     * connect + round trip was 7.6-9.8 ms after 20 warm-up connections, 4.5 ms after 200 and 4.2-5.7 ms after
     * 300; js-libp2p's 16.5 ms after 20 and 13.4 ms after 300.
     */
    private static final int DEFAULT_WARMUP = 200;

    private final Path root;
    private final String java;
    private final List<String> weftJvmArgs;
    private final File logs;
    private final String benchJar;
    /** Appended to every result name, e.g. {@code _jdkaead} for a run with {@code -Dweft.noise.aead=jdk}. */
    private final String suffix;
    private final List<String[]> pairs = new ArrayList<>();
    /** Uncounted connections each latency client makes first (and five times as many pings). */
    private final int warmup;
    /** {@code tcp} (tcp/noise/yamux) or {@code quic} (quic-v1). */
    private final String transport;

    private EndToEnd(Path root, String java, List<String> weftJvmArgs, File logs, String suffix, String pairList,
            String transport, int warmup) throws Exception {
        this.root = root;
        this.warmup = warmup;
        this.suffix = suffix;
        this.transport = transport;
        for (String pair : pairList.split(",")) {
            pairs.add(pair.strip().split("_"));
        }
        this.java = java;
        this.weftJvmArgs = weftJvmArgs;
        this.logs = logs;
        this.benchJar = Path.of(EndToEnd.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--weft-jvm-arg")) {
                jvmArgs.add(args[i + 1]);
            } else {
                options.put(args[i].substring(2), args[i + 1]);
            }
        }
        Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        String java = ProcessHandle.current().info().command().orElse("java");
        File logs = new File(options.getOrDefault("logs", root.resolve("bench/target/e2e-logs").toString()));
        logs.mkdirs();
        long bytes = Long.parseLong(options.getOrDefault("bytes", String.valueOf(1L << 30)));
        String transport = options.getOrDefault("transport", "tcp");
        if (!transport.equals("tcp") && !transport.equals("quic")) {
            throw new IllegalArgumentException("e2e: --transport tcp|quic, not " + transport);
        }
        long jsJsBytes = Long.parseLong(options.getOrDefault("js-js-bytes", String.valueOf(bytes)));
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "100"));
        int pings = Integer.parseInt(options.getOrDefault("pings", "1000"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", String.valueOf(DEFAULT_WARMUP)));
        String only = transport.equals("quic") ? "perf" : options.getOrDefault("only", "all");
        System.out.printf(Locale.ROOT, "EndToEnd: %s, perf %d MiB x %d runs per pair and direction, %d connections"
                + " after %d warm-up ones, %d pings; weft JVM args %s; logs in %s%n", transport, bytes >> 20, runs,
                connections, warmup, pings, jvmArgs, logs);
        String pairList = options.getOrDefault("pairs", "weft_weft,js_js,weft_js,js_weft");
        new EndToEnd(root, java, jvmArgs, logs, options.getOrDefault("suffix", ""), pairList, transport, warmup)
                .run(bytes, Math.min(bytes, jsJsBytes), runs, connections, pings, only);
    }

    private void run(long bytes, long jsJsBytes, int runs, int connections, int pings, String only)
            throws Exception {
        Process weftListener = null;
        Process jsListener = null;
        try {
            weftListener = start("weft-listener", weft("perf", "--listen",
                    quic() ? "/ip4/127.0.0.1/udp/0/quic-v1" : "/ip4/127.0.0.1/tcp/0"));
            Map<String, String> listeners = new LinkedHashMap<>();
            listeners.put("weft", firstLine(weftListener, "/ip4/", "weft listener"));
            jsListener = start("js-listener", List.of("node", js("peer.mjs"), "listen", "--until-stdin-closes",
                    "--keep-on-ping-failure"));
            String jsLine = firstLine(jsListener, "{", "js listener");
            Matcher m = Pattern.compile("\"multiaddrs\":\\[\"([^\"]+)\"").matcher(jsLine);
            if (!m.find()) {
                throw new IOException("e2e: no multiaddr in the js listener's line " + jsLine);
            }
            listeners.put("js", m.group(1));
            System.out.println("listeners: " + listeners);
            if (!only.equals("latency")) {
                perf(listeners, bytes, jsJsBytes, runs);
            }
            if (!only.equals("perf")) {
                for (String[] pair : pairs) {
                    latency(pair[0], pair[1], listeners.get(pair[1]), connections, pings);
                }
            }
        } finally {
            stop(weftListener);
            stop(jsListener);
        }
    }

    private void perf(Map<String, String> listeners, long bytes, long jsJsBytes, int runs) throws Exception {
        for (String kind : List.of("weft", "js")) {
            perfRun(kind, listeners.get(kind), WARMUP_BYTES, true);
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, Integer> failed = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            for (String[] pair : pairs) {
                for (boolean upload : new boolean[] {true, false}) {
                    String name = "perf_" + (quic() ? "quic_" : "") + pair[0] + "_" + pair[1]
                            + (upload ? "_upload" : "_download") + suffix;
                    rates.putIfAbsent(name, new ArrayList<>());
                    failed.putIfAbsent(name, 0);
                    try {
                        boolean jsOnly = pair[0].equals("js") && pair[1].equals("js");
                        double rate = perfRun(pair[0], listeners.get(pair[1]), jsOnly ? jsJsBytes : bytes, upload);
                        rates.get(name).add(rate);
                        System.out.printf(Locale.ROOT, "  run %d %s: %.3f GB/s (%.2f Gbit/s)%n", run, name,
                                rate / 1e9, rate * 8 / 1e9);
                    } catch (IOException e) {
                        failed.merge(name, 1, Integer::sum);
                        System.out.printf(Locale.ROOT, "  run %d %s: FAILED %s%n", run, name, e.getMessage());
                    }
                }
            }
        }
        for (var entry : rates.entrySet()) {
            double[] values = entry.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            if (values.length == 0) {
                System.out.printf(Locale.ROOT, "RESULT name=%s unit=GB/s failed=%d%n", entry.getKey(),
                        failed.get(entry.getKey()));
            } else {
                Results.throughput(entry.getKey(), values, failed.get(entry.getKey()));
            }
        }
    }

    /** One perf run by a fresh dialer process; payload bytes per second of its transfer. */
    private double perfRun(String dialer, String target, long bytes, boolean upload) throws Exception {
        String up = String.valueOf(upload ? bytes : 0);
        String down = String.valueOf(upload ? 0 : bytes);
        long timeoutSeconds = 60 + bytes / (10L << 20);
        if (dialer.equals("weft")) {
            String out = runToEnd("weft-dialer", weft("perf", "--dial", target, "--upload-bytes", up,
                    "--download-bytes", down), timeoutSeconds);
            Matcher m = WEFT_PERF.matcher(out);
            if (!m.find() || Long.parseLong(m.group(2)) != bytes) {
                throw new IOException("weft perf printed no result for " + bytes + " bytes: " + out.strip());
            }
            return bytes / Double.parseDouble(m.group(3));
        }
        String out = runToEnd("js-dialer", List.of("node", js("peer.mjs"), "dial", target, "perf", "--upload-bytes",
                up, "--download-bytes", down, "--keep-on-ping-failure"), timeoutSeconds);
        if (!out.contains("\"ok\":true")) {
            throw new IOException("js perf failed: " + out.strip());
        }
        return bytes / number(out, "timeSeconds");
    }

    private void latency(String dialer, String listener, String target, int connections, int pings) throws Exception {
        List<String> command = dialer.equals("weft")
                ? javaCommand("-cp", benchJar, Latency.class.getName(), target, "" + connections, "" + pings,
                        "" + warmup)
                : List.of("node", root.resolve("bench/js/latency.mjs").toString(), target, "" + connections,
                        "" + pings, "" + warmup);
        String out;
        try {
            out = runToEnd(dialer + "-latency", command, 120 + warmup + connections);
        } catch (IOException e) {
            System.out.printf(Locale.ROOT, "  latency %s -> %s: FAILED %s%n", dialer, listener, e.getMessage());
            return;
        }
        Results.latency("connect_" + dialer + "_" + listener + suffix, array(out, "connectMillis"));
        if (dialer.equals("weft")) { // weft's Host.connect waits for identify; js's dial does not: both for weft
            Results.latency("connect_noidwait_" + dialer + "_" + listener + suffix,
                    array(out, "connectNoIdentifyWaitMillis"));
        }
        Results.latency("ping_" + dialer + "_" + listener + suffix, array(out, "pingMillis"));
    }

    /** The weft CLI: {@code java [weft JVM args] -jar target/weft.jar args...}. */
    private List<String> weft(String... args) {
        List<String> command = javaCommand("-jar", root.resolve("target/weft.jar").toString());
        command.addAll(List.of(args));
        return command;
    }

    /** {@code java [weft JVM args] args...}. */
    private List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(weftJvmArgs);
        command.addAll(List.of(args));
        return command;
    }

    private String js(String file) {
        return root.resolve(quic() ? "src/test/interop/js-quic" : "src/test/interop/js").resolve(file).toString();
    }

    private boolean quic() {
        return transport.equals("quic");
    }

    private Process start(String name, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(new File(logs, name + ".log")));
        return builder.start();
    }

    /** Runs a child to its end; its stdout. Fails on a non-zero exit or when it outlives the timeout. */
    private String runToEnd(String name, List<String> command, long timeoutSeconds) throws Exception {
        Process process = start(name, command);
        process.getOutputStream().close();
        StringBuilder out = new StringBuilder(); // the reader's until join(), ours after
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    out.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process died; its exit code tells
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(name + " did not finish within " + timeoutSeconds + " s");
        }
        reader.join();
        String text = out.toString();
        if (process.exitValue() != 0) {
            throw new IOException(name + " exited with " + process.exitValue() + ": " + text.strip());
        }
        return text;
    }

    /** The first stdout line of {@code process} that starts with {@code prefix}. */
    private static String firstLine(Process process, String prefix, String what) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line.strip();
            }
        }
        throw new IOException("e2e: the " + what + " ended without printing its address");
    }

    private static void stop(Process process) throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static double number(String json, String key) throws IOException {
        Matcher m = Pattern.compile("\"" + key + "\":([0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new IOException("e2e: no " + key + " in " + json.strip());
        }
        return Double.parseDouble(m.group(1));
    }

    private static double[] array(String json, String key) throws IOException {
        Matcher m = Pattern.compile("\"" + key + "\":\\[([^\\]]*)\\]").matcher(json);
        if (!m.find()) {
            throw new IOException("e2e: no " + key + " in " + json.strip());
        }
        String body = m.group(1).strip();
        if (body.isEmpty()) {
            return new double[0];
        }
        String[] parts = body.split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Double.parseDouble(parts[i]);
        }
        return values;
    }
}
