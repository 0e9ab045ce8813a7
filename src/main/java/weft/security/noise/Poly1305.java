package weft.security.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The Poly1305 one-time authenticator of RFC 8439 §2.5: "Poly1305 is a one-time authenticator ... takes a 32-byte
 * one-time key and a message and produces a 16-byte tag." The key is {@code r || s}; {@code r} is clamped, each
 * 16-byte block {@code m} (read little-endian, with a 1 bit above its last byte) updates the accumulator
 * {@code a = ((a + m) * r) mod (2^130 - 5)}, and the tag is {@code (a + s) mod 2^128}.
 *
 * <p>Why weft has its own: the JDK's Poly1305 runs as an intrinsic only on CPUs with AVX-512 IFMA; elsewhere it is
 * generic big-number code ({@code IntegerPolynomial1305}, 26-bit limbs in objects) that took 60% of a
 * tcp/noise/yamux transfer's CPU in a JFR profile ({@code bench/RESULTS.md}). This one keeps the accumulator in
 * base 2^64 (two 64-bit words and a 3-bit top word) and multiplies with {@link Math#unsignedMultiplyHigh}: four
 * 64×64→128-bit products per block, the layout of the scalar 64-bit code in OpenSSL's {@code crypto/poly1305}
 * (the reduction uses {@code 2^130 ≡ 5}: since the clamped {@code r1} is a multiple of 4,
 * {@code r1 * 2^128 ≡ (r1 >> 2) * 5 = r1 + (r1 >> 2)} modulo {@code p}). The bits above 2^130 left by each block's
 * product are folded back (times 5) into the next block's message addition rather than carried through right away,
 * so each block has one carry chain, not two. No allocation after construction.
 *
 * <p>Streaming use: {@link #init}, any number of {@link #update} calls, then {@link #finish}. {@link #padToBlock}
 * ends a partial block with zeros as a full block, which is the AEAD construction's {@code pad16} (§2.8).
 * Not thread-safe.
 */
final class Poly1305 {
    static final int KEY_LENGTH = 32;
    static final int TAG_LENGTH = 16;
    private static final int BLOCK = 16;
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** "r[3], r[7], r[11], and r[15] are required to have their top four bits clear ... r[4], r[8], and r[12] are
     * required to have their bottom two bits clear" (§2.5.1), as one mask per 64-bit half. */
    private static final long CLAMP = 0x0ffffffc0ffffffcL;

    private long r0;
    private long r1;
    private long s1;
    private long pad0;
    private long pad1;
    private long h0;
    private long h1;
    private long h2;
    /** A partial block waiting for more bytes. */
    private final byte[] buffer = new byte[BLOCK];
    private int buffered;

    /** Starts a new tag with the 32-byte one-time key at {@code key[off]}. */
    void init(byte[] key, int off) {
        r0 = (long) LE_LONG.get(key, off) & 0x0ffffffc0fffffffL;
        r1 = (long) LE_LONG.get(key, off + 8) & CLAMP;
        s1 = r1 + (r1 >>> 2);
        pad0 = (long) LE_LONG.get(key, off + 16);
        pad1 = (long) LE_LONG.get(key, off + 24);
        h0 = 0;
        h1 = 0;
        h2 = 0;
        buffered = 0;
    }

    /** Adds {@code len} message bytes. */
    void update(byte[] m, int off, int len) {
        if (buffered > 0) {
            int take = Math.min(len, BLOCK - buffered);
            System.arraycopy(m, off, buffer, buffered, take);
            buffered += take;
            off += take;
            len -= take;
            if (buffered < BLOCK) {
                return;
            }
            blocks(buffer, 0, BLOCK, 1);
            buffered = 0;
        }
        int whole = len & ~(BLOCK - 1);
        if (whole > 0) {
            blocks(m, off, whole, 1);
        }
        int rest = len - whole;
        if (rest > 0) {
            System.arraycopy(m, off + whole, buffer, 0, rest);
            buffered = rest;
        }
    }

    /** Completes a partial block with zero bytes and processes it as a full block (RFC 8439 §2.8 {@code pad16}). */
    void padToBlock() {
        if (buffered > 0) {
            Arrays.fill(buffer, buffered, BLOCK, (byte) 0);
            blocks(buffer, 0, BLOCK, 1);
            buffered = 0;
        }
    }

    /** Adds the two little-endian 64-bit lengths that end the AEAD construction's MAC data (§2.8). */
    void updateLengths(long first, long second) {
        padToBlock();
        LE_LONG.set(buffer, 0, first);
        LE_LONG.set(buffer, 8, second);
        blocks(buffer, 0, BLOCK, 1);
    }

    /** Writes the 16-byte tag to {@code tag[off]}. A last partial block gets its 1 byte after the message (§2.5.1). */
    void finish(byte[] tag, int off) {
        if (buffered > 0) {
            buffer[buffered] = 1;
            Arrays.fill(buffer, buffered + 1, BLOCK, (byte) 0);
            blocks(buffer, 0, BLOCK, 0);
            buffered = 0;
        }
        // a is below 2 * p here: a - p is a + 5 - 2^130; keep it if that did not go negative (bit 130 set).
        long g0 = h0 + 5;
        long c = carry(h0, 5, g0);
        long g1 = h1 + c;
        c = carry(h1, c, g1);
        long g2 = h2 + c;
        long mask = -(g2 >>> 2);
        long a0 = (h0 & ~mask) | (g0 & mask);
        long a1 = (h1 & ~mask) | (g1 & mask);
        long t0 = a0 + pad0;
        long t1 = a1 + pad1 + carry(a0, pad0, t0);
        LE_LONG.set(tag, off, t0);
        LE_LONG.set(tag, off + 8, t1);
        h0 = h1 = h2 = 0;
    }

    /** Processes {@code len} (a multiple of 16) bytes; {@code hibit} is the bit above each block's 128 bits. */
    private void blocks(byte[] m, int off, int len, long hibit) {
        long a0 = h0;
        long a1 = h1;
        long a2 = h2;
        final long k0 = r0;
        final long k1 = r1;
        final long ks1 = s1;
        long pending = 0; // 5 * (the bits above 2^130), not yet added to a0 (folded into the next block's addition)
        for (int end = off + len; off < end; off += BLOCK) {
            // a += m + pending (130 bits)
            long m0 = (long) LE_LONG.get(m, off);
            long m1 = (long) LE_LONG.get(m, off + 8);
            long s0 = a0 + m0;
            long k = carry(a0, m0, s0);
            long t0 = s0 + pending;
            k += carry(s0, pending, t0);
            long s1 = a1 + m1;
            long c1 = carry(a1, m1, s1);
            long t1 = s1 + k;
            c1 += carry(s1, k, t1);
            a0 = t0;
            a1 = t1;
            a2 += hibit + c1;

            // d0 = a0*r0 + a1*s1, d1 = a0*r1 + a1*r0 + a2*s1 (128-bit), d2 = a2*r0
            long d0lo = a0 * k0;
            long d0hi = Math.unsignedMultiplyHigh(a0, k0);
            long p = a1 * ks1;
            long sum = d0lo + p;
            d0hi += Math.unsignedMultiplyHigh(a1, ks1) + carry(d0lo, p, sum);
            d0lo = sum;

            long d1lo = a0 * k1;
            long d1hi = Math.unsignedMultiplyHigh(a0, k1);
            p = a1 * k0;
            sum = d1lo + p;
            d1hi += Math.unsignedMultiplyHigh(a1, k0) + carry(d1lo, p, sum);
            d1lo = sum;
            p = a2 * ks1;
            sum = d1lo + p;
            d1hi += carry(d1lo, p, sum);
            d1lo = sum;
            long d2 = a2 * k0;

            // fold: a = d0lo + 2^64 (d1lo + d0hi) + 2^128 (d2 + d1hi); the bits above 130, times 5, stay pending
            // and join the next block's addition: one carry chain per block instead of two (about 1.5x faster)
            a0 = d0lo;
            a1 = d1lo + d0hi;
            a2 = d2 + d1hi + carry(d1lo, d0hi, a1);
            pending = (a2 >>> 2) + (a2 & ~3L);
            a2 &= 3;
        }
        long t0 = a0 + pending; // the last block's pending bits: a0, a1 and a2 < 5 again
        long c = carry(a0, pending, t0);
        a0 = t0;
        long t1 = a1 + c;
        c = carry(a1, c, t1);
        a1 = t1;
        a2 += c;
        h0 = a0;
        h1 = a1;
        h2 = a2;
    }

    /** The carry out of the unsigned 64-bit addition {@code sum = a + b}, without a branch. */
    private static long carry(long a, long b, long sum) {
        return ((a & b) | ((a | b) & ~sum)) >>> 63;
    }
}
