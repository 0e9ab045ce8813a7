package weft.mux.yamux;

import java.io.IOException;
import java.io.InputStream;
import weft.ConnectionClosedException;

/**
 * What each received frame does to a {@link YamuxSession}: the reader side of the session, one method per frame
 * type, called by {@link FrameReader} on the connection reader thread only. The stream table (new inbound streams,
 * acknowledgements, the accept queue) stays in the session; this class applies a frame's flags, window and payload
 * in the order go-yamux's {@code handleStreamMessage} does: ACK first, then data, then FIN, RST, and a new stream
 * becomes acceptable only once its SYN frame is fully applied.
 */
final class SessionFrameHandler implements FrameReader.Handler {
    private final YamuxSession session;

    SessionFrameHandler(YamuxSession session) {
        this.session = session;
    }

    @Override
    public void headerReceived() {
        session.frameReceived(); // go-yamux resets the keep-alive timer on every received header
    }

    @Override
    public void data(int flags, int streamId, int length, InputStream payload) throws IOException {
        YamuxStream stream = session.streamFor(flags, streamId);
        if (stream == null) {
            // go-yamux handleStreamMessage: "likely we sent a RST and/or closed the stream for reading"; drain.
            FrameReader.skipPayload(payload, length);
            return;
        }
        if ((flags & Frame.FLAG_ACK) != 0) {
            session.acked(stream);
        }
        if (length != 0) {
            stream.receiveWindow.received(streamId, Integer.toUnsignedLong(length));
            byte[] chunk = stream.buffer.newChunk(length);
            FrameReader.readPayload(payload, streamId, chunk, length);
            stream.onData(chunk, length);
        }
        if ((flags & Frame.FLAG_FIN) != 0) {
            stream.onFin();
        }
        if ((flags & Frame.FLAG_RST) != 0) {
            stream.onReset(0); // go-yamux v5: a RST on a DATA frame carries no code
        }
        if ((flags & Frame.FLAG_SYN) != 0) {
            session.publish(stream);
        }
    }

    @Override
    public void windowUpdate(int flags, int streamId, int delta) throws IOException {
        YamuxStream stream = session.streamFor(flags, streamId);
        if (stream == null) {
            return;
        }
        if ((flags & Frame.FLAG_ACK) != 0) {
            session.acked(stream);
        }
        if ((flags & Frame.FLAG_RST) != 0) {
            stream.onReset(delta); // go-yamux v5 ResetWithError: the length is the error code
        } else {
            stream.sendWindow.grow(Integer.toUnsignedLong(delta)); // spec: the delta is ADDED, also with SYN/ACK
            if ((flags & Frame.FLAG_FIN) != 0) {
                stream.onFin();
            }
        }
        if ((flags & Frame.FLAG_SYN) != 0) {
            session.publish(stream);
        }
    }

    @Override
    public void ping(int flags, int value) throws IOException {
        if ((flags & Frame.FLAG_SYN) != 0) {
            session.pong(value);
        } else if ((flags & Frame.FLAG_ACK) != 0) {
            session.pongReceived(value);
        }
    }

    @Override
    public void goAway(int code) throws IOException {
        if (code != GoAwayCode.NORMAL) {
            throw new ConnectionClosedException("yamux: remote sent go away (" + GoAwayCode.describe(code) + ")",
                    true, null);
        }
        session.remoteGoAway();
    }

    @Override
    public long windowAfter(int type, int flags, int streamId, int length) {
        return FrameTrace.windowAfter(session, type, flags, streamId, length);
    }
}
