package weft.multistream;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import weft.ProtocolViolationException;
import weft.multiformats.MultiformatException;
import weft.multiformats.UnsignedVarint;

/**
 * The one message format of multistream-select 1.0: {@code uvarint(len(msg) + 1) || msg || '\n'}
 * (multiformats/multistream-select {@code README.md}: "the message is prefixed with its length as an unsigned
 * varint, and terminated by a newline"; the newline counts in the length).
 *
 * <pre>
 * na     =  03 6e 61 0a
 * /noise =  07 2f 6e 6f 69 73 65 0a
 * </pre>
 *
 * <p>Reading takes the varint one byte at a time and then exactly the message, so bytes the peer pipelined after
 * it stay in the stream.
 */
final class MessageCodec {
    /**
     * Longest message accepted, newline included: go-multistream's {@code lpReadBuf} returns {@code ErrTooLarge}
     * above 1024, js has {@code MAX_PROTOCOL_LENGTH = 1024}. So the longest protocol id is 1023 bytes.
     */
    static final int MAX_MESSAGE_LENGTH = 1024;
    /**
     * Longest {@code ls} response we read: rust-libp2p frames it with a 2-byte uvarint ({@code MAX_FRAME_SIZE}
     * 16383 in {@code length_delimited.rs}), we allow 64 KiB.
     */
    static final int MAX_LIST_LENGTH = 64 * 1024;

    private MessageCodec() {}

    /** Encodes messages back to back, so a caller can send several in one write. */
    static byte[] encode(String... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String message : messages) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            if (bytes.length + 1 > MAX_MESSAGE_LENGTH) {
                throw new IllegalArgumentException("multistream: protocol id too long (" + bytes.length
                        + " > " + (MAX_MESSAGE_LENGTH - 1) + " bytes)");
            }
            writeMessage(out, bytes);
        }
        return out.toByteArray();
    }

    /**
     * The {@code ls} response as js and rust send it: one message whose body is each protocol as a message of
     * its own, then a newline: {@code uvarint(total) || {uvarint(len + 1) || proto || '\n'}* || '\n'}.
     */
    static byte[] encodeList(Collection<String> protocols) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String protocol : protocols) {
            writeMessage(body, protocol.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeMessage(out, body.toByteArray());
        return out.toByteArray();
    }

    private static void writeMessage(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(UnsignedVarint.encode(bytes.length + 1L));
        out.writeBytes(bytes);
        out.write('\n');
    }

    /** Reads one message of at most {@link #MAX_MESSAGE_LENGTH} bytes and returns it without its newline. */
    static String read(InputStream in) throws IOException {
        return utf8(readBytes(in, MAX_MESSAGE_LENGTH));
    }

    /**
     * Reads one message, exactly its bytes, and returns it without the newline.
     *
     * @throws EOFException if the stream ends before or inside the message
     * @throws ProtocolViolationException if the length is not a varint, is above {@code max}, or the message does
     *     not end in a newline
     */
    static byte[] readBytes(InputStream in, int max) throws IOException {
        long length;
        try {
            length = UnsignedVarint.read(in);
        } catch (MultiformatException e) {
            throw new ProtocolViolationException("multistream: bad message length: " + e.getMessage(), e);
        }
        if (length < 0) {
            throw new EOFException("multistream: stream ended before a message");
        }
        if (length > max) {
            throw new ProtocolViolationException("multistream: message too long (" + length + " > " + max
                    + " bytes)");
        }
        byte[] message = in.readNBytes((int) length);
        if (message.length < length) {
            throw new EOFException("multistream: stream ended inside a message (" + message.length + " of " + length
                    + " bytes)");
        }
        if (length == 0 || message[message.length - 1] != '\n') {
            throw new ProtocolViolationException("multistream: message does not end in a newline (" + length
                    + " bytes)");
        }
        byte[] body = new byte[message.length - 1];
        System.arraycopy(message, 0, body, 0, body.length);
        return body;
    }

    /** Splits the body of an {@code ls} response (its own trailing newline already removed) into protocol ids. */
    static List<String> decodeList(byte[] body) throws ProtocolViolationException {
        List<String> protocols = new ArrayList<>();
        int offset = 0;
        while (offset < body.length) {
            UnsignedVarint.Decoded length;
            try {
                length = UnsignedVarint.decode(body, offset, body.length);
            } catch (MultiformatException e) {
                throw new ProtocolViolationException("multistream: bad ls entry: " + e.getMessage(), e);
            }
            int start = offset + length.length();
            if (length.value() == 0 || length.value() > body.length - start) {
                throw new ProtocolViolationException("multistream: bad ls entry length (" + length.value() + " at "
                        + offset + ", " + (body.length - start) + " bytes left)");
            }
            int end = start + (int) length.value();
            if (body[end - 1] != '\n') {
                throw new ProtocolViolationException("multistream: ls entry does not end in a newline (at " + offset
                        + ")");
            }
            byte[] entry = new byte[end - 1 - start];
            System.arraycopy(body, start, entry, 0, entry.length);
            protocols.add(utf8(entry));
            offset = end;
        }
        return protocols;
    }

    private static String utf8(byte[] bytes) throws ProtocolViolationException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolViolationException("multistream: message is not UTF-8 (" + bytes.length + " bytes)", e);
        }
    }
}
