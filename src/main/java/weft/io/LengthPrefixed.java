package weft.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import weft.ProtocolViolationException;
import weft.multiformats.MultiformatException;
import weft.multiformats.UnsignedVarint;

/**
 * Messages framed as {@code uvarint(length) || bytes}: how identify, and most libp2p protocols carrying
 * protobufs, delimit messages on a stream (go-libp2p {@code go-msgio/pbio}, js {@code it-length-prefixed}).
 *
 * <pre>
 * "hello"  =  05 68 65 6c 6c 6f
 * </pre>
 *
 * <p>{@link #read} takes the length one byte at a time and then exactly that many bytes, so nothing after the
 * message is consumed. The maximum length is the protocol's (identify: 4 KiB in rust-libp2p, 8 KiB in go and js).
 */
public final class LengthPrefixed {
    private LengthPrefixed() {}

    /**
     * Reads one message.
     *
     * @return the message, or {@code null} if the stream ended cleanly before its first byte
     * @throws ProtocolViolationException if the length is longer than {@code maxLength} or is not a valid varint
     * @throws EOFException if the stream ends inside the length or the message
     */
    public static byte[] read(InputStream in, int maxLength) throws IOException {
        long length;
        try {
            length = UnsignedVarint.read(in);
        } catch (MultiformatException e) {
            throw new ProtocolViolationException("length-prefixed: bad length: " + e.getMessage(), e);
        }
        if (length < 0) {
            return null;
        }
        if (length > maxLength) {
            throw new ProtocolViolationException("length-prefixed: message too long (" + length + " > " + maxLength
                    + " bytes)");
        }
        byte[] message = in.readNBytes((int) length);
        if (message.length < length) {
            throw new EOFException("length-prefixed: stream ended inside a message (" + message.length + " of "
                    + length + " bytes)");
        }
        return message;
    }

    /** Writes {@code uvarint(length) || message} in a single {@code write} call; does not flush. */
    public static void write(OutputStream out, byte[] message) throws IOException {
        byte[] frame = new byte[UnsignedVarint.size(message.length) + message.length];
        int n = UnsignedVarint.encode(message.length, frame, 0);
        System.arraycopy(message, 0, frame, n, message.length);
        out.write(frame);
    }
}
