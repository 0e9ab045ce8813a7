package weft.transport.webrtc;

import java.time.Duration;
import java.util.Objects;
import weft.io.Scheduler;

/**
 * Settings of the data channels of one WebRTC connection: how many, how much each may hold unread or queue unsent,
 * and how long it may wait. Change one with its {@code with…} method:
 * {@code DataChannelConfig.defaults().withFinAckTimeout(...)}.
 *
 * <p>Why a stream needs a bound of its own: SCTP has one receive window per association (RFC 9260 a_rwnd), not per
 * stream, and the libp2p message framing "is not concerned with flow-control" (webrtc/README.md). So a stream
 * nobody reads could hold the whole window and stall every other stream. pion/sctp, under go-libp2p, has that
 * problem: its a_rwnd ({@code getMyReceiverWindowCredit}) is the receive buffer minus every stream's unread
 * reassembly queue, and go-libp2p only makes that buffer larger ({@code sctpReceiveBufferSize}, ten 257 KiB
 * messages). Browsers avoid it by handing each message to {@code onmessage} at once, with no receive bound at all
 * (w3c/webrtc-pc#2086). weft does what it does for mplex,
 * whose spec asks for "Blocking the entire connection until the offending stream is read" or "Resetting the
 * offending stream": a stream holds at most {@link #streamReceiveBuffer} unread bytes; what arrives beyond waits,
 * still counted against the association's window, and if the application makes no room for
 * {@link #slowReaderTimeout}, the stream is reset (its reader gets a {@link weft.mux.StreamResetException} caused by
 * a {@link weft.ResourceLimitException}) and its bytes go back to the window, so the other streams move again.
 *
 * @param maxStreams streams open at once on one connection; more inbound opens are refused with a channel reset,
 *     more {@code openStream} calls throw {@link weft.ResourceLimitException} (weft's 1024, as mplex's inbound limit,
 *     js {@code maxInboundStreams})
 * @param streamReceiveBuffer unread bytes one stream holds before what arrives for it waits (a quarter of the
 *     association's default 1 MiB window, so three streams stuck at their bound still leave the others room; a
 *     message larger than the bound is taken whole into an empty buffer)
 * @param streamSendBuffer bytes one stream may have queued on the association and not yet sent before its
 *     {@code write} waits (a data channel's {@code bufferedAmount}, W3C webrtc-pc 6.2: "queued using send() but
 *     that [...] had not yet been transmitted"). The association's send buffer is shared, and SCTP sends in the
 *     order messages were queued, so without this one stream whose data cannot move (the peer's window is shut)
 *     could fill the whole buffer and make every other stream's writes wait behind it. Default 32 KiB, two 16 KiB
 *     messages, as go-libp2p's webrtc stream ({@code sendBufferSize} = 2 x {@code maxSendMessageSize} in
 *     p2p/transport/webrtc/stream_write.go); the association's send buffer still bounds the total. go-libp2p's
 *     bound also counts sent bytes until they are acknowledged (pion's {@code bufferedAmount}), which caps one
 *     stream at 32 KiB per round trip; weft's counts only unsent bytes, so a single stream still fills the
 *     congestion window
 * @param slowReaderTimeout how long a stream's arrivals may wait for its reader to make room, without any
 *     progress, before the stream is reset; meanwhile those bytes hold their part of the association window
 *     (go-mplex {@code ReceiveTimeout} 5 s, as weft's mplex; zero resets at once)
 * @param finAckTimeout how long a FIN may wait for its FIN_ACK before the write half counts as closed anyway
 *     (webrtc/README.md: "The node MAY close the datachannel without receiving a FIN_ACK, for example in the case
 *     of a timeout"; go-libp2p {@code maxFINACKWait} 10 s)
 * @param scheduler the clock of both timeouts ({@link Scheduler#system()}; tests inject a manual one)
 */
public record DataChannelConfig(int maxStreams, int streamReceiveBuffer, int streamSendBuffer,
                                Duration slowReaderTimeout, Duration finAckTimeout, Scheduler scheduler) {

    /** The default {@link #streamSendBuffer}; see there. */
    private static final int SEND_BUFFER = 2 * MessageFrame.MAX_ENCODED;

    public DataChannelConfig {
        Objects.requireNonNull(slowReaderTimeout, "slowReaderTimeout");
        Objects.requireNonNull(finAckTimeout, "finAckTimeout");
        Objects.requireNonNull(scheduler, "scheduler");
        if (maxStreams <= 0) {
            throw new IllegalArgumentException("webrtc: maxStreams must be positive");
        }
        if (streamReceiveBuffer < MessageFrame.MAX_ENCODED) {
            throw new IllegalArgumentException("webrtc: streamReceiveBuffer must hold one 16 KiB message");
        }
        if (streamSendBuffer < MessageFrame.MAX_ENCODED) {
            throw new IllegalArgumentException("webrtc: streamSendBuffer must hold one 16 KiB message");
        }
        if (slowReaderTimeout.isNegative()) {
            throw new IllegalArgumentException("webrtc: slowReaderTimeout must not be negative");
        }
        if (!finAckTimeout.isPositive()) {
            throw new IllegalArgumentException("webrtc: finAckTimeout must be positive");
        }
    }

    /** The defaults named in the class doc. */
    public static DataChannelConfig defaults() {
        return new DataChannelConfig(1024, 256 * 1024, SEND_BUFFER, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Scheduler.system());
    }

    public DataChannelConfig withMaxStreams(int v) {
        return new DataChannelConfig(v, streamReceiveBuffer, streamSendBuffer, slowReaderTimeout, finAckTimeout,
                scheduler);
    }

    public DataChannelConfig withStreamReceiveBuffer(int v) {
        return new DataChannelConfig(maxStreams, v, streamSendBuffer, slowReaderTimeout, finAckTimeout, scheduler);
    }

    public DataChannelConfig withStreamSendBuffer(int v) {
        return new DataChannelConfig(maxStreams, streamReceiveBuffer, v, slowReaderTimeout, finAckTimeout, scheduler);
    }

    public DataChannelConfig withSlowReaderTimeout(Duration v) {
        return new DataChannelConfig(maxStreams, streamReceiveBuffer, streamSendBuffer, v, finAckTimeout, scheduler);
    }

    public DataChannelConfig withFinAckTimeout(Duration v) {
        return new DataChannelConfig(maxStreams, streamReceiveBuffer, streamSendBuffer, slowReaderTimeout, v,
                scheduler);
    }

    public DataChannelConfig withScheduler(Scheduler v) {
        return new DataChannelConfig(maxStreams, streamReceiveBuffer, streamSendBuffer, slowReaderTimeout,
                finAckTimeout, v);
    }
}
