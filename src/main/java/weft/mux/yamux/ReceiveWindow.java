package weft.mux.yamux;

import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much a stream's peer may still send us, and when to tell it that it may send more. Spec "Flow Control":
 * "Yamux uses a window update frame to indicate a change in the receive window size … Only the data payload counts
 * towards the window."
 *
 * <p>The rule is go-yamux's ({@code stream.go sendWindowUpdate}, {@code util.go segmentedBuffer.GrowTo}), applied
 * when the application <em>reads</em>, so that unread data never exceeds what we granted:
 *
 * <pre>
 *   credit   = bytes the peer may still send        buffered = received, not yet read
 *   consumed = window - (credit + buffered)          bytes read since the last update
 *   update when consumed >= window / 2; the delta refills credit to window
 *   auto-tune: if the last update was less than 4 x RTT ago, window = min(2 x window, maxStreamWindow)
 * </pre>
 *
 * As in go-yamux the peer starts with the spec's 256 KiB of credit even when the configured initial window is larger;
 * the difference is granted by the window update that carries SYN or ACK.
 *
 * <p>Every window above those first 256 KiB (a larger initial window, each auto-tuning step) is taken from the
 * session's {@link ConnectionWindow}; when that is spent, the window grows only as far as it fits, or not at all,
 * and the stream goes on at the window it has (rust-yamux does the same with {@code max_connection_receive_window}).
 * {@link #release()} gives the window back when the stream leaves the session.
 */
final class ReceiveWindow {
    private static final Logger log = LoggerFactory.getLogger(ReceiveWindow.class);

    /** go-yamux stream.go: grow "if we're receiving data faster than 4x the RTT". */
    static final int AUTO_TUNE_RTT_FACTOR = 4;

    private final ReentrantLock lock = new ReentrantLock();
    private final long maxWindow;
    private final ConnectionWindow connection;
    private long window; // guarded by lock
    private boolean released; // guarded by lock
    private long credit = YamuxConfig.SPEC_INITIAL_WINDOW; // guarded by lock
    private long buffered; // guarded by lock
    private long epochStartNanos; // guarded by lock; when the last update was sent

    ReceiveWindow(long initialWindow, long maxWindow, ConnectionWindow connection, long nowNanos) {
        this.maxWindow = maxWindow;
        this.connection = connection;
        this.epochStartNanos = nowNanos;
        connection.grantInitial(YamuxConfig.SPEC_INITIAL_WINDOW);
        this.window = YamuxConfig.SPEC_INITIAL_WINDOW
                + connection.tryGrow(initialWindow - YamuxConfig.SPEC_INITIAL_WINDOW);
    }

    /**
     * Accounts for {@code length} payload bytes that arrived (connection reader thread).
     *
     * @throws YamuxProtocolException if they exceed the credit we granted (go-yamux {@code ErrRecvWindowExceeded};
     *     answered with GO_AWAY protocol error)
     */
    void received(int streamId, long length) throws YamuxProtocolException {
        lock.lock();
        try {
            if (length > credit) {
                throw new YamuxProtocolException("yamux: stream " + Integer.toUnsignedLong(streamId)
                        + " exceeded receive window (" + length + " > " + credit + " bytes)");
            }
            credit -= length;
            buffered += length;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Accounts for {@code n} bytes the application read and says how much credit to grant now.
     *
     * @param force grant even below the half-window threshold (the update carries SYN or ACK)
     * @param rttNanos the session's smoothed RTT, 0 while unknown
     * @return the delta for a WINDOW_UPDATE, or -1 when no update is due (0 is a valid forced delta)
     */
    long consumed(long n, boolean force, long rttNanos, long nowNanos) {
        lock.lock();
        try {
            buffered -= n;
            long delta = window - (credit + buffered);
            if (delta < window / 2 && !force) {
                return -1;
            }
            if (!force && rttNanos > 0 && nowNanos - epochStartNanos < AUTO_TUNE_RTT_FACTOR * rttNanos
                    && window < maxWindow && !released) {
                long wanted = Math.min(window * 2, maxWindow) - window;
                long granted = connection.tryGrow(wanted);
                if (granted < wanted && log.isDebugEnabled()) {
                    log.debug("yamux: window growth limited by the connection budget ({} of {} bytes; {} of {} granted)",
                            granted, wanted, connection.granted(), connection.max());
                }
                window += granted;
                delta = window - (credit + buffered);
            }
            epochStartNanos = nowNanos;
            delta = Math.max(delta, 0);
            credit += delta;
            return delta;
        } finally {
            lock.unlock();
        }
    }

    /** The stream left the session: its window goes back to the connection's budget. Idempotent. */
    void release() {
        lock.lock();
        try {
            if (!released) {
                released = true;
                connection.release(window);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The current window (grows with auto-tuning, never shrinks). */
    long window() {
        lock.lock();
        try {
            return window;
        } finally {
            lock.unlock();
        }
    }

    /** The credit the peer has left. */
    long credit() {
        lock.lock();
        try {
            return credit;
        } finally {
            lock.unlock();
        }
    }
}
