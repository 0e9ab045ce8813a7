package weft.mux.yamux;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import weft.io.Scheduler;

/**
 * The session's PINGs: round-trip time measurement and keep-alive. Spec "Type", Ping: "Used to measure RTT. It can
 * also be used to heart-beat and do keep-alives over TCP"; "the ping response should be sent with the ACK flag and
 * the same opaque value".
 *
 * <ul>
 *   <li><b>RTT</b> (go-yamux {@code session.go measureRTT}): one ping at start, then one every
 *       {@code measureRttInterval}. The first sample is stored as is, later ones smoothed as {@code rtt = prev/2 +
 *       new/2}. {@link #rtt()} is 0 until the first pong.
 *   <li><b>Keep-alive</b> (go-yamux {@code startKeepalive}/{@code extendKeepalive}): every received frame counts as
 *       life; after {@code keepAliveInterval} without one we ping, and if no pong comes within
 *       {@code connectionWriteTimeout} the session is closed with a keep-alive timeout.
 *   <li>At most one ping is outstanding; a second request joins it (go-yamux {@code activePing}). A pong we did not
 *       ask for, or with another id, is a protocol error (js-libp2p-yamux {@code UnRequestedPingError}, rust-yamux
 *       {@code rtt.rs}); go-yamux ignores it. Ping ids count up from 0 as go-yamux's {@code pingID}.
 * </ul>
 *
 * The reader thread calls {@link #frameReceived} (one volatile write) and {@link #pong}; the scheduler's thread runs
 * the timers, which only queue frames and never block.
 */
final class KeepAlive {
    private final Scheduler scheduler;
    private final YamuxConfig config;
    private final IntConsumer sendPing;
    private final Consumer<IOException> onTimeout;

    private final ReentrantLock lock = new ReentrantLock();
    private int nextPingId; // guarded by lock
    private boolean outstanding; // guarded by lock
    private int outstandingId; // guarded by lock
    private long sentAtNanos; // guarded by lock
    private boolean measuring; // guarded by lock; the outstanding ping feeds the RTT
    private boolean stopped; // guarded by lock
    private Scheduler.Cancellable keepAliveTimer; // guarded by lock
    private Scheduler.Cancellable rttTimer; // guarded by lock
    private Scheduler.Cancellable pongTimer; // guarded by lock
    private volatile long lastReceivedNanos;
    private volatile long rttNanos;

    KeepAlive(Scheduler scheduler, YamuxConfig config, IntConsumer sendPing, Consumer<IOException> onTimeout) {
        this.scheduler = scheduler;
        this.config = config;
        this.sendPing = sendPing;
        this.onTimeout = onTimeout;
        this.lastReceivedNanos = scheduler.nanoTime();
    }

    /** Sends the first RTT ping and arms the timers. */
    void start() {
        lock.lock();
        try {
            if (config.keepAliveEnabled()) {
                keepAliveTimer = scheduler.schedule(config.keepAliveInterval(), this::keepAliveTick);
            }
        } finally {
            lock.unlock();
        }
        if (!config.measureRttInterval().isZero()) {
            measureTick();
        }
    }

    /** Cancels every timer; nothing is sent afterwards. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            for (Scheduler.Cancellable c : new Scheduler.Cancellable[] {keepAliveTimer, rttTimer, pongTimer}) {
                if (c != null) {
                    c.cancel();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A frame header arrived: the peer is alive (go-yamux resets the keep-alive timer on every header). */
    void frameReceived() {
        lastReceivedNanos = scheduler.nanoTime();
    }

    /** The smoothed round-trip time, or {@link Duration#ZERO} before the first measurement. */
    Duration rtt() {
        return Duration.ofNanos(rttNanos);
    }

    long rttNanos() {
        return rttNanos;
    }

    /**
     * A PING with ACK arrived.
     *
     * @return the RTT sample it gave in nanoseconds, or 0 when it answered a keep-alive ping (no measurement)
     * @throws YamuxProtocolException if we have no ping outstanding or it has another id
     */
    long pong(int id) throws YamuxProtocolException {
        lock.lock();
        try {
            if (!outstanding) {
                throw new YamuxProtocolException("yamux: unrequested pong (id " + Integer.toUnsignedLong(id) + ")");
            }
            if (id != outstandingId) {
                throw new YamuxProtocolException("yamux: pong for another ping (id " + Integer.toUnsignedLong(id)
                        + ", expected " + Integer.toUnsignedLong(outstandingId) + ")");
            }
            outstanding = false;
            if (pongTimer != null) {
                pongTimer.cancel();
                pongTimer = null;
            }
            if (!measuring) {
                return 0;
            }
            long sample = Math.max(1, scheduler.nanoTime() - sentAtNanos);
            long previous = rttNanos;
            rttNanos = previous == 0 ? sample : previous / 2 + sample / 2;
            return sample;
        } finally {
            lock.unlock();
        }
    }

    private void measureTick() {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            rttTimer = scheduler.schedule(config.measureRttInterval(), this::measureTick);
            ping(true, false);
        } finally {
            lock.unlock();
        }
    }

    private void keepAliveTick() {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            long interval = config.keepAliveInterval().toNanos();
            long idle = scheduler.nanoTime() - lastReceivedNanos;
            if (idle < interval) {
                keepAliveTimer = scheduler.schedule(Duration.ofNanos(interval - idle), this::keepAliveTick);
                return;
            }
            keepAliveTimer = scheduler.schedule(config.keepAliveInterval(), this::keepAliveTick);
            ping(false, true);
        } finally {
            lock.unlock();
        }
    }

    /** Sends a ping or joins the outstanding one. Holds the lock. */
    private void ping(boolean measure, boolean needPong) {
        if (!outstanding) {
            outstanding = true;
            outstandingId = nextPingId++;
            sentAtNanos = scheduler.nanoTime();
            measuring = measure;
            sendPing.accept(outstandingId);
        } else {
            measuring |= measure;
        }
        if (needPong && pongTimer == null) {
            int id = outstandingId;
            pongTimer = scheduler.schedule(config.connectionWriteTimeout(), () -> pongTimedOut(id));
        }
    }

    private void pongTimedOut(int id) {
        lock.lock();
        try {
            if (stopped || !outstanding || outstandingId != id) {
                return;
            }
            stopped = true;
        } finally {
            lock.unlock();
        }
        onTimeout.accept(new SocketTimeoutException("yamux: keep-alive timeout (no pong within "
                + config.connectionWriteTimeout().toMillis() + " ms)"));
    }
}
