package weft.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The output format every hand-written bench shares: a human line per run, then one machine-readable line per
 * result that {@code bench/run.sh} collects into the table:
 *
 * <pre>
 * RESULT name=tcp_raw unit=GB/s median=3.512 gbit=28.10 runs=[3.401,3.512,3.620] cpu_s_per_gib=0.71
 * RESULT name=scale_heap_per_stream unit=B value=5120
 * RESULT name=connect_weft_weft unit=ms median=4.210 p95=6.800 p99=9.100 n=100
 * </pre>
 *
 * Keys are {@code name}, {@code unit}, then either {@code median} and {@code runs} (throughput in GB/s = 10^9 B/s,
 * with {@code gbit} = Gbit/s, and the median CPU seconds the whole process spent per GiB moved, all threads, GC and
 * JIT included), or {@code median}, {@code p95} and {@code p99} of a latency sample, or a single {@code value}; a
 * throughput line may end with {@code failed=N} (runs that failed and are not in the median); names are {@code [a-z0-9_]}. CPU per GiB is the steadier number on a
 * shared machine: other processes lower a run's throughput but hardly its CPU cost.
 */
public final class Results {
    private Results() {}

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** One timed run: throughput, and process CPU seconds per GiB (NaN when unknown). */
    public record Run(double bytesPerSecond, double cpuSecondsPerGiB) {
        /** Times {@code work}, which moves {@code bytes}, in wall-clock and process CPU time. */
        public static Run time(long bytes, Work work) throws Exception {
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            work.run();
            long elapsed = System.nanoTime() - start;
            long cpuUsed = processCpuNanos() - cpu;
            return new Run(bytes / (elapsed / 1e9), cpu < 0 ? Double.NaN : cpuUsed / 1e9 / (bytes / 1073741824.0));
        }
    }

    /** The measured part of a run. */
    public interface Work {
        void run() throws Exception;
    }

    /** CPU time of the whole process so far, or -1 where the JVM cannot tell. */
    public static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Prints a throughput result with each run's CPU cost. */
    public static void throughput(String name, List<Run> runs) {
        double[] rates = runs.stream().mapToDouble(Run::bytesPerSecond).toArray();
        double[] cpu = runs.stream().mapToDouble(Run::cpuSecondsPerGiB).toArray();
        double cpuMedian = median(cpu);
        throughput(name, rates, String.format(Locale.ROOT, " cpu_s_per_gib=%.3f", cpuMedian));
        System.out.printf(Locale.ROOT, "%s: median CPU %.3f s per GiB (process, all threads)%n", name, cpuMedian);
    }

    /** Prints a throughput result: {@code bytesPerSecond} per run, reported in GB/s and Gbit/s. */
    public static void throughput(String name, double[] bytesPerSecond) {
        throughput(name, bytesPerSecond, "");
    }

    private static void throughput(String name, double[] bytesPerSecond, String extra) {
        StringJoiner runs = new StringJoiner(",", "[", "]");
        for (double r : bytesPerSecond) {
            runs.add(String.format(Locale.ROOT, "%.3f", r / 1e9));
        }
        double median = median(bytesPerSecond);
        System.out.printf(Locale.ROOT, "%s: median %.3f GB/s (%.2f Gbit/s) over %d runs %s%n", name, median / 1e9,
                median * 8 / 1e9, bytesPerSecond.length, runs);
        System.out.printf(Locale.ROOT, "RESULT name=%s unit=GB/s median=%.3f gbit=%.2f runs=%s%s%n", name,
                median / 1e9, median * 8 / 1e9, runs, extra);
    }

    /** Prints a throughput result, saying how many further runs failed (they are not in the median). */
    public static void throughput(String name, double[] bytesPerSecond, int failed) {
        throughput(name, bytesPerSecond, failed == 0 ? "" : " failed=" + failed);
    }

    /** The {@code p}-th percentile (0..100) of {@code values}, nearest-rank. */
    public static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Prints a latency result in milliseconds: median, p95 and p99 of the sample. */
    public static void latency(String name, double[] millis) {
        if (millis.length == 0) {
            System.out.printf(Locale.ROOT, "%s: no samples%n", name);
            return;
        }
        System.out.printf(Locale.ROOT, "%s: median %.3f ms, p95 %.3f ms, p99 %.3f ms over %d%n", name,
                median(millis), percentile(millis, 95), percentile(millis, 99), millis.length);
        System.out.printf(Locale.ROOT, "RESULT name=%s unit=ms median=%.3f p95=%.3f p99=%.3f n=%d%n", name,
                median(millis), percentile(millis, 95), percentile(millis, 99), millis.length);
    }

    /** Prints a single-valued result. */
    public static void value(String name, String unit, double value) {
        System.out.printf(Locale.ROOT, "RESULT name=%s unit=%s value=%.1f%n", name, unit, value);
    }
}
