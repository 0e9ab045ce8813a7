package weft.mux.yamux;

import java.time.Duration;
import java.util.Objects;
import weft.io.Scheduler;

/**
 * Settings of a yamux session. {@link #defaults()} are go-yamux's {@code DefaultConfig()} ({@code mux.go}, same in
 * v4 and v5) unless a line below says otherwise; change one with its {@code with…} method:
 * {@code YamuxConfig.defaults().withMaxStreamWindow(4 << 20)}.
 *
 * @param acceptBacklog inbound streams the application has not accepted yet; more are reset (go
 *     {@code AcceptBacklog} 256)
 * @param maxIncomingStreams live inbound streams; more are reset (go {@code MaxIncomingStreams} 1000)
 * @param maxOutboundUnacked outbound streams the peer has not acknowledged yet; {@code openStream} waits above it
 *     (libp2p yamux spec "Implementation considerations": "SHOULD allow at most 256"; go uses the accept backlog)
 * @param initialStreamWindow the receive window of a new stream, at least 256 KiB (go
 *     {@code InitialStreamWindowSize}; the spec value)
 * @param maxStreamWindow how far auto-tuning may grow a receive window (go {@code MaxStreamWindowSize} 16 MiB)
 * @param maxConnectionReceiveWindow the sum of the receive windows of all streams of the session; auto-tuning
 *     grows no window past it, but every stream gets its first 256 KiB (rust-yamux
 *     {@code max_connection_receive_window}, default 1 GiB; see {@link ConnectionWindow})
 * @param maxFramePayload the most payload bytes per DATA frame we send: go {@code MaxMessageSize} 64 KiB minus the
 *     12-byte header = 65524
 * @param keepAliveEnabled send a PING when nothing arrived for {@code keepAliveInterval} (go
 *     {@code EnableKeepAlive})
 * @param keepAliveInterval go {@code KeepAliveInterval} 30 s
 * @param measureRttInterval PINGs that measure the round-trip time, at start and then this often; zero disables
 *     (go {@code MeasureRTTInterval} 30 s)
 * @param connectionWriteTimeout how long a keep-alive PING may wait for its pong, and how long closing may spend
 *     flushing (go {@code ConnectionWriteTimeout} 10 s)
 * @param pingBacklog pongs queued but not yet written; a ping beyond is not answered (go {@code PingBacklog} 32)
 * @param streamOpenTimeout how long {@code openStream} waits for a slot under {@code maxOutboundUnacked} (not in
 *     go-yamux, which waits on the caller's context; 75 s as hashicorp/yamux {@code StreamOpenTimeout})
 * @param writeQueueBytes bound of the connection writer's data lane (weft's own; 1 MiB)
 * @param scheduler the clock and timer for keep-alive and RTT pings ({@link Scheduler#system()}; tests inject a
 *     manual clock)
 */
