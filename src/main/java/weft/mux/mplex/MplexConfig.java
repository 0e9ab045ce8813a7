package weft.mux.mplex;

import java.time.Duration;
import java.util.Objects;
import weft.io.Scheduler;

/**
 * Settings of an mplex session. The spec leaves every bound to implementations; {@link #defaults()} takes each from
 * the implementation named below (js {@code @libp2p/mplex} 11.0.x {@code src/index.ts} and {@code src/mplex.ts}
 * unless a line says otherwise). Change one with its {@code with…} method:
 * {@code MplexConfig.defaults().withMaxBufferedBytes(16 << 20)}.
 *
 * @param maxFramePayload the longest frame data accepted from the peer; a longer frame is a protocol violation and
 *     closes the session (spec: go-multiplex's 1 MB; go {@code MaxMessageSize}, js {@code maxMsgSize}, rust
 *     {@code MAX_FRAME_SIZE}: all 1 MiB). Lowering it breaks peers that send 1 MiB frames, as js does.
 * @param sendFramePayload writes are split into frames of at most this many data bytes, at most 1 MiB (weft's
 *     64 KiB, about one Noise message; go-mplex sends 4076, rust {@code split_send_size} 8 KiB, js 1 MiB)
 * @param maxBufferedBytes received bytes a stream holds that the application has not read (js
 *     {@code maxStreamBufferSize} 4 MiB); at least {@code maxFramePayload}
 * @param slowReaderTimeout how long the connection reader waits for the application to make room under
 *     {@code maxBufferedBytes} before it resets the stream; meanwhile no stream of the session receives (go-mplex
 *     {@code ReceiveTimeout} 5 s, then reset; zero resets at once, as js and rust's
 *     {@code MaxBufferBehaviour::ResetStream}; rust's default {@code Block} waits without bound)
 * @param maxInboundStreams live streams the peer opened; a NewStream beyond is answered with a reset (js
 *     {@code maxInboundStreams} 1024; rust {@code max_substreams} 128 for both directions)
 * @param maxOutboundStreams live streams we opened; {@code openStream} beyond throws {@link
 *     weft.ResourceLimitException} (js {@code maxOutboundStreams} 1024, which also throws)
 * @param acceptBacklog inbound streams the application has not accepted yet; more are reset (weft's yamux value,
 *     go-yamux {@code AcceptBacklog} 256; go-mplex blocks its reader on a queue of 16 instead)
 * @param disconnectThreshold stream opens refused within one second above which the session closes: a peer that
 *     keeps opening streams past the limits is flooding us (js {@code disconnectThreshold} 5)
 * @param closeTimeout how long closing may spend flushing queued frames before the channel is closed anyway (as
 *     yamux, go-yamux {@code ConnectionWriteTimeout} 10 s)
 * @param writeQueueBytes bound of the connection writer's data lane (weft's own; 1 MiB)
 * @param scheduler the clock for {@code disconnectThreshold} ({@link Scheduler#system()}; tests inject a manual one)
 */
