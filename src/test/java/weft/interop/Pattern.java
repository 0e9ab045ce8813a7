package weft.interop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The test bytes of the interop scenarios: xorshift64* output (Vigna 2014: shifts 12, 25, 27, multiplier
 * 2685821657736338717), each 64-bit step written little endian, from state {@code seed + 0x9E3779B97F4A7C15}.
 * The Go peer ({@code src/test/interop/go/yamuxpeer/streams.go}, type {@code pattern}) makes the same bytes, so a
 * receiver checks every byte and can name the first offset that differs.
 */
final class Pattern {
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long state;
    private long word;
    private int used = 8; // bytes of word already handed out

    Pattern(long seed) {
        this.state = seed + 0x9E3779B97F4A7C15L; // never 0 for the small seeds the scenarios use
    }

    /** Fills {@code buf[off, off + len)} with the next bytes of the pattern. */
    void fill(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        for (; i < end && used < 8; i++, used++) { // finish the current word
            buf[i] = (byte) (word >>> (8 * used));
        }
        for (; end - i >= 8; i += 8) { // whole words straight into buf
            LONG_LE.set(buf, i, step());
        }
        if (i < end) { // start a new word for the tail
            word = step();
            used = 0;
            for (; i < end; i++, used++) {
                buf[i] = (byte) (word >>> (8 * used));
            }
        }
    }

    private long step() {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return state * 2685821657736338717L;
    }
}
