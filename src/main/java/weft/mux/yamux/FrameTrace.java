package weft.mux.yamux;

import java.time.Duration;
import weft.ConnectionClosedException;
import weft.trace.Trace;

/**
 * How a yamux session shows in the wire trace ({@link weft.trace}): one event per frame, sent or received, with the
 * stream's window once the frame is applied, plus RTT samples and the session's end. The session calls these from
 * one-line hooks behind {@code trace.on()}, so none of this runs when tracing is off.
 *
 * <pre>
 * +0.391ms c3 → yamux WINDOW_UPDATE SYN stream=1 delta=0 (recv window 262144)
 * +0.412ms c3 ← yamux WINDOW_UPDATE ACK stream=1 delta=0 (send window 262144)
 * +0.530ms c3 → yamux DATA stream=1 length=5 (send window 262139)
 * +1.020ms c3 · yamux RTT sample=0.488ms smoothed=0.488ms
 * </pre>
 */
final class FrameTrace {
    private FrameTrace() {}

    /**
     * Emits one frame as a trace event, e.g. {@code ← yamux WINDOW_UPDATE ACK stream=1 delta=0 (send window 262144)}:
     * type, flags as a set, stream id, the length field under its meaning (a DATA length, a window delta, a RST's
     * error code, a PING's opaque value, a GO_AWAY code) and, when known, the stream's window once the frame is
     * applied: the send window (what we may still send) after a DATA we sent or a WINDOW_UPDATE we received, the
     * receive window (what the peer may still send) after a DATA we received or a WINDOW_UPDATE we sent. DATA and
     * WINDOW_UPDATE frames without flags are bulk: a summarizing listener counts them.
     *
     * @param window the window after the frame, or -1 when there is none to show
     */
    static void frame(Trace trace, boolean sent, int type, int flags, int streamId, int length, long window) {
        Trace.Builder event = sent ? trace.sent("yamux") : trace.received("yamux");
        event.word("type", Frame.typeName(type)).word("flags", flags == 0 ? null : Frame.flagNames(flags));
        long value = Integer.toUnsignedLong(length);
        switch (type) {
            case Frame.TYPE_DATA -> event.pair("stream", Integer.toUnsignedLong(streamId)).pair("length", value)
                    .note(sent ? "send_window" : "recv_window", window < 0 ? null : window)
                    .bulk(flags == 0 ? value : -1);
            case Frame.TYPE_WINDOW_UPDATE -> event.pair("stream", Integer.toUnsignedLong(streamId))
                    .pair((flags & Frame.FLAG_RST) != 0 ? "code" : "delta", value)
                    .note(sent ? "recv_window" : "send_window", window < 0 ? null : window)
                    .bulk(flags == 0 ? value : -1);
            case Frame.TYPE_PING -> event.pair("opaque", value);
            case Frame.TYPE_GO_AWAY -> event.pair("code", value).note("meaning", GoAwayCode.describe(length));
            default -> event.pair("stream", Integer.toUnsignedLong(streamId)).pair("length", value);
        }
        event.emit();
    }

    /** {@link #frame(Trace, boolean, int, int, int, int, long)} of an encoded frame. */
    static void frame(Trace trace, boolean sent, byte[] frame, long window) {
        int flags = (frame[2] & 0xff) << 8 | (frame[3] & 0xff);
        frame(trace, sent, frame[1], flags, Frame.getInt(frame, 4), Frame.getInt(frame, 8), window);
    }

    /** {@code → yamux DATA stream=1 length=5 (send window 262139)}: a frame we queued, with its stream's window. */
    static void sent(YamuxSession session, byte[] frame) {
        int type = frame[1];
        boolean windowed = type == Frame.TYPE_DATA || type == Frame.TYPE_WINDOW_UPDATE;
        YamuxStream stream = windowed ? session.stream(Frame.getInt(frame, 4)) : null;
        long window = stream == null ? -1
                : type == Frame.TYPE_DATA ? stream.sendWindow.available() : stream.receiveWindow.credit();
        frame(session.trace(), true, frame, window);
    }

    /**
     * The window a received frame leaves on its stream, worked out before the frame is applied (so the event comes
     * before anything the frame causes): the receive window less a DATA payload, the send window plus a
     * WINDOW_UPDATE delta. A SYN's new stream starts at the spec's 256 KiB.
     */
    static long windowAfter(YamuxSession session, int type, int flags, int streamId, int length) {
        boolean data = type == Frame.TYPE_DATA;
        if (!data && (type != Frame.TYPE_WINDOW_UPDATE || (flags & Frame.FLAG_RST) != 0)) {
            return -1;
        }
        YamuxStream stream = session.stream(streamId);
        long before = stream != null ? (data ? stream.receiveWindow.credit() : stream.sendWindow.available())
                : (flags & Frame.FLAG_SYN) != 0 ? YamuxConfig.SPEC_INITIAL_WINDOW : -1;
        long after = data ? before - Integer.toUnsignedLong(length) : before + Integer.toUnsignedLong(length);
        return before < 0 ? -1 : Math.min(after, 0xFFFF_FFFFL);
    }

    /** {@code · yamux RTT sample=0.512ms smoothed=0.498ms}: a pong answered one of our RTT pings. */
    static void rtt(Trace trace, long sampleNanos, Duration smoothed) {
        trace.local("yamux").word("type", "RTT").pair("sample", Duration.ofNanos(sampleNanos))
                .pair("smoothed", smoothed).emit();
    }

    /** {@code · yamux closed reason="yamux: session closed locally"}. */
    static void closed(Trace trace, ConnectionClosedException cause) {
        trace.local("yamux").word("type", "closed").pair("reason", cause.getMessage()).emit();
    }
}
