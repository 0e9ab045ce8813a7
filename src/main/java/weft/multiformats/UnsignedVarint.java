package weft.multiformats;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The multiformats unsigned varint: 7 bits per byte, least significant group first, high bit set on every byte
 * but the last.
 *
 * <p>Spec (multiformats/unsigned-varint): "the maximum varint length is 9 bytes" (63 bits) and "varints must be
 * minimally encoded" — a trailing {@code 0x00} group is rejected, as is a tenth byte.
 */
public final class UnsignedVarint {
    /** 9 bytes carry 63 bits, the spec's practical maximum. */
    public static final int MAX_BYTES = 9;

    private UnsignedVarint() {}

    /** Number of bytes {@code value} takes; {@code value} must be non-negative. */
    public static int size(long value) {
        requireNonNegative(value);
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    public static byte[] encode(long value) {
        byte[] out = new byte[size(value)];
        encode(value, out, 0);
        return out;
    }

    /** Writes {@code value} at {@code offset}; returns the number of bytes written. */
    public static int encode(long value, byte[] out, int offset) {
        requireNonNegative(value);
        int i = offset;
        while ((value & ~0x7FL) != 0) {
            out[i++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[i++] = (byte) value;
        return i - offset;
    }

    public static void write(long value, OutputStream out) throws IOException {
        byte[] buf = new byte[MAX_BYTES];
        out.write(buf, 0, encode(value, buf, 0));
    }

    /** A decoded value and the number of bytes it took. */
    public record Decoded(long value, int length) {}

    /** Decodes the varint at {@code offset}, reading no further than {@code limit} (exclusive). */
    public static Decoded decode(byte[] in, int offset, int limit) {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (offset + i >= limit) {
                throw new MultiformatException("varint: truncated after " + i + " bytes");
            }
            int b = in[offset + i] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new MultiformatException("varint: not minimally encoded (" + (i + 1) + " bytes)");
                }
                return new Decoded(value, i + 1);
            }
        }
        throw new MultiformatException("varint: longer than " + MAX_BYTES + " bytes");
    }

    public static long decode(byte[] in) {
        Decoded d = decode(in, 0, in.length);
        if (d.length() != in.length) {
            throw new MultiformatException("varint: " + (in.length - d.length()) + " trailing bytes");
        }
        return d.value();
    }

    /**
     * Reads one varint from {@code in}, one byte at a time so that nothing past it is consumed.
     *
     * @return the value, or -1 if the stream ended before the first byte
     * @throws EOFException if the stream ends inside the varint
     * @throws MultiformatException if it is overlong or not minimal
     */
    public static long read(InputStream in) throws IOException {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    return -1;
                }
                throw new EOFException("varint: stream ended after " + i + " bytes");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new MultiformatException("varint: not minimally encoded (" + (i + 1) + " bytes)");
                }
                return value;
            }
        }
        throw new MultiformatException("varint: longer than " + MAX_BYTES + " bytes");
    }

    private static void requireNonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint: negative value " + value);
        }
    }
}
