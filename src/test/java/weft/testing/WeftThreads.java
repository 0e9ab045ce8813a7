package weft.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import weft.io.Threads;

/**
 * Counts weft's threads (named {@code weft-...}), virtual ones included, for leak checks: take {@link #count()} as a
 * baseline, break something, then {@link #awaitAtMost(int)}. Virtual threads are not in
 * {@link Thread#getAllStackTraces()}, so they come from {@link Threads}, which starts and counts every one of
 * weft's virtual threads. (A JSON thread dump lists them too, but JDK 25 crashed once inside it while virtual
 * threads were mounting: {@code Continuation::is_continuation_entry_frame}.)
 */
public final class WeftThreads {
    /** The process-wide timer threads ({@code weft.io.Deadline}, {@code Scheduler.system()}): started once, never leaks. */
    private static final java.util.Set<String> SHARED = java.util.Set.of("weft-deadline", "weft-timer");
    private static final Duration POLL = Duration.ofMillis(5);
    /** A bound so that a leak shows as a failure, not a hung build. Not a timing assertion. */
    public static final Duration LIMIT = Duration.ofSeconds(30);

    private WeftThreads() {}

    /** The names of the live {@code weft-} threads, without the process-wide timers. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(Threads.liveVirtualNames());
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("weft-") && !SHARED.contains(thread.getName())) {
                names.add(thread.getName());
            }
        }
        return names;
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
