package weft.mux.yamux;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The sum of the receive windows granted on one session, bounded the way rust-yamux bounds it with
 * {@code max_connection_receive_window} ({@code yamux/src/lib.rs}: "the maximum receive window across all streams of
 * a connection"; default 1 GiB). It is the most a peer can make us buffer on one connection.
 *
 * <p>Two kinds of grant: each stream's first 256 KiB (the spec's initial window) is always granted, so every stream
 * the stream limits allow can start; growth above that, from a larger initial window or from auto-tuning
 * ({@link ReceiveWindow}), is granted only while the sum stays within the bound, as far as it fits. A stream that
 * leaves the session gives its whole window back. Thread-safe (one atomic counter).
 */
final class ConnectionWindow {
    private final long max;
    private final AtomicLong granted = new AtomicLong();

    ConnectionWindow(long max) {
        this.max = max;
    }

    /** A new stream's initial window: always granted. */
    void grantInitial(long bytes) {
        granted.addAndGet(bytes);
    }

    /** Grants up to {@code wanted} more bytes of window, as much as the bound allows (possibly 0). */
    long tryGrow(long wanted) {
        while (true) {
            long now = granted.get();
            long n = Math.max(0, Math.min(wanted, max - now));
            if (n == 0 || granted.compareAndSet(now, now + n)) {
                return n;
            }
        }
    }

    /** A stream left the session with {@code bytes} of window. */
    void release(long bytes) {
        granted.addAndGet(-bytes);
    }

    /** The sum of the windows granted now. */
    long granted() {
        return granted.get();
    }

    long max() {
        return max;
    }
}
