package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a dialer's stdout as each runner does, and fails on anything the runner would not accept. */
final class Reports {
    /**
     * test-plans {@code src/compose-stdout-helper.ts dialerTimings}: the first {...} that parses as JSON and has both
     * keys. weft's output must be exactly one such line.
     */
    private static final Pattern LEGACY_RESULT = Pattern.compile(
            "\\{\"handshakePlusOneRTTMillis\": ([0-9]+\\.[0-9]+), \"pingRTTMilllis\": ([0-9]+\\.[0-9]+)}");
    /**
     * unified-testing {@code transport/lib/run-single-test.sh}: only lines matching
     * {@code (latency:|  (handshake_plus_one_rtt|ping_rtt|unit):)} are kept as results.
     */
    private static final Pattern UNIFIED_LINE = Pattern.compile("latency:|  (handshake_plus_one_rtt|ping_rtt|unit): .*");
    private static final Pattern BLOCK = Pattern.compile("(upload|download|latency):");
    private static final Pattern FIELD = Pattern.compile("  (iterations|min|q1|median|q3|max|outliers|samples|unit): (.*)");

    private Reports() {}

    /** The transport dialer's report in {@code convention}: {handshake plus one RTT, ping RTT}, in ms, checked. */
    static double[] latency(Convention convention, String stdout) {
        double handshake;
        double ping;
        if (convention == Convention.LEGACY) {
            Matcher m = LEGACY_RESULT.matcher(stdout.strip());
            assertTrue(m.matches(), stdout);
            handshake = Double.parseDouble(m.group(1));
            ping = Double.parseDouble(m.group(2));
        } else {
            List<String> lines = stdout.lines().toList();
            assertEquals(4, lines.size(), stdout);
            lines.forEach(line -> assertTrue(UNIFIED_LINE.matcher(line).matches(), line));
            assertEquals("latency:", lines.get(0));
            assertEquals("  unit: ms", lines.get(3));
            handshake = Double.parseDouble(lines.get(1).substring("  handshake_plus_one_rtt: ".length()));
            ping = Double.parseDouble(lines.get(2).substring("  ping_rtt: ".length()));
        }
        assertTrue(ping > 0 && ping <= handshake, "ping " + ping + " ms within handshake " + handshake + " ms");
        return new double[] {handshake, ping};
    }

    /**
     * Reads a perf dialer's stdout as unified-testing's {@code perf/lib/run-single-test.sh} does: it keeps the lines
     * matching {@code (upload:|download:|latency:|  (iterations|min|q1|median|q3|max|outliers|samples|unit):)}; here
     * every line must match.
     */
    static Map<String, Map<String, String>> perf(String stdout) {
        Map<String, Map<String, String>> blocks = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : stdout.lines().toList()) {
            Matcher block = BLOCK.matcher(line);
            Matcher field = FIELD.matcher(line);
            if (block.matches()) {
                current = new LinkedHashMap<>();
                blocks.put(block.group(1), current);
            } else if (field.matches() && current != null) {
                current.put(field.group(1), field.group(2));
            } else {
                throw new AssertionError("a line the perf runner would drop: \"" + line + "\"\n" + stdout);
            }
        }
        return blocks;
    }

    /** Each block must be a consistent five-number summary of {@code iterations} samples. */
    static void check(Map<String, String> block, int iterations, String unit) {
        assertEquals(List.of("iterations", "min", "q1", "median", "q3", "max", "outliers", "samples", "unit"),
                List.copyOf(block.keySet()));
        assertEquals(Integer.toString(iterations), block.get("iterations"));
        assertEquals(unit, block.get("unit"));
        List<Double> samples = list(block.get("samples"));
        assertEquals(iterations, samples.size(), block.toString());
        assertTrue(d(block, "q1") <= d(block, "median") && d(block, "median") <= d(block, "q3"),
                "q1 <= median <= q3: " + block);
        // min and max are those of the samples that are not outliers (so q3 may exceed max when an outlier is near)
        List<Double> inside = new ArrayList<>(samples);
        list(block.get("outliers")).forEach(outlier -> assertTrue(inside.remove(outlier), block.toString()));
        assertEquals(inside.get(0), d(block, "min"), block.toString());
        assertEquals(inside.get(inside.size() - 1), d(block, "max"), block.toString());
        // throughput may print as 0.00 at 2 decimals for the tiny transfers of tests; latencies may not
        assertTrue(samples.stream().allMatch(v -> unit.equals("ms") ? v > 0 : v >= 0), block.toString());
        List<Double> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        assertEquals(sorted, samples, "samples are listed sorted: " + block);
    }

    private static double d(Map<String, String> block, String key) {
        return Double.parseDouble(block.get(key));
    }

    private static List<Double> list(String flow) {
        assertTrue(flow.startsWith("[") && flow.endsWith("]"), flow);
        String inner = flow.substring(1, flow.length() - 1).strip();
        List<Double> out = new ArrayList<>();
        if (!inner.isEmpty()) {
            for (String part : inner.split(", ")) {
                out.add(Double.parseDouble(part));
            }
        }
        return out;
    }
}
