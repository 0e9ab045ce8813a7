package weft.crypto;

import java.math.BigInteger;
import org.bouncycastle.util.BigIntegers;

/**
 * A secp256k1 private key: {@code Data} is the 32-byte big-endian scalar (the "standard Bitcoin EC encoding",
 * peer-ids spec), in [1, n-1].
 *
 * <p>Signing: "we hash the message with SHA 256, then sign it using the standard Bitcoin EC signature algorithm
 * (BIP0062), and then use standard Bitcoin encoding" — RFC 6979 nonce, low S, DER; byte for byte what go-libp2p's
 * decred {@code ecdsa.Sign} produces.
 */
final class Secp256k1PrivateKey extends PrivateKey {
    private static final int SIZE = 32;

    private final BigInteger d;
    private final Secp256k1PublicKey publicKey;

    private Secp256k1PrivateKey(BigInteger d) {
        this.d = d;
        this.publicKey = new Secp256k1PublicKey(Ecdsa.publicPoint(Secp256k1PublicKey.DOMAIN, d));
    }

    static Secp256k1PrivateKey random() {
        return new Secp256k1PrivateKey(Ecdsa.randomScalar(Secp256k1PublicKey.DOMAIN));
    }

    static Secp256k1PrivateKey decode(byte[] data) {
        if (data.length != SIZE) {
            throw new KeyFormatException("crypto: secp256k1 private key must be " + SIZE + " bytes (" + data.length
                    + ")");
        }
        return new Secp256k1PrivateKey(Ecdsa.checkScalar(Secp256k1PublicKey.DOMAIN, new BigInteger(1, data),
                "secp256k1 private key"));
    }

    @Override
    public KeyType type() {
        return KeyType.SECP256K1;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        return Ecdsa.sign(Secp256k1PublicKey.DOMAIN, d, data, true);
    }

    @Override
    byte[] raw() {
        return BigIntegers.asUnsignedByteArray(SIZE, d);
    }
}
