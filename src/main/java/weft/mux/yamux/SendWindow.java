package weft.mux.yamux;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import weft.Rethrowable;

/**
 * How many payload bytes we may still send on a stream. Spec "Flow Control": "Both sides of a stream start with a
 * window of 256KiB … senders must not exceed the window". A received WINDOW_UPDATE's length is <em>added</em> (also
 * when it carries SYN or ACK); writers wait here while the window is empty.
 */
final class SendWindow {
    /** The window is a u32 on the wire; we never hold more. */
    private static final long MAX_WINDOW = 0xFFFF_FFFFL;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition open = lock.newCondition();
    private long available = YamuxConfig.SPEC_INITIAL_WINDOW; // guarded by lock
    private IOException failure; // guarded by lock

    /** Adds a window update's delta (connection reader thread) and wakes writers. */
    void grow(long delta) {
        lock.lock();
        try {
            available = Math.min(MAX_WINDOW, available + delta);
            open.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns window taken for bytes that were then not sent (a write cut short before the writer took them). */
    void giveBack(long bytes) {
        if (bytes > 0) {
            grow(bytes);
        }
    }

    /**
     * Takes between 1 and {@code max} bytes of window, waiting while there is none.
     *
     * @param timeoutNanos zero or less waits without bound
     * @throws SocketTimeoutException when no window opened in time
     * @throws IOException a fresh copy of the failure given to {@link #fail} (reset, closed connection)
     */
    int acquire(int max, long timeoutNanos) throws IOException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (failure == null && available == 0) {
                if (timeoutNanos <= 0) {
                    open.await();
                } else {
                    if (remaining <= 0) {
                        throw new SocketTimeoutException("yamux: write timed out waiting for send window ("
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms)");
                    }
                    remaining = open.awaitNanos(remaining);
                }
            }
            if (failure != null) {
                throw Rethrowable.freshCopyOf(failure); // one object per throw: callers may add to it
            }
            int n = (int) Math.min(max, available);
            available -= n;
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("yamux: interrupted while waiting for send window");
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting writer with {@code cause}; later acquires throw fresh copies of it. First failure wins. */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            open.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }

    /** True while a writer waits for window (for tests that assert back-pressure without timing). */
    boolean hasWaiters() {
        lock.lock();
        try {
            return lock.hasWaiters(open);
        } finally {
            lock.unlock();
        }
    }
}
