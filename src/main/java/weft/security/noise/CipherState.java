package weft.security.noise;

import javax.crypto.AEADBadTagException;
import weft.ProtocolViolationException;

/**
 * The Noise {@code CipherState} for ChaChaPoly: a key {@code k} and a 64-bit nonce counter {@code n} (Noise spec
 * rev 34, §5.1). "A CipherState can encrypt and decrypt data based on its k and n variables." Until a key is set,
 * encryption and decryption pass bytes through unchanged, as the spec's {@code EncryptWithAd}/{@code DecryptWithAd}
 * do when {@code k} is empty.
 *
 * <p>The cipher is ChaCha20-Poly1305 (RFC 8439) through an {@link Aead}, one per direction, created once: the JDK's
 * cipher where its Poly1305 intrinsic runs, else the JDK's ChaCha20 with weft's {@link Poly1305}
 * ({@link Aead#create()} says why). The nonce is 4 zero bytes followed by {@code n} as a little-endian 64-bit
 * integer (Noise spec §12.4: "encrypts ... using a 96-bit nonce formed by encoding 32 bits of zeros followed by
 * little-endian encoding of n").
 *
 * <p>Not thread-safe: each direction of a connection owns its own instance and uses it from one thread.
 */
final class CipherState {
    /** The Poly1305 authentication tag appended to every ciphertext (RFC 8439 §2.8). */
    static final int TAG_LENGTH = Aead.TAG_LENGTH;
    /** 2^64-1 as an unsigned long: "reserved for other use" (Noise spec §5.1); reaching it is an error. */
    private static final long MAX_NONCE = -1L;

    private final Aead aead;
    private boolean keyed;
    private long nonce;

    CipherState() {
        this(Aead.create());
    }

    CipherState(Aead aead) {
        this.aead = aead;
    }

    /** {@code InitializeKey(key)}: sets {@code k} and resets {@code n} to zero. */
    void initializeKey(byte[] k) {
        aead.init(k, 0);
        keyed = true;
        nonce = 0;
    }

    boolean hasKey() {
        return keyed;
    }

    /** {@code SetNonce(nonce)}: the spec's hook for out-of-order transports; weft uses it only in tests. */
    void setNonce(long n) {
        nonce = n;
    }

    /** The next nonce, an unsigned 64-bit counter. */
    long nonce() {
        return nonce;
    }

    /**
     * {@code EncryptWithAd(ad, plaintext)}: writes {@code len + 16} bytes of ciphertext and tag to {@code out} (or
     * the plaintext unchanged when there is no key) and returns how many bytes it wrote.
     */
    int encryptWithAd(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws NonceExhaustedException {
        if (!keyed) {
            System.arraycopy(in, inOff, out, outOff, len);
            return len;
        }
        checkNonce("send");
        int written = aead.seal(nonce, ad, in, inOff, len, out, outOff);
        nonce++;
        return written;
    }

    /**
     * {@code EncryptWithAd(ad, in1 || in2)} without joining the parts first (see
     * {@link Aead#seal(long, byte[], byte[], int, int, byte[], int, int, byte[], int)}): one message, one nonce.
     */
    int encryptWithAd(byte[] ad, byte[] in1, int off1, int len1, byte[] in2, int off2, int len2, byte[] out,
            int outOff) throws NonceExhaustedException {
        if (!keyed) {
            System.arraycopy(in1, off1, out, outOff, len1);
            System.arraycopy(in2, off2, out, outOff + len1, len2);
            return len1 + len2;
        }
        checkNonce("send");
        int written = aead.seal(nonce, ad, in1, off1, len1, in2, off2, len2, out, outOff);
        nonce++;
        return written;
    }

    /**
     * {@code DecryptWithAd(ad, ciphertext)}: authenticates and decrypts {@code len} bytes (ciphertext and tag) into
     * {@code out}, returning the plaintext length ({@code len - 16}). A message that fails authentication throws
     * {@link ProtocolViolationException} and leaves {@code n} unchanged, as the spec says ("If an authentication
     * failure occurs in DecryptWithAd() then the nonce must not be incremented").
     */
    int decryptWithAd(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws ProtocolViolationException, NonceExhaustedException {
        if (!keyed) {
            System.arraycopy(in, inOff, out, outOff, len);
            return len;
        }
        if (len < TAG_LENGTH) {
            throw new ProtocolViolationException(
                    "noise: message shorter than its tag (" + len + " < " + TAG_LENGTH + " bytes)");
        }
        checkNonce("receive");
        try {
            int written = aead.open(nonce, ad, in, inOff, len, out, outOff);
            nonce++;
            return written;
        } catch (AEADBadTagException e) {
            throw new ProtocolViolationException(
                    "noise: message failed authentication (nonce " + Long.toUnsignedString(nonce) + ", " + len
                            + " bytes)", e);
        }
    }

    private void checkNonce(String direction) throws NonceExhaustedException {
        if (nonce == MAX_NONCE) {
            throw new NonceExhaustedException("noise: " + direction + " nonce exhausted (2^64-1 messages)");
        }
    }

    /** Forgets the key (the spec's cipher states are discarded after use); best effort, the JDK keeps copies. */
    void destroy() {
        keyed = false;
        aead.destroy();
    }
}
