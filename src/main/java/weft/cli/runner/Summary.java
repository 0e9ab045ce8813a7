package weft.cli.runner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The five-number summary the unified-testing perf runner wants of each measurement, with outliers and the raw
 * samples ({@code docs/write-a-perf-test-app.md}, step 7): "calculate the minimum measured value, the maximum
 * measured value, the Q1 (25th percentile), the median, and the Q3 (75th percentile). Also calculate which samples
 * are outliers by first calculating the inter-quartile range (i.e. Q3 - Q1) and then filtering the samples to see if
 * any are less than (Q1 - 1.5 * IQR) or greater than (Q3 + 1.5 * IQR)."
 *
 * <p>Where the doc leaves choices, this follows the reference apps ({@code perf/images/go/v0.45/main.go} and
 * {@code perf/images/js/v3.x/index.js}) and the doc's own example: percentiles interpolate linearly between the
 * sorted samples at rank {@code p/100 * (n - 1)}; min and max are those of the samples that are not outliers (the
 * example's upload {@code min: 2.04} beside {@code outliers: [2.02]}); samples are listed sorted.
 */
record Summary(double min, double q1, double median, double q3, double max, List<Double> outliers,
        List<Double> samples) {

    Summary {
        outliers = List.copyOf(outliers);
        samples = List.copyOf(samples);
    }

    /** Summarizes at least one sample. */
    static Summary of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("summary: no samples");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double q1 = percentile(sorted, 25);
        double median = percentile(sorted, 50);
        double q3 = percentile(sorted, 75);
        double iqr = q3 - q1;
        double low = q1 - 1.5 * iqr;
        double high = q3 + 1.5 * iqr;
        List<Double> outliers = new ArrayList<>();
        List<Double> inside = new ArrayList<>();
        List<Double> samples = new ArrayList<>();
        for (double v : sorted) {
            (v < low || v > high ? outliers : inside).add(v);
            samples.add(v);
        }
        // all samples outliers cannot happen (the quartiles lie between fences), but stay total
        List<Double> range = inside.isEmpty() ? samples : inside;
        return new Summary(range.get(0), q1, median, q3, range.get(range.size() - 1), outliers, samples);
    }

    /** Linear interpolation between the closest ranks, rank {@code p/100 * (n - 1)} (0-based). */
    static double percentile(double[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int lower = (int) Math.floor(rank);
        int upper = (int) Math.ceil(rank);
        double weight = rank - lower;
        return sorted[lower] * (1 - weight) + sorted[upper] * weight;
    }

    /**
     * The block for one measurement, as the doc's example and the runner's grep want it
     * ({@code perf/lib/run-single-test.sh}: {@code upload:|download:|latency:} then two-space-indented
     * {@code iterations|min|q1|median|q3|max|outliers|samples|unit}). Throughput is printed with 2 decimals, latency
     * with 3, as the reference apps do.
     */
    String yaml(String name, int decimals, String unit) {
        String f = "%." + decimals + "f";
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(":\n");
        sb.append("  iterations: ").append(samples.size()).append('\n');
        sb.append("  min: ").append(format(f, min)).append('\n');
        sb.append("  q1: ").append(format(f, q1)).append('\n');
        sb.append("  median: ").append(format(f, median)).append('\n');
        sb.append("  q3: ").append(format(f, q3)).append('\n');
        sb.append("  max: ").append(format(f, max)).append('\n');
        sb.append("  outliers: ").append(list(f, outliers)).append('\n');
        sb.append("  samples: ").append(list(f, samples)).append('\n');
        sb.append("  unit: ").append(unit).append('\n');
        return sb.toString();
    }

    private static String list(String f, List<Double> values) {
        List<String> parts = new ArrayList<>(values.size());
        for (double v : values) {
            parts.add(format(f, v));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    private static String format(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }
}
