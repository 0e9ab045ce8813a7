package weft.transport.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The RFC 6455 §5.2 base framing protocol: one header, decoded and encoded.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * <p>{@link #read} checks every rule a receiver must: reserved bits clear ("MUST be 0 unless an extension is
 * negotiated"), a known opcode, control frames final and at most 125 bytes (§5.5), the mask bit ("a client MUST
 * mask all frames that it sends to the server", "a server MUST NOT mask any frames that it sends to the client",
 * §5.1), the 64-bit length's most significant bit clear, and our payload bound.
 *
 * @param fin the final fragment of a message
 * @param opcode one of the {@code *_OPCODE} constants
 * @param maskKey the 32-bit masking key, big-endian as on the wire; meaningful only when {@code masked}
 * @param length the payload length in bytes
 */
record Frame(boolean fin, int opcode, boolean masked, int maskKey, long length) {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** RFC 6455 §5.5: "All control frames MUST have a payload length of 125 bytes or less". */
    static final int MAX_CONTROL_PAYLOAD = 125;
    /** 2 bytes, 8 of extended length, 4 of masking key. */
    static final int MAX_HEADER_BYTES = 14;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    boolean isControl() {
        return (opcode & 0x8) != 0;
    }

    /**
     * Reads one header from {@code in}.
     *
     * @param fromClient the sender is a client, so the frame must be masked; otherwise it must not be
     * @param maxPayload the largest data frame payload we accept (RFC 6455 §10.4: "implementations SHOULD impose
     *     a limit on frame sizes")
     * @return the header, or null when the stream ended cleanly before its first byte
     * @throws WebSocketProtocolException for a header we must reject, with the close code to send
     * @throws EOFException when the stream ends inside the header
     */
    static Frame read(InputStream in, boolean fromClient, long maxPayload) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte(in);
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        boolean masked = (b1 & 0x80) != 0;
        if ((b0 & 0x70) != 0) {
            throw protocolError("reserved bits set with no extension negotiated (0x%02x)", b0 & 0x70);
        }
        if (opcode > BINARY && opcode < CLOSE || opcode > PONG) {
            throw protocolError("unknown opcode 0x%x", opcode);
        }
        if (masked != fromClient) {
            throw protocolError(fromClient ? "unmasked frame from a client (opcode 0x%x)"
                    : "masked frame from a server (opcode 0x%x)", opcode);
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (long) readByte(in) << 8 | readByte(in);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | readByte(in);
            }
            if (length < 0) {
                throw protocolError("64-bit payload length with the most significant bit set");
            }
        }
        boolean control = (opcode & 0x8) != 0;
        if (control && (!fin || length > MAX_CONTROL_PAYLOAD)) {
            throw protocolError("control frame 0x%x fragmented or longer than 125 bytes (%d bytes, fin %b)",
                    opcode, length, fin);
        }
        if (length > maxPayload) {
            throw new WebSocketProtocolException(String.format(
                    "websocket: frame payload too large (%d > %d bytes)", length, maxPayload),
                    WebSocketProtocolException.MESSAGE_TOO_BIG);
        }
        int maskKey = 0;
        if (masked) {
            maskKey = readByte(in) << 24 | readByte(in) << 16 | readByte(in) << 8 | readByte(in);
        }
        return new Frame(fin, opcode, masked, maskKey, length);
    }

    /**
     * Writes a header into {@code out} at {@code offset}, with the minimal length encoding (§5.2: "the minimal
     * number of bytes MUST be used to encode the length").
     *
     * @return the number of header bytes written (2 to 14)
     */
    static int writeHeader(byte[] out, int offset, boolean fin, int opcode, boolean masked, int maskKey, long length) {
        int p = offset;
        out[p++] = (byte) ((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (length <= 125) {
            out[p++] = (byte) (maskBit | length);
        } else if (length <= 0xFFFF) {
            out[p++] = (byte) (maskBit | 126);
            out[p++] = (byte) (length >>> 8);
            out[p++] = (byte) length;
        } else {
            out[p++] = (byte) (maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[p++] = (byte) (length >>> shift);
            }
        }
        if (masked) {
            out[p++] = (byte) (maskKey >>> 24);
            out[p++] = (byte) (maskKey >>> 16);
            out[p++] = (byte) (maskKey >>> 8);
            out[p++] = (byte) maskKey;
        }
        return p - offset;
    }

    /**
     * XORs {@code length} bytes in place with the masking key (RFC 6455 §5.3: "octet i of the transformed data is
     * the XOR of octet i of the original data with octet at index i modulo 4 of the masking key"). {@code position}
     * is the index within the frame's payload of {@code bytes[offset]}, so a payload can be unmasked in pieces.
     * Eight bytes at a time; masking and unmasking are the same operation.
     */
    static void mask(byte[] bytes, int offset, int length, int maskKey, long position) {
        int key = Integer.rotateLeft(maskKey, 8 * (int) (position & 3));
        long key8 = (long) key << 32 | (key & 0xFFFF_FFFFL);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            LONGS.set(bytes, offset + i, (long) LONGS.get(bytes, offset + i) ^ key8);
        }
        for (; i < length; i++) {
            bytes[offset + i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("websocket: connection ended inside a frame header");
        }
        return b;
    }

    static WebSocketProtocolException protocolError(String format, Object... args) {
        return new WebSocketProtocolException("websocket: " + String.format(format, args),
                WebSocketProtocolException.PROTOCOL_ERROR);
    }
}
