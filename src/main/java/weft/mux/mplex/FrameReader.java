package weft.mux.mplex;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import weft.multiformats.MultiformatException;
import weft.multiformats.UnsignedVarint;
import weft.trace.Trace;

/**
 * Decodes mplex frames from the channel and hands each to a {@link Handler}, one method per kind of frame (the shape
 * of OkHttp's {@code Http2Reader}). Runs on the connection reader thread only.
 *
 * <p>Checks done here, each a {@link MplexProtocolException} that ends the session:
 * <ul>
 *   <li>the two varints are minimally encoded and at most 9 bytes (multiformats unsigned-varint; go-mplex reads them
 *       with go-varint, which rejects the same);
 *   <li>the length is at most the configured maximum, 1 MiB by default (go-mplex "message size too large", js
 *       "Message size too large", rust "Mplex frame length … exceeds maximum": all three close the connection);
 *   <li>the flag is not 7, which the spec leaves undefined (rust-libp2p: "Invalid mplex header value", the
 *       connection closes; go-mplex skips the frame and resets the stream; js stalls its decoder).
 * </ul>
 * The data of a Close or Reset frame should be empty (spec); like go, js and rust we skip whatever is there.
 */
final class FrameReader {
    /** Varints are read a byte at a time: buffer the channel so that is not one channel call per byte. */
    private static final int BUFFER_BYTES = 16 * 1024;

    /** What the session does with each decoded frame. */
    interface Handler {
        /** A NewStream frame: the peer opened {@code streamId}; consume exactly {@code length} bytes (its name). */
        void newStream(long streamId, int length, InputStream payload) throws IOException;

        /**
         * A MessageInitiator or MessageReceiver frame; consume exactly {@code length} bytes of data.
         *
         * @param peerOpened true for MessageInitiator: the sender opened the stream, so it is one the peer opened;
         *     false for MessageReceiver: the stream is one we opened
         */
        void message(long streamId, boolean peerOpened, int length, InputStream payload) throws IOException;

        /** A CloseInitiator or CloseReceiver frame (its data already skipped). */
        void close(long streamId, boolean peerOpened) throws IOException;

        /** A ResetInitiator or ResetReceiver frame (its data already skipped). */
        void reset(long streamId, boolean peerOpened) throws IOException;
    }

    private final InputStream in;
    private final int maxPayload;
    private final Trace trace;

    FrameReader(InputStream channel, int maxPayload) {
        this(channel, maxPayload, Trace.OFF);
    }

    FrameReader(InputStream channel, int maxPayload, Trace trace) {
        this.in = new BufferedInputStream(channel, BUFFER_BYTES);
        this.maxPayload = maxPayload;
        this.trace = trace;
    }

    /** The buffered input frames are read from (a lingering close drains what is left of it). */
    InputStream input() {
        return in;
    }

    /**
     * Reads one frame and dispatches it.
     *
     * @return false on a clean end of stream before a frame
     * @throws MplexProtocolException for a bad varint, a frame above the maximum length, or flag 7
     * @throws EOFException when the stream ends inside a frame
     */
    boolean nextFrame(Handler handler) throws IOException {
        long header = readVarint("header", true);
        if (header < 0) {
            return false;
        }
        long length = readVarint("length", false);
        int flag = (int) (header & 7);
        long streamId = header >>> 3;
        if (trace.on()) Frame.trace(trace, false, flag, streamId, length);
        if (length > maxPayload) {
            throw new MplexProtocolException("mplex: frame too large (stream " + streamId + ", " + length + " > "
                    + maxPayload + " bytes)");
        }
        int len = (int) length;
        switch (flag) {
            case Frame.NEW_STREAM -> handler.newStream(streamId, len, in);
            case Frame.MESSAGE_RECEIVER, Frame.MESSAGE_INITIATOR ->
                    handler.message(streamId, flag == Frame.MESSAGE_INITIATOR, len, in);
            case Frame.CLOSE_RECEIVER, Frame.CLOSE_INITIATOR -> {
                skipPayload(in, len);
                handler.close(streamId, flag == Frame.CLOSE_INITIATOR);
            }
            case Frame.RESET_RECEIVER, Frame.RESET_INITIATOR -> {
                skipPayload(in, len);
                handler.reset(streamId, flag == Frame.RESET_INITIATOR);
            }
            default -> throw new MplexProtocolException("mplex: undefined flag (" + flag + ", stream " + streamId
                    + ")");
        }
        return true;
    }

    /** One header or length varint; -1 at a clean end of stream only where {@code first}. */
    private long readVarint(String what, boolean first) throws IOException {
        long value;
        try {
            value = UnsignedVarint.read(in);
        } catch (MultiformatException e) {
            throw new MplexProtocolException("mplex: bad frame " + what + " (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new EOFException("mplex: connection ended inside a frame " + what + " (" + e.getMessage() + ")");
        }
        if (value < 0 && !first) {
            throw new EOFException("mplex: connection ended before a frame length");
        }
        return value;
    }

    /**
     * Reads exactly {@code len} bytes into a new array, in one pass ({@code len} was checked against the maximum
     * frame length, so allocating it up front is bounded).
     */
    static byte[] readPayload(InputStream in, long streamId, int len) throws IOException {
        byte[] payload = new byte[len];
        int n = in.readNBytes(payload, 0, len);
        if (n < len) {
            throw new EOFException("mplex: connection ended inside a frame (stream " + streamId + ", " + n + " of "
                    + len + " bytes)");
        }
        return payload;
    }

    /** Skips exactly {@code len} bytes of a frame nobody wants. */
    static void skipPayload(InputStream in, int len) throws IOException {
        in.skipNBytes(len); // throws EOFException when the stream ends first
    }
}
