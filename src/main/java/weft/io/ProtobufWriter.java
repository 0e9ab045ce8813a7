package weft.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a protobuf message field by field, in the order you call it, into a growing byte array. That order is
 * the tag order libp2p asks for ("fields must be encoded in tag order", peer-ids spec, deterministic encoding);
 * varints are always minimal.
 *
 * <pre>{@code
 * byte[] publicKey = new ProtobufWriter()
 *         .varint(1, KeyType.ED25519.code())   // Type
 *         .bytes(2, raw)                       // Data
 *         .toByteArray();
 * }</pre>
 *
 * <p>Wire format (protobuf "Encoding" guide): each field is {@code varint(field << 3 | wireType)} then the value;
 * wire type 0 is a varint, 2 is {@code varint(length) || bytes}. Those two are all libp2p's messages use.
 * Not thread-safe: one writer builds one message.
 */
public final class ProtobufWriter {
    private byte[] buffer = new byte[64];
    private int size;

    /** Field {@code field} as a varint (wire type 0). A negative value takes ten bytes, as protobuf's int64 does. */
    public ProtobufWriter varint(int field, long value) {
        tag(field, ProtobufReader.VARINT);
        rawVarint(value);
        return this;
    }

    /** Field {@code field} as a bool: a varint 0 or 1. */
    public ProtobufWriter bool(int field, boolean value) {
        return varint(field, value ? 1 : 0);
    }

    /** Field {@code field} as length-delimited bytes (wire type 2): a {@code bytes} field or an embedded message. */
    public ProtobufWriter bytes(int field, byte[] value) {
        tag(field, ProtobufReader.LEN);
        rawVarint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
        return this;
    }

    /** Field {@code field} as a UTF-8 {@code string}. */
    public ProtobufWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Field {@code field} as an embedded message. */
    public ProtobufWriter message(int field, ProtobufWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** Number of bytes written so far. */
    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void tag(int field, int wireType) {
        if (field < 1 || field > ProtobufReader.MAX_FIELD) {
            throw new IllegalArgumentException("protobuf: field number out of range (" + field + ")");
        }
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    private void ensure(int more) {
        if (buffer.length - size < more) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