public record MplexConfig(
        int maxFramePayload,
        int sendFramePayload,
        int maxBufferedBytes,
        Duration slowReaderTimeout,
        int maxInboundStreams,
        int maxOutboundStreams,
        int acceptBacklog,
        int disconnectThreshold,
        Duration closeTimeout,
        int writeQueueBytes,
        Scheduler scheduler) {

    /** The 1 MiB frame limit of go, js and rust (see {@link #maxFramePayload}). */
    public static final int DEFAULT_MAX_FRAME_PAYLOAD = Frame.SPEC_MAX_PAYLOAD;
    /** weft's 64 KiB send split (see {@link #sendFramePayload}). */
    public static final int DEFAULT_SEND_FRAME_PAYLOAD = 64 * 1024;
    /** js {@code MAX_STREAM_BUFFER_SIZE = 1024 * 1024 * 4}. */
    public static final int DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

    public MplexConfig {
        Objects.requireNonNull(slowReaderTimeout, "slowReaderTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(scheduler, "scheduler");
        require(maxFramePayload > 0, "maxFramePayload must be positive");
        require(sendFramePayload > 0 && sendFramePayload <= Frame.SPEC_MAX_PAYLOAD,
                "sendFramePayload must be between 1 and 1 MiB (the peers' limit)");
        require(maxBufferedBytes >= maxFramePayload, "maxBufferedBytes must hold at least one frame");
        require(!slowReaderTimeout.isNegative(), "slowReaderTimeout must not be negative");
        require(maxInboundStreams > 0, "maxInboundStreams must be positive");
        require(maxOutboundStreams > 0, "maxOutboundStreams must be positive");
        require(acceptBacklog > 0, "acceptBacklog must be positive");
        require(disconnectThreshold >= 0, "disconnectThreshold must not be negative");
        require(closeTimeout.isPositive(), "closeTimeout must be positive");
        require(writeQueueBytes > 0, "writeQueueBytes must be positive");
    }

    /** The defaults named in the class doc. */
    public static MplexConfig defaults() {
        return new MplexConfig(DEFAULT_MAX_FRAME_PAYLOAD, DEFAULT_SEND_FRAME_PAYLOAD, DEFAULT_MAX_BUFFERED_BYTES,
                Duration.ofSeconds(5), 1024, 1024, 256, 5, Duration.ofSeconds(10), 1024 * 1024, Scheduler.system());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("mplex: " + message);
        }
    }

    public MplexConfig withMaxFramePayload(int v) {
        return new MplexConfig(v, sendFramePayload, maxBufferedBytes, slowReaderTimeout, maxInboundStreams,
                maxOutboundStreams, acceptBacklog, disconnectThreshold, closeTimeout, writeQueueBytes, scheduler);
    }

    public MplexConfig withSendFramePayload(int v) {
        return new MplexConfig(maxFramePayload, v, maxBufferedBytes, slowReaderTimeout, maxInboundStreams,
                maxOutboundStreams, acceptBacklog, disconnectThreshold, closeTimeout, writeQueueBytes, scheduler);
    }

    public MplexConfig withMaxBufferedBytes(int v) {
        return new MplexConfig(maxFramePayload, sendFramePayload, v, slowReaderTimeout, maxInboundStreams,
                maxOutboundStreams, acceptBacklog, disconnectThreshold, closeTimeout, writeQueueBytes, scheduler);
    }

    public MplexConfig withSlowReaderTimeout(Duration v) {
        return new MplexConfig(maxFramePayload, sendFramePayload, maxBufferedBytes, v, maxInboundStreams,
                maxOutboundStreams, acceptBacklog, disconnectThreshold, closeTimeout, writeQueueBytes, scheduler);
    }

    public MplexConfig withMaxInboundStreams(int v) {
        return new MplexConfig(maxFramePayload, sendFramePayload, maxBufferedBytes, slowReaderTimeout, v,
                maxOutboundStreams, acceptBacklog, disconnectThreshold, closeTimeout, writeQueueBytes, scheduler);
    }

    public MplexConfig withMaxOutboundStreams(int v) {
        return new MplexConfig(maxFramePayload, sendFramePayload, maxBufferedBytes, slowReaderTimeout,
                maxInboundStreams, v, acceptBacklog, disconnectThreshold, closeTimeout, writeQueueBytes, scheduler);
    }

    public MplexConfig withAcceptBacklog(int v) {
        return new MplexConfig(maxFramePayload, sendFramePayload, maxBufferedBytes, slowReaderTimeout,
                maxInboundStreams, maxOutboundStreams, v, disconnectThreshold, closeTimeout, writeQueueBytes,
                scheduler);
    }

    public MplexConfig withDisconnectThreshold(int v) {
        return new MplexConfig(maxFramePayload, sendFramePayload, maxBufferedBytes, slowReaderTimeout,
                maxInboundStreams, maxOutboundStreams, acceptBacklog, v, closeTimeout, writeQueueBytes, scheduler);
    }

    public MplexConfig withCloseTimeout(Duration v) {
        return new MplexConfig(maxFramePayload, sendFramePayload, maxBufferedBytes, slowReaderTimeout,
                maxInboundStreams, maxOutboundStreams, acceptBacklog, disconnectThreshold, v, writeQueueBytes,
                scheduler);
    }

    public MplexConfig withWriteQueueBytes(int v) {
        return new MplexConfig(maxFramePayload, sendFramePayload, maxBufferedBytes, slowReaderTimeout,
                maxInboundStreams, maxOutboundStreams, acceptBacklog, disconnectThreshold, closeTimeout, v, scheduler);
    }

    public MplexConfig withScheduler(Scheduler v) {
        return new MplexConfig(maxFramePayload, sendFramePayload, maxBufferedBytes, slowReaderTimeout,
                maxInboundStreams, maxOutboundStreams, acceptBacklog, disconnectThreshold, closeTimeout,
                writeQueueBytes, v);
    }
}
