package weft.security.noise;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link Aead} on the JDK's {@code ChaCha20-Poly1305} cipher: one {@link Cipher} created once and re-initialised
 * per message with the nonce. Fast where the JDK's Poly1305 intrinsic runs (AVX-512 IFMA: about 4 GB/s sealing
 * 65519-byte messages, {@code shared/reference/jvm-limits.md} §1), several times slower without it.
 */
final class JdkChaChaPoly implements Aead {
    private final Cipher cipher;
    private final byte[] nonceBytes = new byte[12];
    private SecretKeySpec key;

    JdkChaChaPoly() {
        try {
            cipher = Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: the JDK has no ChaCha20-Poly1305 cipher", e);
        }
    }

    @Override
    public void init(byte[] k, int off) {
        key = new SecretKeySpec(k, off, KEY_LENGTH, "ChaCha20");
    }

    @Override
    public int seal(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        start(Cipher.ENCRYPT_MODE, nonce, ad);
        try {
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("noise: output buffer too small (" + (out.length - outOff) + " < "
                    + (len + TAG_LENGTH) + " bytes)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: ChaCha20-Poly1305 encryption failed", e);
        }
    }

    @Override
    public int seal(long nonce, byte[] ad, byte[] in1, int off1, int len1, byte[] in2, int off2, int len2,
            byte[] out, int outOff) {
        start(Cipher.ENCRYPT_MODE, nonce, ad);
        try {
            // Encrypting, the JDK cipher emits each update's ciphertext at once (it buffers only when decrypting).
            int first = cipher.update(in1, off1, len1, out, outOff);
            return first + cipher.doFinal(in2, off2, len2, out, outOff + first);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("noise: output buffer too small (" + (out.length - outOff) + " < "
                    + (len1 + len2 + TAG_LENGTH) + " bytes)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: ChaCha20-Poly1305 encryption failed", e);
        }
    }

    @Override
    public int open(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException {
        start(Cipher.DECRYPT_MODE, nonce, ad);
        try {
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("noise: output buffer too small (" + (out.length - outOff) + " < "
                    + (len - TAG_LENGTH) + " bytes)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: ChaCha20-Poly1305 decryption failed", e);
        }
    }

    private void start(int mode, long nonce, byte[] ad) {
        Aead.nonceBytes(nonce, nonceBytes);
        try {
            // IvParameterSpec copies the nonce: the one allocation per message the JDK API leaves us.
            cipher.init(mode, key, new IvParameterSpec(nonceBytes));
            if (ad != null) {
                cipher.updateAAD(ad);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: cannot initialise ChaCha20-Poly1305", e);
        }
    }

    @Override
    public void destroy() {
        key = null;
        Arrays.fill(nonceBytes, (byte) 0);
    }
}
