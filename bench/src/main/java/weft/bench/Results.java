package weft.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The output format every hand-written bench shares: a human line per run, then one machine-readable line per
 * result that {@code bench/run.sh} collects into the table:
 *
 * <pre>
 * RESULT name=tcp_raw unit=GB/s median=3.512 gbit=28.10 runs=[3.401,3.512,3.620]
 * RESULT name=scale_heap_per_stream unit=B value=5120
 * </pre>
 *
 * Keys are {@code name}, {@code unit}, then either {@code median} and {@code runs} (throughput in GB/s = 10^9 B/s,
 * with {@code gbit} = Gbit/s) or a single {@code value}; names are {@code [a-z0-9_]}.
 */
public final class Results {
    private Results() {}

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Prints a throughput result: {@code bytesPerSecond} per run, reported in GB/s and Gbit/s. */
    public static void throughput(String name, double[] bytesPerSecond) {
        StringJoiner runs = new StringJoiner(",", "[", "]");
        for (double r : bytesPerSecond) {
            runs.add(String.format(Locale.ROOT, "%.3f", r / 1e9));
        }
        double median = median(bytesPerSecond);
        System.out.printf(Locale.ROOT, "%s: median %.3f GB/s (%.2f Gbit/s) over %d runs %s%n", name, median / 1e9,
                median * 8 / 1e9, bytesPerSecond.length, runs);
        System.out.printf(Locale.ROOT, "RESULT name=%s unit=GB/s median=%.3f gbit=%.2f runs=%s%n", name,
                median / 1e9, median * 8 / 1e9, runs);
    }

    /** Prints a single-valued result. */
    public static void value(String name, String unit, double value) {
        System.out.printf(Locale.ROOT, "RESULT name=%s unit=%s value=%.1f%n", name, unit, value);
    }
}
