package weft.mux.yamux;

/**
 * The yamux frame header and its encoder. Spec "Framing": "Yamux uses a streaming connection underneath, but
 * imposes a message framing so that it can be shared between many logical streams. Each frame contains a header …
 * All fields are encoded in network order (big endian)."
 *
 * <pre>
 * byte   0         1        2..3          4..7            8..11
 *        Version   Type     Flags (u16)   StreamID (u32)  Length (u32)
 * </pre>
 *
 * Decoding lives in {@link FrameReader}. Stream ids and lengths are unsigned 32-bit on the wire and held in Java
 * {@code int}s with the same bits; use {@link Integer#toUnsignedLong} to read them as numbers.
 */
final class Frame {
    /** Spec "Framing": the header is 12 bytes. */
    static final int HEADER_BYTES = 12;
    /** Spec "Version": "The version field is used for future backward compatibility. At the current time, the field
     * is always set to 0". */
    static final int VERSION = 0;

    /** Spec "Type": "Used to transmit data. May transmit zero length if only flags." */
    static final int TYPE_DATA = 0x0;
    /** Spec "Type": "Used to updated the senders receive window size. This is used to implement per-stream flow
     * control." */
    static final int TYPE_WINDOW_UPDATE = 0x1;
    /** Spec "Type": "Used to measure RTT. It can also be used to heart-beat and do keep-alives over TCP." */
    static final int TYPE_PING = 0x2;
    /** Spec "Type": "Used to close a session." */
    static final int TYPE_GO_AWAY = 0x3;

    /** Spec "Flags": "Signals the start of a new stream. May be sent with a data or window update message. Also sent
     * with a ping to indicate outbound." */
    static final int FLAG_SYN = 0x1;
    /** "Acknowledges the start of a new stream. … Also sent with a ping to indicate response." */
    static final int FLAG_ACK = 0x2;
    /** "Performs a half-close of a stream." */
    static final int FLAG_FIN = 0x4;
    /** "Reset a stream immediately." */
    static final int FLAG_RST = 0x8;

    private static final String[] TYPE_NAMES = {"DATA", "WINDOW_UPDATE", "PING", "GO_AWAY"};

    private Frame() {}

    /** Writes a header into {@code dst} at {@code off}. */
    static void encodeHeader(byte[] dst, int off, int type, int flags, int streamId, int length) {
        dst[off] = VERSION;
        dst[off + 1] = (byte) type;
        dst[off + 2] = (byte) (flags >>> 8);
        dst[off + 3] = (byte) flags;
        putInt(dst, off + 4, streamId);
        putInt(dst, off + 8, length);
    }

    /** A frame that is only a header (window update, ping, go-away, flags-only data). */
    static byte[] header(int type, int flags, int streamId, int length) {
        byte[] frame = new byte[HEADER_BYTES];
        encodeHeader(frame, 0, type, flags, streamId, length);
        return frame;
    }

    /** A data frame: header plus a copy of the payload, one array, ready for the writer. */
    static byte[] data(int flags, int streamId, byte[] src, int off, int len) {
        byte[] frame = new byte[HEADER_BYTES + len];
        encodeHeader(frame, 0, TYPE_DATA, flags, streamId, len);
        System.arraycopy(src, off, frame, HEADER_BYTES, len);
        return frame;
    }

    static int getInt(byte[] src, int off) {
        return (src[off] & 0xff) << 24 | (src[off + 1] & 0xff) << 16 | (src[off + 2] & 0xff) << 8 | (src[off + 3] & 0xff);
    }

    private static void putInt(byte[] dst, int off, int value) {
        dst[off] = (byte) (value >>> 24);
        dst[off + 1] = (byte) (value >>> 16);
        dst[off + 2] = (byte) (value >>> 8);
        dst[off + 3] = (byte) value;
    }

    /** {@code DATA}, {@code WINDOW_UPDATE}, … or the raw number. */
    static String typeName(int type) {
        return type >= 0 && type < TYPE_NAMES.length ? TYPE_NAMES[type] : "TYPE_" + type;
    }

    /** {@code SYN|ACK}, or {@code -} for none; unknown bits as hex. */
    static String flagNames(int flags) {
        if (flags == 0) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        String[] names = {"SYN", "ACK", "FIN", "RST"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                b.append(b.isEmpty() ? "" : "|").append(names[i]);
            }
        }
        int unknown = flags & ~0xf;
        if (unknown != 0) {
            b.append(b.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(unknown));
        }
        return b.toString();
    }
}
