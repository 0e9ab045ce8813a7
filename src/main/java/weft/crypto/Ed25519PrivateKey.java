package weft.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key. peer-ids spec: "Preferred method is a simple concatenation: [private key bytes][public
 * key bytes] (64 bytes)"; "Older versions of the libp2p code used ... [private key][public key][public key] (96
 * bytes) ... compare the two public key strings (32 bytes each) and verify they are identical". Both are read;
 * the 64-byte form is written. The public half must also be the one the secret derives (as rust-libp2p checks),
 * so a file with a mismatched pair is rejected instead of signing under someone else's peer ID.
 *
 * <p>Bouncy Castle's {@code rfc8032.Ed25519}: sign is 18x faster than the JDK's here (DESIGN §8).
 */
final class Ed25519PrivateKey extends PrivateKey {
    private static final int SEED = Ed25519.SECRET_KEY_SIZE;

    private final byte[] seed;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(byte[] seed, Ed25519PublicKey publicKey) {
        this.seed = seed;
        this.publicKey = publicKey;
    }

    static Ed25519PrivateKey random() {
        byte[] seed = new byte[SEED];
        Ed25519.generatePrivateKey(RANDOM, seed);
        return fromSeed(seed);
    }

    /** The key whose RFC 8032 32-byte secret is {@code seed}. */
    static Ed25519PrivateKey fromSeed(byte[] seed) {
        byte[] pub = new byte[Ed25519PublicKey.SIZE];
        Ed25519.generatePublicKey(seed, 0, pub, 0);
        return new Ed25519PrivateKey(seed.clone(), Ed25519PublicKey.decode(pub));
    }

    static Ed25519PrivateKey decode(byte[] data) {
        if (data.length != 64 && data.length != 96) {
            throw new KeyFormatException("crypto: ed25519 private key must be 64 bytes, or 96 in the legacy form ("
                    + data.length + ")");
        }
        byte[] pub = Arrays.copyOfRange(data, SEED, SEED + Ed25519PublicKey.SIZE);
        if (data.length == 96 && !Arrays.equals(pub, Arrays.copyOfRange(data, 64, 96))) {
            throw new KeyFormatException("crypto: legacy 96-byte ed25519 private key has two different public keys");
        }
        Ed25519PrivateKey key = fromSeed(Arrays.copyOf(data, SEED));
        if (!MessageDigest.isEqual(key.publicKey.encoded(), pub)) {
            throw new KeyFormatException("crypto: ed25519 private key holds a public key that is not its own");
        }
        return key;
    }

    @Override
    public KeyType type() {
        return KeyType.ED25519;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, publicKey.encoded(), 0, data, 0, data.length, signature, 0);
        return signature;
    }

    @Override
    byte[] raw() {
        byte[] raw = Arrays.copyOf(seed, SEED + Ed25519PublicKey.SIZE);
        System.arraycopy(publicKey.encoded(), 0, raw, SEED, Ed25519PublicKey.SIZE);
        return raw;
    }
}
