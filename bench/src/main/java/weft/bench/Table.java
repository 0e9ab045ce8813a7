package weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Turns one run's output directory into the Markdown table of {@code bench/RESULTS.md}: the {@code RESULT} lines
 * ({@link Results}) of every {@code *.txt} file and JMH's {@code jmh.csv}. Only what was measured gets a row.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar weft.bench.Table bench/target/run-&lt;time&gt;
 * </pre>
 */
public final class Table {
    private final Map<String, Map<String, String>> results = new LinkedHashMap<>();
    private final List<JmhRow> jmh = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();

    private record JmhRow(String benchmark, double score, double error, String unit, Map<String, String> params) {}

    private Table() {}

    public static void main(String[] args) throws IOException {
        Table table = new Table();
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                if (file.toString().endsWith(".txt")) {
                    table.readResults(file);
                } else if (file.getFileName().toString().equals("jmh.csv")) {
                    table.readJmh(file);
                }
            }
        }
        table.print();
        System.out.print(table.out);
    }

    private void readResults(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("RESULT ")) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String token : line.substring(7).trim().split(" ")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    fields.put(token.substring(0, eq), token.substring(eq + 1));
                }
            }
            results.put(fields.get("name"), fields);
        }
    }

    private void readJmh(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            return;
        }
        List<String> header = csv(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = csv(line);
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 7; i < cells.size() && i < header.size(); i++) {
                if (!cells.get(i).isEmpty()) {
                    params.put(header.get(i).replace("Param: ", ""), cells.get(i));
                }
            }
            jmh.add(new JmhRow(cells.get(0), number(cells.get(4)), number(cells.get(5)), cells.get(6), params));
        }
    }

    private static List<String> csv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private void print() {
        endToEnd();
        programs();
        quic();
        latency();
        handshakes();
        yamux();
        multistream();
        aead();
        scale();
    }

    private void endToEnd() {
        String pipeline = results.containsKey("noise_pipeline_paired") ? "noise_pipeline_paired" : "noise_pipeline";
        String[][] rows = {
            {"tcp_raw", "Raw loopback TCP, 2 virtual threads, 64 KiB writes (machine limit)", null, null},
            {"noise_pipeline", "Noise pipeline limit: 65519-B chunks sealed/opened with the JDK's ChaCha20-Poly1305",
                "tcp_raw", "raw TCP"},
            {"noise_pipeline_weft", "Noise pipeline limit with weft's ChaCha20-Poly1305 (JDK ChaCha20 + weft"
                + " Poly1305)", "tcp_raw", "raw TCP"},
            {"weft_noise", "weft `NoiseSecureChannel` over TCP, 256 KiB writes", "noise_pipeline",
                "Noise pipeline limit"},
            {"noise_pipeline_paired", "Noise pipeline limit with the cipher weft's Noise uses, interleaved with the"
                + " two rows below (same load)",
                "tcp_raw", "raw TCP"},
            {"weft_stack_upload", "weft tcp/noise/yamux, 1 stream, upload (dialer writes)", pipeline,
                "Noise pipeline limit"},
            {"weft_stack_download", "weft tcp/noise/yamux, 1 stream, download (listener writes)", pipeline,
                "Noise pipeline limit"},
            {"noise_pipeline_paired_jdkaead", "Before: Noise pipeline limit with the JDK's ChaCha20-Poly1305,"
                + " interleaved with the two rows below", "tcp_raw", "raw TCP"},
            {"weft_stack_upload_jdkaead", "Before: weft tcp/noise/yamux upload, JDK ChaCha20-Poly1305"
                + " (`-Dweft.noise.aead=jdk`)", "noise_pipeline_paired_jdkaead", "its paired limit"},
            {"weft_stack_download_jdkaead", "Before: weft tcp/noise/yamux download, JDK ChaCha20-Poly1305"
                + " (`-Dweft.noise.aead=jdk`)", "noise_pipeline_paired_jdkaead", "its paired limit"},
        };
        if (Arrays.stream(rows).noneMatch(row -> results.containsKey(row[0]))) {
            return;
        }
        out.append("### One connection on loopback TCP (median of the runs)\n\n");
        out.append("Throughput ratio = this row's median / the reference's; CPU ratio = the reference's CPU seconds"
                + " per GiB / this row's (1.00 = as cheap as the reference).\n\n");
        out.append("| Measurement | GB/s | Gbit/s | Runs (GB/s) | CPU s/GiB | Throughput ratio | CPU ratio |\n"
                + "|---|---:|---:|---|---:|---|---|\n");
        for (String[] row : rows) {
            Map<String, String> r = results.get(row[0]);
            if (r == null) {
                continue;
            }
            String ratio = "";
            String cpuRatio = "";
            Map<String, String> base = row[2] == null ? null : results.get(row[2]);
            if (base != null) {
                ratio = String.format(Locale.ROOT, "%.2f × %s", number(r.get("median")) / number(base.get("median")),
                        row[3]);
                double cpu = number(r.getOrDefault("cpu_s_per_gib", "NaN"));
                double baseCpu = number(base.getOrDefault("cpu_s_per_gib", "NaN"));
                if (!Double.isNaN(cpu) && !Double.isNaN(baseCpu)) {
                    cpuRatio = String.format(Locale.ROOT, "%.2f × %s", baseCpu / cpu, row[3]);
                }
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", row[1], r.get("median"),
                    r.get("gbit"), r.get("runs"), r.getOrDefault("cpu_s_per_gib", ""), ratio, cpuRatio));
        }
        out.append('\n');
    }

    /** weft and js-libp2p as real programs (EndToEnd): perf per pair and direction, with the ratios. */
    private void programs() {
        String[][] pairs = {{"js", "js"}, {"weft", "weft"}, {"weft", "js"}, {"js", "weft"}};
        if (Arrays.stream(pairs).noneMatch(p -> results.containsKey("perf_" + p[0] + "_" + p[1] + "_upload"))) {
            return;
        }
        String limit = results.containsKey("noise_pipeline_weft") ? "noise_pipeline_weft" : "noise_pipeline";
        double limitRate = number(results.getOrDefault(limit, Map.of()).getOrDefault("median", "NaN"));
        out.append("### perf over tcp/noise/yamux: the `weft` CLI and the js-libp2p interop peer (median of the runs)\n\n");
        out.append("Dialer → listener; each run a fresh dialer process, its own transfer time (JIT warm-up included"
                + " on both sides); every pair moves the same bytes per run (the js peers keep a connection whose"
                + " monitor ping fails, see bench/README.md). weft / js compares"
                + " with js → js in the same direction; weft / limit with `" + limit + "` above (the JDK-cipher pipeline for the"
                + " \"before\" row).\n\n");
        out.append("| Pair | Direction | Gbit/s | Runs (GB/s) | Failed runs | weft / js | weft / limit |\n"
                + "|---|---|---:|---|---:|---:|---:|\n");
        String[][] rows = {{"js", "js", ""}, {"weft", "weft", ""}, {"weft", "js", ""}, {"js", "weft", ""},
            {"weft", "weft", "_jdkaead"}};
        for (String[] pair : rows) {
            for (String direction : List.of("upload", "download")) {
                Map<String, String> r = results.get("perf_" + pair[0] + "_" + pair[1] + "_" + direction + pair[2]);
                if (r == null) {
                    continue;
                }
                String vsJs = "";
                String vsLimit = "";
                if (pair[0].equals("weft") || pair[1].equals("weft")) {
                    Map<String, String> js = results.get("perf_js_js_" + direction);
                    if (js != null && js.containsKey("median") && r.containsKey("median")) {
                        vsJs = String.format(Locale.ROOT, "%.2f ×", number(r.get("median")) / number(js.get("median")));
                    }
                    double rowLimit = pair[2].isEmpty() ? limitRate
                            : number(results.getOrDefault("noise_pipeline", Map.of()).getOrDefault("median", "NaN"));
                    if (!Double.isNaN(rowLimit) && r.containsKey("median")) {
                        vsLimit = String.format(Locale.ROOT, "%.2f ×", number(r.get("median")) / rowLimit);
                    }
                }
                out.append(String.format(Locale.ROOT, "| %s → %s%s | %s | %s | %s | %s | %s | %s |%n", pair[0],
                        pair[1], pair[2].isEmpty() ? "" : " (before: JDK ChaCha20-Poly1305)", direction, r.getOrDefault("gbit", "—"), r.getOrDefault("runs", ""),
                        r.getOrDefault("failed", "0"), vsJs, vsLimit));
            }
        }
        out.append('\n');
    }

    /** Connection establishment + 1-byte round trip, and ping RTT, per pair (EndToEnd). */
    private void latency() {
        String[][] pairs = {{"js", "js"}, {"weft", "weft"}, {"weft", "js"}, {"js", "weft"}};
        if (Arrays.stream(pairs).noneMatch(p -> results.containsKey("connect_" + p[0] + "_" + p[1]))) {
            return;
        }
        out.append("### Latency on loopback: new connection + 1-byte perf round trip, and ping RTT\n\n");
        out.append("Connect = dial TCP, Noise XX, yamux (early muxer negotiation), a perf stream with 1 byte up and 1"
                + " byte down, a new connection each time. weft's `Host.connect` also waits for identify, as"
                + " go-libp2p's does; the \"no identify wait\" rows run the perf exchange as soon as the connection"
                + " is upgraded, as js-libp2p's `dial` + `newStream` do: that is the like-for-like comparison with js."
                + " Ping = 32-byte pings on one stream of an established connection. weft / js compares the median"
                + " with js → js (issue target for connect: ≤ 0.5).\n\n");
        out.append("| Pair | Connect median ms | Connect p95 ms | n | weft / js | Ping median ms | Ping p99 ms | n |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, String> jsConnect = results.get("connect_js_js");
        for (String[] pair : pairs) {
            Map<String, String> c = results.get("connect_" + pair[0] + "_" + pair[1]);
            Map<String, String> p = results.getOrDefault("ping_" + pair[0] + "_" + pair[1], Map.of());
            if (c == null) {
                continue;
            }
            boolean jsOnly = pair[0].equals("js") && pair[1].equals("js");
            String ratio = jsOnly || jsConnect == null ? ""
                    : String.format(Locale.ROOT, "%.2f ×", number(c.get("median")) / number(jsConnect.get("median")));
            out.append(String.format(Locale.ROOT, "| %s → %s | %s | %s | %s | %s | %s | %s | %s |%n", pair[0], pair[1],
                    c.get("median"), c.get("p95"), c.get("n"), ratio, p.getOrDefault("median", ""),
                    p.getOrDefault("p99", ""), p.getOrDefault("n", "")));
            Map<String, String> n = results.get("connect_noidwait_" + pair[0] + "_" + pair[1]);
            if (n != null) {
                String nRatio = jsConnect == null ? "" : String.format(Locale.ROOT, "%.2f ×",
                        number(n.get("median")) / number(jsConnect.get("median")));
                out.append(String.format(Locale.ROOT, "| %s → %s, no identify wait (like js's dial) | %s | %s | %s | %s"
                        + " |  |  |  |%n", pair[0], pair[1], n.get("median"), n.get("p95"), n.get("n"), nRatio));
            }
        }
        out.append('\n');
    }

    private void handshakes() {
        Map<String, String> tcp = results.get("weft_noise_handshakes_tcp");
        JmhRow memory = jmhRow("HandshakeBench.handshake", Map.of());
        if (tcp == null && memory == null) {
            return;
        }
        out.append("### Noise XX handshakes (Ed25519 identities, both sides in one JVM on 2 cores)\n\n");
        out.append("| Measurement | Handshakes/s |\n|---|---:|\n");
        if (memory != null) {
            out.append(String.format(Locale.ROOT, "| In-memory pipe (JMH `HandshakeBench`) | %.0f ± %.0f |%n",
                    memory.score, memory.error));
        }
        if (tcp != null) {
            out.append(String.format(Locale.ROOT, "| New loopback TCP connection each, connect included (`NoisePerf`)"
                    + " | %.0f |%n", number(tcp.get("value"))));
        }
        out.append('\n');
    }

    private void yamux() {
        List<JmhRow> rows = jmh.stream().filter(r -> r.benchmark.endsWith("YamuxBench.transfer:bytes")).toList();
        if (rows.isEmpty()) {
            return;
        }
        TreeSet<Integer> payloads = new TreeSet<>();
        TreeSet<Integer> streams = new TreeSet<>();
        for (JmhRow r : rows) {
            payloads.add(Integer.parseInt(r.params.get("payload")));
            streams.add(Integer.parseInt(r.params.get("streams")));
        }
        out.append("### yamux session over an in-memory pipe (JMH `YamuxBench`), MB/s of payload delivered\n\n");
        out.append("| Streams \\ write size |");
        payloads.forEach(p -> out.append(' ').append(size(p)).append(" |"));
        out.append("\n|---|");
        payloads.forEach(p -> out.append("---:|"));
        out.append('\n');
        for (int s : streams) {
            out.append("| ").append(s).append(" |");
            for (int p : payloads) {
                JmhRow r = jmhRow("YamuxBench.transfer:bytes", Map.of("payload", "" + p, "streams", "" + s));
                out.append(r == null ? " |" : String.format(Locale.ROOT, " %.0f |", r.score / 1e6));
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private void multistream() {
        JmhRow first = jmhRow("MultistreamBench.firstProposal", Map.of());
        JmhRow second = jmhRow("MultistreamBench.afterRefusal", Map.of());
        if (first == null && second == null) {
            return;
        }
        out.append("### multistream-select over an in-memory pipe (JMH `MultistreamBench`)\n\n");
        out.append("| Negotiation | Negotiations/s |\n|---|---:|\n");
        if (first != null) {
            out.append(String.format(Locale.ROOT, "| First proposal accepted (1 round trip) | %.0f ± %.0f |%n",
                    first.score, first.error));
        }
        if (second != null) {
            out.append(String.format(Locale.ROOT, "| One `na`, then accepted (2 round trips) | %.0f ± %.0f |%n",
                    second.score, second.error));
        }
        out.append('\n');
    }

    private void aead() {
        List<JmhRow> rows = jmh.stream().filter(r -> r.benchmark.contains("AeadBench.")).toList();
        if (rows.isEmpty()) {
            return;
        }
        TreeSet<Integer> sizes = new TreeSet<>();
        rows.forEach(r -> sizes.add(Integer.parseInt(r.params.get("size"))));
        out.append("### Noise AEAD, ChaCha20-Poly1305 per message (JMH `AeadBench`), MB/s of plaintext\n\n");
        out.append("weft = the JDK's ChaCha20 with weft's Poly1305 (`WeftChaChaPoly`), what weft's Noise uses where the"
                + " JDK's Poly1305 intrinsic is off; BC = Bouncy Castle.\n\n");
        out.append("| Message | JDK seal | JDK open | weft seal | weft open | BC seal | BC open | weft / JDK seal |"
                + " weft / JDK open |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int size : sizes) {
            String[] names = {"jdkEncrypt", "jdkDecrypt", "weftEncrypt", "weftDecrypt", "bcEncrypt", "bcDecrypt"};
            double[] mbs = new double[names.length];
            out.append("| ").append(size).append(" B |");
            for (int i = 0; i < names.length; i++) {
                JmhRow r = jmhRow("AeadBench." + names[i], Map.of("size", "" + size));
                mbs[i] = r == null ? Double.NaN : r.score * size / 1e6;
                out.append(r == null ? " |" : String.format(Locale.ROOT, " %.0f |", mbs[i]));
            }
            for (int i = 0; i < 2; i++) {
                double ratio = mbs[2 + i] / mbs[i];
                out.append(Double.isNaN(ratio) ? " |" : String.format(Locale.ROOT, " %.1f × |", ratio));
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private void scale() {
        streamScale();
        connectionScale();
    }

    private void connectionScale() {
        if (!results.containsKey("scale_connections")) {
            return;
        }
        out.append("### Scale: many tcp/noise/yamux connections to one listener, each doing ping (`ConnectionScale`)\n\n");
        out.append("| Measurement | Value |\n|---|---:|\n");
        valueRows(new String[][] {
            {"scale_connections", "Concurrent connections to one listener (each pinged, idled, pinged again, closed),"
                + " completed without errors", "%.0f"},
            {"scale_connect_rate", "Connections established and pinged per second (32 dials at a time)", "%.0f"},
            {"scale_heap_per_idle_connection", "Heap per idle connection, bytes (both ends)", "%.0f"},
            {"scale_rss_per_idle_connection", "RSS per idle connection, bytes (upper bound: includes heap growth)",
                "%.0f"},
            {"scale_connection_platform_threads", "Platform threads in the JVM with all connections open", "%.0f"},
        });
        out.append('\n');
    }

    private void valueRows(String[][] rows) {
        for (String[] row : rows) {
            Map<String, String> r = results.get(row[0]);
            if (r != null) {
                out.append(String.format(Locale.ROOT, "| %s | " + row[2] + " |%n", row[1], number(r.get("value"))));
            }
        }
    }

    private void streamScale() {
        Map<String, String> streams = results.get("scale_streams");
        if (streams == null) {
            return;
        }
        out.append("### Scale: one tcp/noise/yamux connection, many idle streams (`YamuxScale`)\n\n");
        out.append("| Measurement | Value |\n|---|---:|\n");
        String[][] rows = {
            {"scale_streams", "Concurrent open streams (each echoed 32 B), completed without errors", "%.0f"},
            {"scale_open_echo_rate", "Streams opened and echoed per second", "%.0f"},
            {"scale_heap_per_idle_stream", "Heap per idle stream, bytes (both ends + a parked handler thread;"
                + " target ≤ 16384)", "%.0f"},
            {"scale_rss_per_idle_stream", "RSS per idle stream, bytes (upper bound: includes heap growth)", "%.0f"},
            {"scale_platform_threads", "Platform threads in the JVM with all streams open", "%.0f"},
        };
        for (String[] row : rows) {
            Map<String, String> r = results.get(row[0]);
            if (r != null) {
                out.append(String.format(Locale.ROOT, "| %s | " + row[2] + " |%n", row[1], number(r.get("value"))));
            }
        }
        out.append('\n');
    }

    /** QUIC v1: the programs (EndToEnd --transport quic), weft in one JVM (QuicPerf), threads per connection. */
    private void quic() {
        String[][] pairs = {{"js", "js", ""}, {"weft", "weft", ""}, {"weft", "js", ""}, {"js", "weft", ""},
            {"weft", "weft", "_nio"}, {"weft", "js", "_nio"}, {"js", "weft", "_nio"}};
        boolean programs = Arrays.stream(pairs)
                .anyMatch(p -> results.containsKey("perf_quic_" + p[0] + "_" + p[1] + "_upload" + p[2]));
        if (programs) {
            out.append("### perf over QUIC v1 (`/udp/N/quic-v1`): the `weft` CLI and the js-libp2p QUIC peer"
                    + " (`@chainsafe/libp2p-quic`, quinn) (median of the runs)\n\n");
            out.append("Dialer → listener; each run a fresh dialer process, its own transfer time. weft / js compares"
                    + " with js → js in the same direction and run. \"NIO UDP\" rows: weft with"
                    + " `-Dweft.quic.udp=nio` (no GSO/GRO, the before), measured in a run of their own.\n\n");
            out.append("| Pair | Direction | Gbit/s | Runs (GB/s) | Failed runs | weft / js |\n"
                    + "|---|---|---:|---|---:|---:|\n");
            for (String[] pair : pairs) {
                for (String direction : List.of("upload", "download")) {
                    Map<String, String> r = results.get("perf_quic_" + pair[0] + "_" + pair[1] + "_" + direction
                            + pair[2]);
                    if (r == null) {
                        continue;
                    }
                    Map<String, String> js = results.get("perf_quic_js_js_" + direction + pair[2]);
                    String vsJs = "";
                    if (!(pair[0].equals("js") && pair[1].equals("js")) && js != null && js.containsKey("median")
                            && r.containsKey("median")) {
                        vsJs = String.format(Locale.ROOT, "%.2f ×", number(r.get("median")) / number(js.get("median")));
                    }
                    out.append(String.format(Locale.ROOT, "| %s → %s%s | %s | %s | %s | %s | %s |%n", pair[0], pair[1],
                            pair[2].isEmpty() ? "" : " (NIO UDP)", direction, r.getOrDefault("gbit", "—"),
                            r.getOrDefault("runs", ""), r.getOrDefault("failed", "0"), vsJs));
                }
            }
            out.append('\n');
        }
        String[][] inProcess = {
            {"quic_weft_weft_upload", "weft → weft upload, both hosts in one JVM"},
            {"quic_weft_weft_download", "weft → weft download, both hosts in one JVM"},
            {"quic_weft_js_upload", "weft (this JVM) → js upload"},
            {"quic_weft_js_download", "weft (this JVM) → js download"},
        };
        if (Arrays.stream(inProcess).anyMatch(row -> results.containsKey(row[0]))) {
            out.append("### QUIC v1, weft warm in one JVM (`QuicPerf`, median of the runs)\n\n");
            out.append("| Measurement | Gbit/s | Runs (GB/s) | CPU s/GiB (whole JVM) |\n|---|---:|---|---:|\n");
            for (String[] row : inProcess) {
                Map<String, String> r = results.get(row[0]);
                if (r != null) {
                    out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", row[1], r.get("gbit"),
                            r.get("runs"), r.getOrDefault("cpu_s_per_gib", "")));
                }
            }
            out.append('\n');
        }
        String[][] threads = {
            {"quic_platform_threads_per_connection", "Platform threads per QUIC connection (both ends)"},
            {"quic_virtual_threads_per_connection", "Virtual threads per QUIC connection with one open stream (both"
                + " ends: a stream-accept loop per end, the stream's handler)"},
            {"quic_event_loop_threads", "netty event-loop threads in that JVM (one per host's QUIC transport)"},
        };
        if (Arrays.stream(threads).anyMatch(row -> results.containsKey(row[0]))) {
            out.append("| Threads (`QuicPerf`, " + "20 connections) | Value |\n|---|---:|\n");
            for (String[] row : threads) {
                Map<String, String> r = results.get(row[0]);
                if (r != null) {
                    out.append(String.format(Locale.ROOT, "| %s | %.1f |%n", row[1], number(r.get("value"))));
                }
            }
            out.append('\n');
        }
    }

    private JmhRow jmhRow(String suffix, Map<String, String> params) {
        for (JmhRow r : jmh) {
            if (r.benchmark.endsWith(suffix) && r.params.entrySet().containsAll(params.entrySet())) {
                return r;
            }
        }
        return null;
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes >= 1024 ? (bytes >> 10) + " KiB" : bytes + " B";
    }
}
