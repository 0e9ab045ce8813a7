package weft.crypto;

import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * ECDSA over SHA-256 with DER signatures, the signing rule of both secp256k1 and ECDSA keys (peer-ids spec: "we
 * hash the message with SHA 256, and then sign it ... then we encode it using DER-encoded ASN.1").
 *
 * <p>Bouncy Castle's lightweight {@code ECDSASigner}, with the nonce from RFC 6979 ({@code HMacDSAKCalculator}):
 * deterministic signatures need no randomness at sign time and can be checked against other implementations'
 * vectors byte for byte. The JDK has no secp256k1 (removed in JDK 16), and one code path for both curves reads
 * better than two providers.
 */
final class Ecdsa {
    private Ecdsa() {}

    /**
     * Signs SHA-256({@code data}) with {@code d}.
     *
     * @param lowS whether to replace {@code s} by {@code n - s} when {@code s > n/2}, the Bitcoin rule (BIP 62,
     *     "Low S values in signatures") that go-libp2p's secp256k1 (decred {@code ecdsa.Sign}) follows
     */
    static byte[] sign(ECDomainParameters domain, BigInteger d, byte[] data, boolean lowS) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, domain));
        BigInteger[] rs = signer.generateSignature(Der.sha256(data));
        BigInteger s = rs[1];
        if (lowS && s.compareTo(domain.getN().shiftRight(1)) > 0) {
            s = domain.getN().subtract(s);
        }
        return Der.encodeSignature(rs[0], s);
    }

    /** Verifies a DER signature over SHA-256({@code data}); false for anything malformed or out of range. */
    static boolean verify(ECDomainParameters domain, ECPoint q, byte[] data, byte[] signature) {
        BigInteger[] rs = Der.decodeSignature(signature);
        if (rs == null) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(q, domain));
        return verifier.verifySignature(Der.sha256(data), rs[0], rs[1]); // false unless 0 < r, s < n
    }

    /** A uniformly random scalar in [1, n-1]. */
    static BigInteger randomScalar(ECDomainParameters domain) {
        BigInteger n = domain.getN();
        while (true) {
            BigInteger d = new BigInteger(n.bitLength(), PrivateKey.RANDOM);
            if (d.signum() > 0 && d.compareTo(n) < 0) {
                return d;
            }
        }
    }

    /** {@code d·G}, normalised (affine). */
    static ECPoint publicPoint(ECDomainParameters domain, BigInteger d) {
        return new FixedPointCombMultiplier().multiply(domain.getG(), d).normalize();
    }

    /** Checks a decoded private scalar is in [1, n-1]. */
    static BigInteger checkScalar(ECDomainParameters domain, BigInteger d, String what) {
        if (d.signum() <= 0 || d.compareTo(domain.getN()) >= 0) {
            throw new KeyFormatException("crypto: " + what + " scalar is out of range [1, n-1]");
        }
        return d;
    }
}
