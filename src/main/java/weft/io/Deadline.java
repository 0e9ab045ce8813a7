package weft.io;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deadline for a whole job over a blocking stream (a handshake, an upgrade): when it expires before the job is
 * done, the stream is closed, which makes every blocked read and write on it fail at once. Used as
 * {@code try (Deadline d = Deadline.closeAfter(timeout, conn)) { ... if (d.expired()) ... }}.
 *
 * <p>Firing and cancelling race on one compare-and-set, so exactly one of them wins: a deadline cancelled by
 * {@link #close()} never closes the target afterwards, and a deadline that fired reports {@link #expired()}.
 *
 * <p>One daemon platform thread schedules all deadlines; it only runs {@code close()}.
 */
public final class Deadline implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weft-deadline");
        t.setDaemon(true);
        return t;
    });

    private static final int PENDING = 0;
    private static final int FIRED = 1;
    private static final int CANCELLED = 2;

    private final AtomicInteger state = new AtomicInteger(PENDING);
    private final ScheduledFuture<?> task;
    private final Duration timeout;

    private Deadline(Duration timeout, Closeable target) {
        this.timeout = timeout;
        this.task = TIMER.schedule(() -> {
            if (!state.compareAndSet(PENDING, FIRED)) {
                return;
            }
            try {
                target.close();
            } catch (IOException | RuntimeException ignored) {
                // closing is all we can do; the blocked caller sees the failure
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes {@code target} after {@code timeout} unless {@link #close()} is called first. */
    public static Deadline closeAfter(Duration timeout, Closeable target) {
        return new Deadline(timeout, target);
    }

    /** True once the deadline fired (the target was closed by it). */
    public boolean expired() {
        return state.get() == FIRED;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Cancels the deadline. If it has not fired yet, the target stays open; if it already fired,
     * {@link #expired()} says so and the target is closed.
     */
    @Override
    public void close() {
        if (state.compareAndSet(PENDING, CANCELLED)) {
            task.cancel(false);
        }
    }
}
