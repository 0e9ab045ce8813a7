package weft.crypto;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 public key. peer-ids spec: "We use the standard Bitcoin EC encoding for Secp256k1 public and private
 * keys": {@code Data} is the 33-byte SEC1 compressed point ({@code 02|03 || x}), which is what go-libp2p writes
 * ({@code SerializeCompressed}) and rust-libp2p requires. A 65-byte uncompressed point is rejected, as rust-libp2p
 * does (go-libp2p reads it but would write it back compressed, changing the peer ID).
 *
 * <p>Signatures: ECDSA over SHA-256, DER-encoded, see {@link Ecdsa}. Verification accepts high-S signatures, as
 * go-libp2p's decred {@code ParseDERSignature} does; signing always produces low-S.
 */
final class Secp256k1PublicKey extends PublicKey {
    static final ECDomainParameters DOMAIN;

    static {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256k1");
        DOMAIN = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
    }

    /** SEC1 §2.3.3 compressed point: one prefix byte and the 32-byte x coordinate. */
    private static final int SIZE = 33;

    private final ECPoint point;
    private final byte[] encoded;

    Secp256k1PublicKey(ECPoint point) {
        this.point = point;
        this.encoded = point.getEncoded(true);
    }

    static Secp256k1PublicKey decode(byte[] data) {
        if (data.length != SIZE) {
            throw new KeyFormatException("crypto: secp256k1 public key must be a " + SIZE
                    + "-byte compressed point (" + data.length + " bytes)");
        }
        if (data[0] != 0x02 && data[0] != 0x03) {
            throw new KeyFormatException("crypto: secp256k1 public key prefix must be 0x02 or 0x03 (0x"
                    + Integer.toHexString(data[0] & 0xFF) + ")");
        }
        try {
            return new Secp256k1PublicKey(DOMAIN.getCurve().decodePoint(data));
        } catch (IllegalArgumentException e) { // x >= p, or no y for this x: not on the curve
            throw new KeyFormatException("crypto: secp256k1 public key is not a point on the curve", e);
        }
    }

    @Override
    public KeyType type() {
        return KeyType.SECP256K1;
    }

    @Override
    public byte[] raw() {
        return encoded.clone();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        return Ecdsa.verify(DOMAIN, point, data, signature);
    }
}
