package weft.io;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time for protocol timers (keep-alive, RTT pings, idle checks): a monotonic clock and a way to run a short task
 * later. Injected so that timer logic is tested on a manual clock instead of with {@code Thread.sleep}
 * (the test suite's {@code weft.testing.ManualClock}).
 *
 * <p>Tasks must be short and must not block: the {@linkplain #system() system scheduler} runs all of them on one
 * daemon thread. A task that has to do IO hands the work to another thread (the connection writer, for instance).
 */
public interface Scheduler {
    /** Monotonic time in nanoseconds, as {@link System#nanoTime()}; only differences mean anything. */
    long nanoTime();

    /** Runs {@code task} once after {@code delay}; the returned handle cancels it if it has not run yet. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** The real clock: {@link System#nanoTime()} and one shared daemon timer thread, {@code weft-timer}. */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }
}

/** The real-time {@link Scheduler}. */
final class SystemScheduler implements Scheduler {
    static final SystemScheduler INSTANCE = new SystemScheduler();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weft-timer");
        t.setDaemon(true);
        return t;
    });

    private SystemScheduler() {}

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
