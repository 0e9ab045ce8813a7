package weft.mux.yamux;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import weft.trace.Trace;

/**
 * Decodes yamux frames from the channel and hands each to a {@link Handler}, one method per frame type (the shape
 * of OkHttp's {@code Http2Reader}). Runs on the connection reader thread only; the header array is reused.
 *
 * <p>Checks done here: version 0 (spec "Version"; go-yamux {@code ErrInvalidVersion}) and a known type (go-yamux
 * {@code ErrInvalidMsgType}). Everything that needs session state is checked by the handler.
 */
final class FrameReader {
    /** What the session does with each decoded frame. Flags are passed as the full bit set. */
    interface Handler {
        /**
         * A well-formed header arrived, before its frame is dispatched: the peer is alive. Called first so that
         * anything the frame makes us send (a pong, an ACK) leaves after the peer counts as heard from.
         */
        default void headerReceived() {}

        /**
         * For the trace only, before the frame is dispatched: the window this frame leaves on its stream (see
         * {@link FrameTrace#frame(Trace, boolean, int, int, int, int, long)}), or -1 when there is none to show.
         */
        default long windowAfter(int type, int flags, int streamId, int length) {
            return -1;
        }

        /** A DATA frame; the handler must consume exactly {@code length} payload bytes from {@code payload}. */
        void data(int flags, int streamId, int length, InputStream payload) throws IOException;

        /** A WINDOW_UPDATE frame; {@code delta} is the raw length field (an error code when RST is set). */
        void windowUpdate(int flags, int streamId, int delta) throws IOException;

        void ping(int flags, int value) throws IOException;

        void goAway(int code) throws IOException;
    }

    private final InputStream in;
    private final Trace trace;
    private final byte[] header = new byte[Frame.HEADER_BYTES]; // reader thread only

    FrameReader(InputStream in) {
        this(in, Trace.OFF);
    }

    FrameReader(InputStream in, Trace trace) {
        this.in = in;
        this.trace = trace;
    }

    /**
     * Reads one frame and dispatches it.
     *
     * @return false on a clean end of stream before a header
     * @throws YamuxProtocolException for a bad version or type
     * @throws EOFException when the stream ends inside a frame
     */
    boolean nextFrame(Handler handler) throws IOException {
        int n = in.readNBytes(header, 0, Frame.HEADER_BYTES);
        if (n == 0) {
            return false;
        }
        if (n < Frame.HEADER_BYTES) {
            throw new EOFException("yamux: connection ended inside a frame header (" + n + " of 12 bytes)");
        }
        int version = header[0] & 0xff;
        int type = header[1] & 0xff;
        int flags = (header[2] & 0xff) << 8 | (header[3] & 0xff);
        int streamId = Frame.getInt(header, 4);
        int length = Frame.getInt(header, 8);
        if (version != Frame.VERSION) {
            throw new YamuxProtocolException("yamux: unsupported version (" + version + ", expected 0)");
        }
        if (trace.on()) trace(handler, type, flags, streamId, length);
        handler.headerReceived();
        switch (type) {
            case Frame.TYPE_DATA -> handler.data(flags, streamId, length, in);
            case Frame.TYPE_WINDOW_UPDATE -> handler.windowUpdate(flags, streamId, length);
            case Frame.TYPE_PING -> handler.ping(flags, length);
            case Frame.TYPE_GO_AWAY -> handler.goAway(length);
            default -> throw new YamuxProtocolException("yamux: unknown frame type (" + type + ")");
        }
        return true;
    }

    private void trace(Handler handler, int type, int flags, int streamId, int length) {
        long window = handler.windowAfter(type, flags, streamId, length);
        FrameTrace.frame(trace, false, type, flags, streamId, length, window);
    }

    /**
     * Reads exactly {@code len} payload bytes into the start of {@code into} (at least that long: new, or recycled by
     * the stream's buffer). The caller has already checked {@code len} against the receive window it granted, so the
     * array is bounded; reading straight into the final array avoids {@code readNBytes(int)}'s chunk-and-concatenate
     * copies (the largest allocation source in bench/StackPerf).
     */
    static void readPayload(InputStream in, int streamId, byte[] into, int len) throws IOException {
        int n = in.readNBytes(into, 0, len);
        if (n < len) {
            throw new EOFException("yamux: connection ended inside a data frame (stream "
                    + Integer.toUnsignedLong(streamId) + ", " + n + " of " + len + " bytes)");
        }
    }

    /** Skips exactly {@code len} bytes (u32) of a data frame nobody wants. */
    static void skipPayload(InputStream in, int len) throws IOException {
        in.skipNBytes(Integer.toUnsignedLong(len)); // throws EOFException when the stream ends first
    }
}