public record YamuxConfig(
        int acceptBacklog,
        int maxIncomingStreams,
        int maxOutboundUnacked,
        int initialStreamWindow,
        int maxStreamWindow,
        long maxConnectionReceiveWindow,
        int maxFramePayload,
        boolean keepAliveEnabled,
        Duration keepAliveInterval,
        Duration measureRttInterval,
        Duration connectionWriteTimeout,
        int pingBacklog,
        Duration streamOpenTimeout,
        int writeQueueBytes,
        Scheduler scheduler) {

    /** Spec "Flow Control": "Each stream has an initial window size of 256KiB"; go-yamux const.go initialStreamWindow. */
    public static final int SPEC_INITIAL_WINDOW = 256 * 1024;
    /** go-yamux const.go maxStreamWindow: 16 MiB. */
    public static final int DEFAULT_MAX_STREAM_WINDOW = 16 * 1024 * 1024;
    /** rust-yamux {@code yamux/src/lib.rs} {@code Config::default()}: {@code max_connection_receive_window} 1 GiB. */
    public static final long DEFAULT_MAX_CONNECTION_RECEIVE_WINDOW = 1024L * 1024 * 1024;
    /** go-yamux mux.go DefaultConfig MaxMessageSize 64 KiB, minus the 12-byte header. */
    public static final int DEFAULT_MAX_FRAME_PAYLOAD = 64 * 1024 - Frame.HEADER_BYTES;

    public YamuxConfig {
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(measureRttInterval, "measureRttInterval");
        Objects.requireNonNull(connectionWriteTimeout, "connectionWriteTimeout");
        Objects.requireNonNull(streamOpenTimeout, "streamOpenTimeout");
        Objects.requireNonNull(scheduler, "scheduler");
        require(acceptBacklog > 0, "acceptBacklog must be positive");
        require(maxIncomingStreams > 0, "maxIncomingStreams must be positive");
        require(maxOutboundUnacked > 0, "maxOutboundUnacked must be positive");
        require(initialStreamWindow >= SPEC_INITIAL_WINDOW, "initialStreamWindow must be at least 256 KiB");
        require(maxStreamWindow >= initialStreamWindow, "maxStreamWindow must be at least initialStreamWindow");
        require(maxConnectionReceiveWindow >= SPEC_INITIAL_WINDOW, "maxConnectionReceiveWindow must be at least 256 KiB");
        // go-yamux mux.go VerifyConfig: "MaxMessageSize must be greater than a kilobyte".
        require(maxFramePayload >= 1024 - Frame.HEADER_BYTES, "maxFramePayload must be at least 1012");
        require(keepAliveInterval.isPositive(), "keepAliveInterval must be positive");
        require(!measureRttInterval.isNegative(), "measureRttInterval must not be negative");
        require(connectionWriteTimeout.isPositive(), "connectionWriteTimeout must be positive");
        require(pingBacklog > 0, "pingBacklog must be positive");
        require(streamOpenTimeout.isPositive(), "streamOpenTimeout must be positive");
        require(writeQueueBytes > 0, "writeQueueBytes must be positive");
    }

    /** go-yamux's defaults (see the class doc). */
    public static YamuxConfig defaults() {
        return new YamuxConfig(256, 1000, 256, SPEC_INITIAL_WINDOW, DEFAULT_MAX_STREAM_WINDOW,
                DEFAULT_MAX_CONNECTION_RECEIVE_WINDOW, DEFAULT_MAX_FRAME_PAYLOAD, true, Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(10), 32, Duration.ofSeconds(75), 1024 * 1024, Scheduler.system());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("yamux: " + message);
        }
    }

    public YamuxConfig withAcceptBacklog(int v) {
        return new YamuxConfig(v, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow, maxStreamWindow,
                maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, connectionWriteTimeout, pingBacklog, streamOpenTimeout, writeQueueBytes,
                scheduler);
    }

    public YamuxConfig withMaxIncomingStreams(int v) {
        return new YamuxConfig(acceptBacklog, v, maxOutboundUnacked, initialStreamWindow, maxStreamWindow,
                maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, connectionWriteTimeout, pingBacklog, streamOpenTimeout, writeQueueBytes,
                scheduler);
    }

    public YamuxConfig withMaxOutboundUnacked(int v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, v, initialStreamWindow, maxStreamWindow,
                maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, connectionWriteTimeout, pingBacklog, streamOpenTimeout, writeQueueBytes,
                scheduler);
    }

    public YamuxConfig withInitialStreamWindow(int v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, v, Math.max(v,
                maxStreamWindow), maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, connectionWriteTimeout, pingBacklog, streamOpenTimeout, writeQueueBytes,
                scheduler);
    }

    public YamuxConfig withMaxStreamWindow(int v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow, v,
                maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, connectionWriteTimeout, pingBacklog, streamOpenTimeout, writeQueueBytes,
                scheduler);
    }

    public YamuxConfig withMaxConnectionReceiveWindow(long v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow,
                maxStreamWindow, v, maxFramePayload, keepAliveEnabled, keepAliveInterval, measureRttInterval,
                connectionWriteTimeout, pingBacklog, streamOpenTimeout, writeQueueBytes, scheduler);
    }

    public YamuxConfig withMaxFramePayload(int v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow,
                maxStreamWindow, maxConnectionReceiveWindow, v, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, connectionWriteTimeout, pingBacklog, streamOpenTimeout, writeQueueBytes,
                scheduler);
    }

    public YamuxConfig withKeepAlive(boolean enabled, Duration interval) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow,
                maxStreamWindow, maxConnectionReceiveWindow, maxFramePayload, enabled, interval, measureRttInterval,
                connectionWriteTimeout, pingBacklog, streamOpenTimeout, writeQueueBytes, scheduler);
    }

    public YamuxConfig withMeasureRttInterval(Duration v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow,
                maxStreamWindow, maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                v, connectionWriteTimeout, pingBacklog, streamOpenTimeout, writeQueueBytes, scheduler);
    }

    public YamuxConfig withConnectionWriteTimeout(Duration v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow,
                maxStreamWindow, maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, v, pingBacklog, streamOpenTimeout, writeQueueBytes, scheduler);
    }

    public YamuxConfig withPingBacklog(int v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow,
                maxStreamWindow, maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, connectionWriteTimeout, v, streamOpenTimeout, writeQueueBytes, scheduler);
    }

    public YamuxConfig withStreamOpenTimeout(Duration v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow,
                maxStreamWindow, maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, connectionWriteTimeout, pingBacklog, v, writeQueueBytes, scheduler);
    }

    public YamuxConfig withWriteQueueBytes(int v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow,
                maxStreamWindow, maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, connectionWriteTimeout, pingBacklog, streamOpenTimeout, v, scheduler);
    }

    public YamuxConfig withScheduler(Scheduler v) {
        return new YamuxConfig(acceptBacklog, maxIncomingStreams, maxOutboundUnacked, initialStreamWindow,
                maxStreamWindow, maxConnectionReceiveWindow, maxFramePayload, keepAliveEnabled, keepAliveInterval,
                measureRttInterval, connectionWriteTimeout, pingBacklog, streamOpenTimeout, writeQueueBytes, v);
    }
}
