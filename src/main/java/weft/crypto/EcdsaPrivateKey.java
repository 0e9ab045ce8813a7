package weft.crypto;

import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * An ECDSA private key. The peer-ids spec text says "DER-encoded PKIX", but its test vector and go-libp2p
 * ({@code x509.MarshalECPrivateKey}) use the SEC1 {@code ECPrivateKey} structure (RFC 5915: version 1, the scalar
 * as an octet string of the order's length, {@code [0]} the curve OID, {@code [1]} the public point), so weft
 * follows the vector: {@code 3077 020101 0420 <d> a00a <P-256 OID> a144 <point>}.
 *
 * <p>Reading accepts a key without the optional public point; when the point is there it must be {@code d·G}.
 * Writing always emits the full form above. Signing: RFC 6979 deterministic ECDSA over SHA-256 (go-libp2p uses a
 * random nonce; both verify the same), see {@link Ecdsa}.
 */
final class EcdsaPrivateKey extends PrivateKey {
    private final BigInteger d;
    private final EcdsaPublicKey publicKey;

    private EcdsaPrivateKey(ASN1ObjectIdentifier curve, ECDomainParameters domain, BigInteger d) {
        this.d = d;
        this.publicKey = new EcdsaPublicKey(curve, domain, Ecdsa.publicPoint(domain, d));
    }

    /** A fresh P-256 key, the curve go-libp2p's {@code GenerateECDSAKeyPair} uses. */
    static EcdsaPrivateKey random() {
        ECDomainParameters domain = EcdsaPublicKey.domain(SECObjectIdentifiers.secp256r1);
        return new EcdsaPrivateKey(SECObjectIdentifiers.secp256r1, domain, Ecdsa.randomScalar(domain));
    }

    static EcdsaPrivateKey decode(byte[] data) {
        String what = "ecdsa private key";
        return Der.read(data, what, "SEC1 ECPrivateKey", der -> {
            ECPrivateKey sec1 = ECPrivateKey.getInstance(der);
            if (sec1.getParametersObject() == null) {
                throw new KeyFormatException("crypto: " + what + " does not name its curve");
            }
            ASN1ObjectIdentifier curve = EcdsaPublicKey.curveOf(sec1.getParametersObject(), what);
            ECDomainParameters domain = EcdsaPublicKey.domain(curve);
            EcdsaPrivateKey key = new EcdsaPrivateKey(curve, domain, Ecdsa.checkScalar(domain, sec1.getKey(), what));
            ASN1BitString stored = sec1.getPublicKey();
            if (stored != null) {
                ECPoint point = EcdsaPublicKey.decodePoint(domain, stored.getOctets(), what + " public point");
                if (!point.equals(key.publicKey.point())) {
                    throw new KeyFormatException("crypto: " + what + " holds a public key that is not its own");
                }
            }
            return key;
        });
    }

    @Override
    public KeyType type() {
        return KeyType.ECDSA;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        return Ecdsa.sign(publicKey.domain(), d, data, false);
    }

    @Override
    byte[] raw() {
        ECDomainParameters domain = publicKey.domain();
        return Der.encode(new ECPrivateKey(domain.getN().bitLength(), d,
                new DERBitString(publicKey.point().getEncoded(false)), publicKey.curve()));
    }
}
