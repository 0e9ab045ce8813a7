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
            {"weft_noise", "weft `NoiseSecureChannel` over TCP, 256 KiB writes", "noise_pipeline",
                "Noise pipeline limit"},
            {"noise_pipeline_paired", "Noise pipeline limit, interleaved with the two rows below (same load)",
                "tcp_raw", "raw TCP"},
            {"weft_stack_upload", "weft tcp/noise/yamux, 1 stream, upload (dialer writes)", pipeline,
                "Noise pipeline limit"},
            {"weft_stack_download", "weft tcp/noise/yamux, 1 stream, download (listener writes)", pipeline,
                "Noise pipeline limit"},
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
        out.append("| Message | JDK seal | JDK open | BC seal | BC open | JDK / BC seal |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (int size : sizes) {
            double[] mbs = new double[4];
            String[] names = {"jdkEncrypt", "jdkDecrypt", "bcEncrypt", "bcDecrypt"};
            out.append("| ").append(size).append(" B |");
            for (int i = 0; i < 4; i++) {
                JmhRow r = jmhRow("AeadBench." + names[i], Map.of("size", "" + size));
                mbs[i] = r == null ? Double.NaN : r.score * size / 1e6;
                out.append(r == null ? " |" : String.format(Locale.ROOT, " %.0f |", mbs[i]));
            }
            out.append(Double.isNaN(mbs[0] / mbs[2]) ? " |\n" : String.format(Locale.ROOT, " %.1f × |%n",
                    mbs[0] / mbs[2]));
        }
        out.append('\n');
    }

    private void scale() {
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
