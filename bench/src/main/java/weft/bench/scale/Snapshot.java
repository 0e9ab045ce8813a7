package weft.bench.scale;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Heap after GC, RSS and platform threads at one moment. */
record Snapshot(long heap, long rss, int platformThreads) {
    static Snapshot take() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // let the collector's concurrent work settle (a measurement, not a test)
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Snapshot(heap, rssBytes(), ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /** VmRSS from /proc/self/status, in bytes (0 where there is no /proc). */
    private static long rssBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(status));
        for (String line : lines) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "heap %.1f MiB, RSS %.1f MiB, platform threads %d", heap / 1048576.0,
                rss / 1048576.0, platformThreads);
    }
}
