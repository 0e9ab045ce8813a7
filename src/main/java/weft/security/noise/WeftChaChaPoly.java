package weft.security.noise;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link Aead} built from its two halves, as RFC 8439 §2.8 defines it: the JDK's {@code ChaCha20} stream cipher
 * (an intrinsic on AVX2 and up) for the keystream, and weft's {@link Poly1305} for the tag.
 *
 * <p>"First, a Poly1305 one-time key is generated from the 256-bit key and nonce using the procedure described in
 * Section 2.6" (the first 32 bytes of the ChaCha20 block with counter 0); "Next, the ChaCha20 encryption function
 * is called to encrypt the plaintext, using the same key and nonce, and with the initial counter set to 1"; the tag
 * is Poly1305 over {@code AAD || pad16 || ciphertext || pad16 || le64(len(AAD)) || le64(len(ciphertext))}. One
 * cipher initialisation per message yields both: the first 64 keystream bytes make the one-time key, and the
 * cipher continues with block 1 for the message. Opening checks the tag (in constant time,
 * {@link MessageDigest#isEqual}) before it decrypts, so a forged message never reaches {@code out}.
 */
final class WeftChaChaPoly implements Aead {
    /** The ChaCha20 block size: block 0 of the keystream yields the Poly1305 key (RFC 8439 §2.6). */
    private static final int BLOCK = 64;
    private static final byte[] ZEROS = new byte[BLOCK];

    private final Cipher chacha;
    private final Poly1305 poly = new Poly1305();
    private final byte[] nonceBytes = new byte[12];
    private final byte[] polyKey = new byte[BLOCK];
    private final byte[] tag = new byte[TAG_LENGTH];
    private final byte[] receivedTag = new byte[TAG_LENGTH];
    private SecretKeySpec key;

    WeftChaChaPoly() {
        try {
            chacha = Cipher.getInstance("ChaCha20");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: the JDK has no ChaCha20 cipher", e);
        }
    }

    @Override
    public void init(byte[] k, int off) {
        key = new SecretKeySpec(k, off, KEY_LENGTH, "ChaCha20");
    }

    @Override
    public int seal(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        Aead.nonceBytes(nonce, nonceBytes);
        return seal(nonceBytes, ad, in, inOff, len, out, outOff);
    }

    @Override
    public int seal(long nonce, byte[] ad, byte[] in1, int off1, int len1, byte[] in2, int off2, int len2,
            byte[] out, int outOff) {
        int len = len1 + len2;
        if (out.length - outOff < len + TAG_LENGTH) {
            throw new IllegalArgumentException("noise: output buffer too small (" + (out.length - outOff) + " < "
                    + (len + TAG_LENGTH) + " bytes)");
        }
        Aead.nonceBytes(nonce, nonceBytes);
        start(Cipher.ENCRYPT_MODE, nonceBytes, ad);
        try {
            // A stream cipher: update emits all len1 bytes and keeps its place in the keystream for the second part.
            int first = chacha.update(in1, off1, len1, out, outOff);
            xor(in2, off2, len2, out, outOff + first);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("noise: output buffer too small", e);
        }
        mac(out, outOff, len, ad);
        poly.finish(out, outOff + len);
        return len + TAG_LENGTH;
    }

    @Override
    public int open(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException {
        Aead.nonceBytes(nonce, nonceBytes);
        return open(nonceBytes, ad, in, inOff, len, out, outOff);
    }

    /** {@link #seal(long, byte[], byte[], int, int, byte[], int)} with any 12-byte RFC 8439 nonce. */
    int seal(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (out.length - outOff < len + TAG_LENGTH) {
            throw new IllegalArgumentException("noise: output buffer too small (" + (out.length - outOff) + " < "
                    + (len + TAG_LENGTH) + " bytes)");
        }
        start(Cipher.ENCRYPT_MODE, nonce, ad);
        xor(in, inOff, len, out, outOff);
        mac(out, outOff, len, ad);
        poly.finish(out, outOff + len);
        return len + TAG_LENGTH;
    }

    /** {@link #open(long, byte[], byte[], int, int, byte[], int)} with any 12-byte RFC 8439 nonce. */
    int open(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException {
        int plain = len - TAG_LENGTH;
        if (plain < 0) {
            throw new AEADBadTagException("noise: message shorter than its tag (" + len + " bytes)");
        }
        if (out.length - outOff < plain) {
            throw new IllegalArgumentException("noise: output buffer too small (" + (out.length - outOff) + " < "
                    + plain + " bytes)");
        }
        start(Cipher.DECRYPT_MODE, nonce, ad);
        mac(in, inOff, plain, ad);
        poly.finish(tag, 0);
        System.arraycopy(in, inOff + plain, receivedTag, 0, TAG_LENGTH);
        if (!MessageDigest.isEqual(tag, receivedTag)) {
            throw new AEADBadTagException("noise: tag mismatch");
        }
        xor(in, inOff, plain, out, outOff);
        return plain;
    }

    /** Initialises ChaCha20 at block 0 and takes the Poly1305 key from it; the cipher is then at block 1. */
    private void start(int mode, byte[] nonce, byte[] ad) {
        try {
            chacha.init(mode, key, new ChaCha20ParameterSpec(nonce, 0));
            chacha.update(ZEROS, 0, BLOCK, polyKey, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: cannot initialise ChaCha20", e);
        }
        poly.init(polyKey, 0);
        if (ad != null) {
            poly.update(ad, 0, ad.length);
            poly.padToBlock();
        }
    }

    /** {@code ciphertext || pad16 || le64(len(AAD)) || le64(len(ciphertext))} into the tag. */
    private void mac(byte[] ciphertext, int off, int len, byte[] ad) {
        poly.update(ciphertext, off, len);
        poly.updateLengths(ad == null ? 0 : ad.length, len);
    }

    private void xor(byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            chacha.doFinal(in, inOff, len, out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("noise: output buffer too small", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: ChaCha20 failed", e);
        }
    }

    @Override
    public void destroy() {
        key = null;
        Arrays.fill(polyKey, (byte) 0);
        Arrays.fill(nonceBytes, (byte) 0);
    }
}
