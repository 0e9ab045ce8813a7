package weft.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a protobuf message field by field, bounds-checked: whatever the bytes, it returns fields or throws
 * {@link ProtobufException}, never an index or arithmetic error.
 *
 * <pre>{@code
 * ProtobufReader in = new ProtobufReader(bytes);
 * while (in.next()) {
 *     switch (in.field()) {
 *         case 1 -> type = in.readVarint();
 *         case 2 -> data = in.readBytes();
 *         default -> in.skip();                // unknown fields are skipped, as protobuf says
 *     }
 * }
 * }</pre>
 *
 * <p>Wire format (protobuf "Encoding" guide): a field is {@code varint(field << 3 | wireType)} then its value.
 * Wire types: 0 varint (at most 10 bytes), 1 fixed 8 bytes, 2 {@code varint(length) || bytes}, 5 fixed 4 bytes;
 * 3 and 4 (groups) are deprecated and rejected. Like every protobuf parser this one accepts non-minimal varints;
 * a message that must be deterministically encoded (libp2p keys) is checked by re-encoding it.
 *
 * <p>Not thread-safe; a reader is a cursor over one array, which it does not copy.
 */
public final class ProtobufReader {
    /** Wire type 0: a varint. */
    public static final int VARINT = 0;
    /** Wire type 1: 8 little-endian bytes. */
    public static final int I64 = 1;
    /** Wire type 2: length-delimited bytes. */
    public static final int LEN = 2;
    /** Wire type 5: 4 little-endian bytes. */
    public static final int I32 = 5;
    /** The largest field number protobuf allows, 2^29 - 1 (protobuf language guide, "Assigning Field Numbers"). */
    public static final int MAX_FIELD = (1 << 29) - 1;

    private final byte[] buf;
    private final int limit;
    private int pos;
    private int field;
    private int wireType = -1;
    private boolean valuePending;

    public ProtobufReader(byte[] message) {
        this(message, 0, message.length);
    }

    public ProtobufReader(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new IndexOutOfBoundsException("protobuf: range " + offset + "+" + length + " outside "
                    + buffer.length + " bytes");
        }
        this.buf = buffer;
        this.pos = offset;
        this.limit = offset + length;
    }

    /**
     * Moves to the next field. If the value of the current field was not read, it is skipped.
     *
     * @return false at the end of the message
     */
    public boolean next() {
        if (valuePending) {
            skip();
        }
        if (pos == limit) {
            return false;
        }
        int at = pos;
        long tag = rawVarint();
        long number = tag >>> 3;
        int type = (int) (tag & 7);
        if (number < 1 || number > MAX_FIELD) {
            throw new ProtobufException("protobuf: field number out of range (" + number + " at offset " + at + ")");
        }
        if (type != VARINT && type != I64 && type != LEN && type != I32) {
            throw new ProtobufException("protobuf: unsupported wire type " + type + " for field " + number
                    + " (at offset " + at + ")");
        }
        field = (int) number;
        wireType = type;
        valuePending = true;
        return true;
    }

    /** The current field's number. */
    public int field() {
        return field;
    }

    /** The current field's wire type: {@link #VARINT}, {@link #I64}, {@link #LEN} or {@link #I32}. */
    public int wireType() {
        return wireType;
    }

    /** The current field's value as a varint (uint64, int64, enum); its wire type must be {@link #VARINT}. */
    public long readVarint() {
        expect(VARINT);
        valuePending = false;
        return rawVarint();
    }

    /** The current field's value as a bool: any non-zero varint is true, as protobuf says. */
    public boolean readBool() {
        return readVarint() != 0;
    }

    /** The current field's value as bytes (a copy); its wire type must be {@link #LEN}. */
    public byte[] readBytes() {
        int length = lengthPrefix();
        byte[] value = Arrays.copyOfRange(buf, pos, pos + length);
        pos += length;
        return value;
    }

    /** The current field's value as a strict UTF-8 string; malformed UTF-8 is a {@link ProtobufException}. */
    public String readString() {
        int length = lengthPrefix();
        try {
            String value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, length))
                    .toString();
            pos += length;
            return value;
        } catch (CharacterCodingException e) {
            throw new ProtobufException("protobuf: field " + field + " is not valid utf-8");
        }
    }

    /** The current field's value as an embedded message, read in place (no copy). */
    public ProtobufReader readMessage() {
        int length = lengthPrefix();
        ProtobufReader message = new ProtobufReader(buf, pos, length);
        pos += length;
        return message;
    }

    /** Skips the current field's value. */
    public void skip() {
        if (!valuePending) {
            throw new IllegalStateException("protobuf: no field value to skip");
        }
        switch (wireType) {
            case VARINT -> readVarint();
            case LEN -> {
                // Not `pos += lengthPrefix()`: Java reads `pos` before lengthPrefix() moves it past the length.
                int length = lengthPrefix();
                pos += length;
            }
            case I64 -> fixed(8);
            case I32 -> fixed(4);
            default -> throw new AssertionError(wireType);
        }
    }

    private void fixed(int bytes) {
        valuePending = false;
        if (limit - pos < bytes) {
            throw new ProtobufException("protobuf: field " + field + " truncated (" + (limit - pos) + " of " + bytes
                    + " bytes)");
        }
        pos += bytes;
    }

    private int lengthPrefix() {
        expect(LEN);
        valuePending = false;
        long length = rawVarint();
        if (length > limit - pos || length < 0) {
            throw new ProtobufException("protobuf: field " + field + " length exceeds the message (" + length
                    + " > " + (limit - pos) + " bytes)");
        }
        return (int) length;
    }

    private void expect(int type) {
        if (!valuePending) {
            throw new IllegalStateException("protobuf: no field value to read; call next() first");
        }
        if (wireType != type) {
            throw new ProtobufException("protobuf: field " + field + " has wire type " + wireType + ", expected "
                    + type);
        }
    }

    /** A base-128 varint of at most 10 bytes, the tenth carrying only the 64th bit. */
    private long rawVarint() {
        long value = 0;
        for (int i = 0; i < 10; i++) {
            if (pos == limit) {
                throw new ProtobufException("protobuf: truncated varint (" + i + " bytes before the end)");
            }
            int b = buf[pos++] & 0xFF;
            if (i == 9 && b > 1) {
                throw new ProtobufException("protobuf: varint overflows 64 bits");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new ProtobufException("protobuf: varint longer than 10 bytes");
    }
}
