package weft.transport.webrtc;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import weft.ProtocolViolationException;
import weft.io.ProtobufException;
import weft.io.ProtobufReader;
import weft.io.ProtobufWriter;
import weft.multiformats.UnsignedVarint;

/**
 * One libp2p message on a WebRTC data channel: {@code uvarint(length) || Message}, where (webrtc/README.md,
 * Multiplexing)
 *
 * <pre>
 * message Message {
 *   enum Flag { FIN = 0; STOP_SENDING = 1; RESET_STREAM = 2; FIN_ACK = 3; }
 *   optional Flag flag = 1;
 *   optional bytes message = 2;
 * }
 * </pre>
 *
 * <p>"Encoded messages including their length prefix MUST NOT exceed 16kiB to support all major browsers." weft
 * sends one frame per data channel message; on receipt it reads the channel as a byte stream
 * ({@link Decoder}), as js-libp2p does, so a frame split over messages or several in one both work.
 */
record MessageFrame(Flag flag, byte[] message) {
    /** The 16 KiB limit of the spec, length prefix included. */
    static final int MAX_ENCODED = 16 * 1024;
    /**
     * The most data one frame carries: 16384 - 2 (length prefix, below 2^14) - 1 (field 2 tag) - 2 (its length,
     * below 2^14) - 2 (an optional flag field) = 16377, rounded down to leave a margin.
     */
    static final int MAX_DATA = MAX_ENCODED - 16;

    /** The spec's flags; the wire value is the ordinal. */
    enum Flag { FIN, STOP_SENDING, RESET_STREAM, FIN_ACK }

    static MessageFrame data(byte[] message) {
        return new MessageFrame(null, message);
    }

    static MessageFrame flag(Flag flag) {
        return new MessageFrame(flag, null);
    }

    byte[] encode() {
        ProtobufWriter body = new ProtobufWriter();
        if (flag != null) {
            body.varint(1, flag.ordinal());
        }
        if (message != null) {
            body.bytes(2, message);
        }
        byte[] protobuf = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(protobuf.length + 3);
        out.writeBytes(UnsignedVarint.encode(protobuf.length));
        out.writeBytes(protobuf);
        return out.toByteArray();
    }

    /** Decodes one protobuf {@code Message} (without its length prefix). Unknown flags and fields are ignored. */
    static MessageFrame decodeBody(byte[] bytes, int offset, int length) throws ProtocolViolationException {
        Flag flag = null;
        byte[] message = null;
        try {
            ProtobufReader reader = new ProtobufReader(bytes, offset, length);
            while (reader.next()) {
                if (reader.field() == 1 && reader.wireType() == ProtobufReader.VARINT) {
                    long value = reader.readVarint();
                    flag = value >= 0 && value < Flag.values().length ? Flag.values()[(int) value] : null;
                } else if (reader.field() == 2 && reader.wireType() == ProtobufReader.LEN) {
                    message = reader.readBytes();
                } else {
                    reader.skip();
                }
            }
        } catch (ProtobufException e) {
            throw new ProtocolViolationException("webrtc: bad message frame: " + e.getMessage(), e);
        }
        return new MessageFrame(flag, message);
    }

    /** Cuts a data channel's byte stream into frames; one per stream, on the association's delivery thread. */
    static final class Decoder {
        private byte[] pending = new byte[0];

        /** Appends one data channel message and returns the frames it completed. */
        List<MessageFrame> feed(byte[] chunk) throws ProtocolViolationException {
            byte[] bytes = pending.length == 0 ? chunk : concat(pending, chunk);
            List<MessageFrame> frames = new ArrayList<>(1);
            int at = 0;
            while (at < bytes.length) {
                long length = 0;
                int shift = 0;
                int i = at;
                boolean complete = false;
                while (i < bytes.length && shift < 21) {
                    int b = bytes[i++] & 0xff;
                    length |= (long) (b & 0x7f) << shift;
                    shift += 7;
                    if ((b & 0x80) == 0) {
                        complete = true;
                        break;
                    }
                }
                if (!complete && shift >= 21 || length + (i - at) > MAX_ENCODED) {
                    throw new ProtocolViolationException("webrtc: message frame exceeds " + MAX_ENCODED + " bytes");
                }
                if (!complete || bytes.length - i < length) {
                    break;
                }
                frames.add(decodeBody(bytes, i, (int) length));
                at = i + (int) length;
            }
            pending = at == bytes.length ? new byte[0] : java.util.Arrays.copyOfRange(bytes, at, bytes.length);
            return frames;
        }

        /** Bytes held of a frame not yet complete (at most {@link #MAX_ENCODED}). */
        int pendingLength() {
            return pending.length;
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
