package weft.crypto;

import java.util.Arrays;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * An ECDSA public key on a NIST curve. peer-ids spec: "We encode the public key using ASN.1 DER"; the spec's test
 * vector and go-libp2p ({@code x509.MarshalPKIXPublicKey}) make that an X.509 {@code SubjectPublicKeyInfo}
 * (RFC 5480: algorithm {@code id-ecPublicKey}, a named-curve OID, the uncompressed point) — {@code 3059 3013 ...}
 * for P-256.
 *
 * <p>P-256 is what libp2p generates and what rust-libp2p supports; P-384 and P-521 are read too, as go-libp2p does.
 * Compressed points and explicit curve parameters are rejected (go's {@code x509} rejects them too). Signatures:
 * ECDSA over SHA-256, DER-encoded, any S accepted (go-libp2p signs with random nonces and no low-S rule), see
 * {@link Ecdsa}.
 *
 * <p>Bouncy Castle rather than the JDK: the JDK cannot read the SEC1 private key format, and the same lightweight
 * ECDSA code then serves secp256k1 and the NIST curves.
 */
final class EcdsaPublicKey extends PublicKey {
    /** The curves go-libp2p's {@code x509} accepts, by OID (RFC 5480 §2.1.1.1): P-256, P-384, P-521. */
    private static final Map<ASN1ObjectIdentifier, ECDomainParameters> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, domainOf(SECObjectIdentifiers.secp256r1),
            SECObjectIdentifiers.secp384r1, domainOf(SECObjectIdentifiers.secp384r1),
            SECObjectIdentifiers.secp521r1, domainOf(SECObjectIdentifiers.secp521r1));

    private final ASN1ObjectIdentifier curve;
    private final ECDomainParameters domain;
    private final ECPoint point;
    private final byte[] encoded;

    EcdsaPublicKey(ASN1ObjectIdentifier curve, ECDomainParameters domain, ECPoint point) {
        this.curve = curve;
        this.domain = domain;
        this.point = point;
        this.encoded = Der.encode(new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), point.getEncoded(false)));
    }

    /** The named curve {@code parameters} stands for, or a {@link KeyFormatException}. */
    static ASN1ObjectIdentifier curveOf(ASN1Encodable parameters, String what) {
        if (!(parameters instanceof ASN1ObjectIdentifier oid)) {
            throw new KeyFormatException("crypto: " + what + " does not name its curve by OID");
        }
        if (!CURVES.containsKey(oid)) {
            throw new KeyFormatException("crypto: " + what + " is on unsupported curve " + oid
                    + " (P-256, P-384, P-521 are)");
        }
        return oid;
    }

    /** The parameters of one of the supported curves. */
    static ECDomainParameters domain(ASN1ObjectIdentifier curve) {
        return CURVES.get(curve);
    }

    private static ECDomainParameters domainOf(ASN1ObjectIdentifier curve) {
        X9ECParameters x9 = CustomNamedCurves.getByOID(curve); // Bouncy Castle's fast curve-specific arithmetic
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    }

    static EcdsaPublicKey decode(byte[] data) {
        String what = "ecdsa public key";
        EcdsaPublicKey key = Der.read(data, what, "SubjectPublicKeyInfo", der -> {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(der);
            AlgorithmIdentifier algorithm = info.getAlgorithm();
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
                throw new KeyFormatException("crypto: " + what + " has algorithm " + algorithm.getAlgorithm()
                        + ", not id-ecPublicKey");
            }
            ASN1ObjectIdentifier curve = curveOf(algorithm.getParameters(), what);
            byte[] point = info.getPublicKeyData().getOctets(); // throws for a bit string with pad bits
            if (point.length == 0 || point[0] != 0x04) {
                throw new KeyFormatException("crypto: " + what + " point is not in uncompressed form");
            }
            ECDomainParameters domain = domain(curve);
            return new EcdsaPublicKey(curve, domain, decodePoint(domain, point, what));
        });
        if (!Arrays.equals(key.encoded, data)) {
            throw new KeyFormatException("crypto: " + what + " is not in canonical form");
        }
        return key;
    }

    /** A point on the curve other than infinity, or a {@link KeyFormatException}. */
    static ECPoint decodePoint(ECDomainParameters domain, byte[] encoded, String what) {
        ECPoint point;
        try {
            point = domain.getCurve().decodePoint(encoded);
        } catch (RuntimeException e) { // Bouncy Castle: bad length, coordinate >= p, not on the curve
            throw new KeyFormatException("crypto: " + what + " is not a point on the curve", e);
        }
        if (point.isInfinity()) {
            throw new KeyFormatException("crypto: " + what + " is the point at infinity");
        }
        return point;
    }

    @Override
    public KeyType type() {
        return KeyType.ECDSA;
    }

    @Override
    public byte[] raw() {
        return encoded.clone();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        return Ecdsa.verify(domain, point, data, signature);
    }

    ASN1ObjectIdentifier curve() {
        return curve;
    }

    ECDomainParameters domain() {
        return domain;
    }

    ECPoint point() {
        return point;
    }
}
