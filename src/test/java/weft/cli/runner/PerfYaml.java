package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a perf dialer's stdout as unified-testing's {@code perf/lib/run-single-test.sh} does: it keeps the lines
 * matching {@code (upload:|download:|latency:|  (iterations|min|q1|median|q3|max|outliers|samples|unit):)}; here
 * every line must match, and each block must be a consistent five-number summary.
 */
final class PerfYaml {
    private static final Pattern BLOCK = Pattern.compile("(upload|download|latency):");
    private static final Pattern FIELD = Pattern.compile("  (iterations|min|q1|median|q3|max|outliers|samples|unit): (.*)");

    private PerfYaml() {}

    static Map<String, Map<String, String>> parse(String stdout) {
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

    static void check(Map<String, String> block, int iterations, String unit) {
        assertEquals(List.of("iterations", "min", "q1", "median", "q3", "max", "outliers", "samples", "unit"),
                List.copyOf(block.keySet()));
        assertEquals(Integer.toString(iterations), block.get("iterations"));
        assertEquals(unit, block.get("unit"));
        List<Double> samples = list(block.get("samples"));
        assertEquals(iterations, samples.size(), block.toString());
        double[] five = {d(block, "min"), d(block, "q1"), d(block, "median"), d(block, "q3"), d(block, "max")};
        double[] ordered = five.clone();
        Arrays.sort(ordered);
        assertTrue(Arrays.equals(five, ordered), "min <= q1 <= median <= q3 <= max: " + block);
        assertTrue(samples.stream().allMatch(v -> v > 0), block.toString());
        assertTrue(samples.containsAll(list(block.get("outliers"))), block.toString());
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
