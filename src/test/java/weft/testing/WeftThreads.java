package weft.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts weft's threads (named {@code weft-...}), virtual ones included, for leak checks: take {@link #count()} as a
 * baseline, break something, then {@link #awaitAtMost(int)}. Virtual threads are not in
 * {@link Thread#getAllStackTraces()}, so this reads the JDK's JSON thread dump, which lists them.
 */
public final class WeftThreads {
    private static final Pattern NAME = Pattern.compile("\"name\": \"(weft-[^\"]*)\"");
    /** The process-wide timer threads ({@code weft.io.Deadline}, {@code Scheduler.system()}): started once, never leaks. */
    private static final java.util.Set<String> SHARED = java.util.Set.of("weft-deadline", "weft-timer");
    private static final Duration POLL = Duration.ofMillis(5);
    /** A bound so that a leak shows as a failure, not a hung build. Not a timing assertion. */
    public static final Duration LIMIT = Duration.ofSeconds(30);

    private WeftThreads() {}

    /** The names of the live {@code weft-} threads, without the process-wide timers. */
    public static List<String> names() {
        try {
            Path file = Files.createTempFile("weft-threads", ".json");
            Files.delete(file); // dumpThreads wants a new file
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                List<String> names = new ArrayList<>();
                Matcher m = NAME.matcher(Files.readString(file));
                while (m.find()) {
                    if (!SHARED.contains(m.group(1))) {
                        names.add(m.group(1));
                    }
                }
                return names;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int count() {
        return names().size();
    }

    /** Waits until at most {@code baseline} weft threads are alive; fails listing them after {@link #LIMIT}. */
    public static void awaitAtMost(int baseline) {
        List<String> last = List.of();
        long end = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < end) {
            last = names();
            if (last.size() <= baseline) {
                return;
            }
            LockSupport.parkNanos(POLL.toNanos()); // a thread dump is costly: poll, do not spin
        }
        throw new AssertionError("weft threads leaked: " + last.size() + " > " + baseline + ": " + last);
    }

    /** Waits until {@code condition} holds; fails with {@code what} after {@link #LIMIT}. */
    public static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("still not true after " + LIMIT.toSeconds() + " s: " + what);
            }
            Thread.yield();
        }
    }
}
