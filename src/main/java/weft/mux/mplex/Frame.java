package weft.mux.mplex;

import weft.multiformats.UnsignedVarint;
import weft.trace.Trace;

/**
 * The mplex frame and its encoder. Spec "Message format": "Every communication in multiplex consists of a header,
 * and a length prefixed data segment. The header is an unsigned base128 varint … The lower three bits are the
 * message flags, and the rest of the bits (shifted down by three bits) are the stream ID":
 *
 * <pre>
 * | header                 | length  | data           |
 * | uvarint (id << 3 | flag) | uvarint | 'length' bytes |
 * </pre>
 *
 * <p>Every flag but {@link #NEW_STREAM} comes in two spellings, one per role: the side that opened the stream (the
 * stream's <em>initiator</em>) sends the even one, the other side (its <em>receiver</em>) the odd one. So the flag
 * also says which side opened the stream, and the two sides may use the same id number for different streams.
 * Decoding lives in {@link FrameReader}.
 */
final class Frame {
    /** Spec "Opening a new stream": "send a message with the flag set to NewStream … and the data of the message
     * set to the name of the stream". */
    static final int NEW_STREAM = 0;
    /** Spec "Writing to a stream": "send a message with the flag MessageReceiver (1) or MessageInitiator (2)". */
    static final int MESSAGE_RECEIVER = 1;
    static final int MESSAGE_INITIATOR = 2;
    /** Spec "Closing a stream": "send a message with a zero length body and a CloseReceiver (3) or CloseInitiator
     * (4) flag". */
    static final int CLOSE_RECEIVER = 3;
    static final int CLOSE_INITIATOR = 4;
    /** Spec "Resetting a stream": "send a message with a zero length body and a ResetReceiver (5) or ResetInitiator
     * (6) flag". */
    static final int RESET_RECEIVER = 5;
    static final int RESET_INITIATOR = 6;

    /**
     * The largest payload a peer may send and we send: spec "limited to a maximum size agreed upon out of band (For
     * reference, the go-multiplex implementation sets this to 1MB)"; go-mplex {@code MaxMessageSize = 1 << 20}, js
     * {@code MAX_MSG_SIZE = 1 << 20}, rust {@code MAX_FRAME_SIZE = 1024 * 1024}. All three accept exactly 1 MiB.
     */
    static final int SPEC_MAX_PAYLOAD = 1 << 20;

    /** Stream ids go up to 2^60 - 1: {@code id << 3 | flag} must fit the 63 bits of a 9-byte unsigned varint. */
    static final long MAX_STREAM_ID = (1L << 60) - 1;

    private static final String[] FLAG_NAMES = {"NEW_STREAM", "MESSAGE_RECEIVER", "MESSAGE_INITIATOR",
        "CLOSE_RECEIVER", "CLOSE_INITIATOR", "RESET_RECEIVER", "RESET_INITIATOR"};
    private static final byte[] EMPTY = new byte[0];

    private Frame() {}

    /**
     * The flag we send for a stream: the initiator spelling ({@link #MESSAGE_INITIATOR}, {@link #CLOSE_INITIATOR},
     * {@link #RESET_INITIATOR}) on a stream we opened, the receiver spelling (one less) on a stream the peer opened.
     */
    static int flagFor(int initiatorFlag, boolean peerOpened) {
        return peerOpened ? initiatorFlag - 1 : initiatorFlag;
    }

    /** A frame with a copy of {@code len} bytes of {@code src} as its data, one array, ready for the writer. */
    static byte[] encode(long streamId, int flag, byte[] src, int off, int len) {
        long header = streamId << 3 | flag;
        int headerBytes = UnsignedVarint.size(header);
        int lengthBytes = UnsignedVarint.size(len);
        byte[] frame = new byte[headerBytes + lengthBytes + len];
        UnsignedVarint.encode(header, frame, 0);
        UnsignedVarint.encode(len, frame, headerBytes);
        System.arraycopy(src, off, frame, headerBytes + lengthBytes, len);
        return frame;
    }

    /** A frame with no data (close, reset). */
    static byte[] empty(long streamId, int flag) {
        return encode(streamId, flag, EMPTY, 0, 0);
    }

    /** {@code MESSAGE_INITIATOR}, … or {@code FLAG_7}. */
    static String flagName(int flag) {
        return flag >= 0 && flag < FLAG_NAMES.length ? FLAG_NAMES[flag] : "FLAG_" + flag;
    }

    /**
     * Emits one frame as a trace event ({@link weft.trace}): {@code → mplex MESSAGE_INITIATOR stream=17 length=300}.
     * Message frames are bulk: a summarizing listener counts them. Called behind {@code trace.on()} only.
     */
    static void trace(Trace trace, boolean sent, int flag, long streamId, long length) {
        boolean message = flag == MESSAGE_RECEIVER || flag == MESSAGE_INITIATOR;
        (sent ? trace.sent("mplex") : trace.received("mplex")).word("flag", flagName(flag)).pair("stream", streamId)
                .pair("length", length).bulk(message ? length : -1).emit();
    }

    /** {@link #trace(Trace, boolean, int, long, long)} of an encoded frame we send. */
    static void trace(Trace trace, byte[] frame) {
        UnsignedVarint.Decoded header = UnsignedVarint.decode(frame, 0, frame.length);
        long length = UnsignedVarint.decode(frame, header.length(), frame.length).value();
        trace(trace, true, (int) (header.value() & 7), header.value() >>> 3, length);
    }

    /** {@code MESSAGE_INITIATOR stream=17 length=300}. */
    static String describe(int flag, long streamId, long length) {
        return flagName(flag) + " stream=" + streamId + " length=" + length;
    }

    /** {@link #describe(int, long, long)} of an encoded frame. */
    static String describe(byte[] frame) {
        UnsignedVarint.Decoded header = UnsignedVarint.decode(frame, 0, frame.length);
        long length = UnsignedVarint.decode(frame, header.length(), frame.length).value();
        return describe((int) (header.value() & 7), header.value() >>> 3, length);
    }
}
