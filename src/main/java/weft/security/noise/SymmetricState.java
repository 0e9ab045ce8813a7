package weft.security.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import weft.ProtocolViolationException;

/**
 * The Noise {@code SymmetricState} for SHA-256 (Noise spec rev 34, §5.2): the chaining key {@code ck}, the
 * handshake hash {@code h} and a {@link CipherState}. "A SymmetricState object contains a CipherState plus ck and
 * h variables ... During the handshake phase each party has a single SymmetricState, which can be deleted once the
 * handshake is finished."
 *
 * <p>HKDF is the Noise spec's own two- and three-output HKDF (§4.3) on HMAC-SHA256, written out on the JDK's
 * {@link Mac}: about 1.6 times faster here than the JDK 25 {@code KDF} API ({@code jvm-limits.md} §3d).
 */
final class SymmetricState {
    static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    /** SHA-256 output length, the spec's {@code HASHLEN}. */
    static final int HASH_LENGTH = 32;

    private final MessageDigest sha256;
    private final Mac hmac;
    private final CipherState cipherState = new CipherState();
    private byte[] chainingKey;
    private byte[] hash;

    /** {@code InitializeSymmetric(protocol_name)}. */
    SymmetricState() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
            hmac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: the JDK has no SHA-256", e);
        }
        byte[] name = PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII);
        // "If protocol_name is less than or equal to HASHLEN bytes in length, sets h equal to protocol_name with zero
        // bytes appended to make HASHLEN bytes. Otherwise sets h = HASH(protocol_name)." Ours is exactly 32 bytes.
        hash = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : sha256.digest(name);
        chainingKey = hash.clone();
    }

    /** {@code MixKey(input_key_material)}: {@code ck, temp_k = HKDF(ck, ikm, 2)}; the cipher now has a key. */
    void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = hkdf(chainingKey, inputKeyMaterial, 2);
        chainingKey = out[0];
        cipherState.initializeKey(out[1]);
    }

    /** {@code MixHash(data)}: {@code h = HASH(h || data)}. */
    void mixHash(byte[] data, int off, int len) {
        sha256.update(hash);
        sha256.update(data, off, len);
        hash = sha256.digest();
    }

    void mixHash(byte[] data) {
        mixHash(data, 0, data.length);
    }

    /** {@code EncryptAndHash(plaintext)}: encrypts with {@code h} as associated data, then mixes the ciphertext in. */
    byte[] encryptAndHash(byte[] plaintext) throws NonceExhaustedException {
        byte[] out = new byte[plaintext.length + (cipherState.hasKey() ? CipherState.TAG_LENGTH : 0)];
        cipherState.encryptWithAd(hash, plaintext, 0, plaintext.length, out, 0);
        mixHash(out);
        return out;
    }

    /** {@code DecryptAndHash(ciphertext)}: decrypts with {@code h} as associated data, then mixes the ciphertext in. */
    byte[] decryptAndHash(byte[] message, int off, int len)
            throws ProtocolViolationException, NonceExhaustedException {
        boolean keyed = cipherState.hasKey();
        if (keyed && len < CipherState.TAG_LENGTH) {
            throw new ProtocolViolationException(
                    "noise: handshake field shorter than its tag (" + len + " < 16 bytes)");
        }
        byte[] out = new byte[keyed ? len - CipherState.TAG_LENGTH : len];
        cipherState.decryptWithAd(hash, message, off, len, out, 0);
        mixHash(message, off, len);
        return out;
    }

    boolean hasKey() {
        return cipherState.hasKey();
    }

    /** The handshake hash {@code h}: after the handshake, a unique name for the session (channel binding). */
    byte[] handshakeHash() {
        return hash.clone();
    }

    /**
     * {@code Split()}: {@code temp_k1, temp_k2 = HKDF(ck, zerolen, 2)}; returns the initiator-to-responder cipher
     * state first and the responder-to-initiator one second.
     */
    CipherState[] split() {
        byte[][] keys = hkdf(chainingKey, new byte[0], 2);
        CipherState c1 = new CipherState();
        c1.initializeKey(keys[0]);
        CipherState c2 = new CipherState();
        c2.initializeKey(keys[1]);
        Arrays.fill(keys[0], (byte) 0);
        Arrays.fill(keys[1], (byte) 0);
        Arrays.fill(chainingKey, (byte) 0);
        cipherState.destroy();
        return new CipherState[] {c1, c2};
    }

    /**
     * {@code HKDF(chaining_key, input_key_material, num_outputs)} of Noise spec §4.3: {@code temp_key =
     * HMAC(chaining_key, ikm)}, {@code output1 = HMAC(temp_key, 0x01)}, {@code output2 = HMAC(temp_key, output1 ||
     * 0x02)}, {@code output3 = HMAC(temp_key, output2 || 0x03)}.
     */
    private byte[][] hkdf(byte[] key, byte[] inputKeyMaterial, int outputs) {
        try {
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tempKey = hmac.doFinal(inputKeyMaterial);
            hmac.init(new SecretKeySpec(tempKey, "HmacSHA256"));
            byte[][] out = new byte[outputs][];
            byte[] previous = new byte[0];
            for (int i = 0; i < outputs; i++) {
                hmac.update(previous);
                hmac.update((byte) (i + 1));
                out[i] = hmac.doFinal();
                previous = out[i];
            }
            Arrays.fill(tempKey, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: HMAC-SHA256 failed", e);
        }
    }
}
