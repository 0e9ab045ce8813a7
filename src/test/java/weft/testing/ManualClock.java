package weft.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import weft.io.Scheduler;

/**
 * A {@link Scheduler} whose time moves only when a test calls {@link #advance}: timers (keep-alive, RTT pings) run
 * on the test's thread, in deadline order, without sleeping (as kwik's {@code TestClock} and
 * {@code TestScheduledExecutor}).
 */
public final class ManualClock implements Scheduler {
    private record Task(long dueNanos, long seq, Runnable run, boolean[] cancelled) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((x, y) -> x.dueNanos != y.dueNanos
            ? Long.compare(x.dueNanos, y.dueNanos) : Long.compare(x.seq, y.seq));
    private long now = 1_000_000_000L; // guarded by lock
    private long seq; // guarded by lock

    @Override
    public long nanoTime() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable run) {
        lock.lock();
        try {
            boolean[] cancelled = {false};
            tasks.add(new Task(now + delay.toNanos(), seq++, run, cancelled));
            return () -> {
                lock.lock();
                try {
                    cancelled[0] = true;
                } finally {
                    lock.unlock();
                }
            };
        } finally {
            lock.unlock();
        }
    }

    /** Moves time forward by {@code d}, running every task that falls due, each at its own deadline. */
    public void advance(Duration d) {
        long target;
        lock.lock();
        try {
            target = now + d.toNanos();
        } finally {
            lock.unlock();
        }
        while (true) {
            Task next;
            lock.lock();
            try {
                next = tasks.peek();
                if (next == null || next.dueNanos > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = next.dueNanos;
                if (next.cancelled[0]) {
                    continue;
                }
            } finally {
                lock.unlock();
            }
            next.run.run();
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public int pendingTasks() {
        lock.lock();
        try {
            List<Task> live = new ArrayList<>();
            for (Task t : tasks) {
                if (!t.cancelled[0]) {
                    live.add(t);
                }
            }
            return live.size();
        } finally {
            lock.unlock();
        }
    }
}
