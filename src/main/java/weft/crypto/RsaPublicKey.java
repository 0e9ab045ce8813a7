package weft.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * An RSA public key. peer-ids spec: "We encode the public key using the DER-encoded PKIX format" (an X.509
 * {@code SubjectPublicKeyInfo} with {@code rsaEncryption}); signatures are "RSASSA-PKCS1-V1.5-SIGN" over SHA-256.
 *
 * <p>Keys below {@value #MIN_BITS} bits or above {@value #MAX_BITS} are rejected, as go-libp2p does
 * ({@code MinRsaKeyBits}, {@code maxRsaKeyBits} in {@code core/crypto/rsa_common.go}): small keys are weak, huge
 * ones make every verify a denial of service.
 *
 * <p>The JDK provider rather than Bouncy Castle: RSA is {@code BigInteger} arithmetic in both (the JDK's with
 * Montgomery intrinsics), the JDK reads and writes X.509 keys itself, and its SHA-256 is several times faster
 * (DESIGN §8). RSA is in libp2p for the old IPFS peers, not for speed.
 */
final class RsaPublicKey extends PublicKey {
    /** go-libp2p {@code MinRsaKeyBits}. */
    static final int MIN_BITS = 2048;
    /** go-libp2p {@code maxRsaKeyBits}. */
    static final int MAX_BITS = 8192;
    static final String SIGNATURE = "SHA256withRSA";

    private final RSAPublicKey key;
    private final byte[] encoded;

    RsaPublicKey(RSAPublicKey key) {
        this.key = key;
        this.encoded = key.getEncoded();
    }

    static RsaPublicKey decode(byte[] data) {
        RSAPublicKey key;
        try {
            key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(data));
        } catch (GeneralSecurityException | RuntimeException e) { // the JDK's DER parser throws both on bad input
            throw new KeyFormatException("crypto: rsa public key is not a PKIX SubjectPublicKeyInfo ("
                    + e.getMessage() + ")", e);
        }
        checkSize(key.getModulus().bitLength());
        if (key.getPublicExponent().compareTo(BigInteger.ONE) <= 0 || !key.getPublicExponent().testBit(0)) {
            throw new KeyFormatException("crypto: rsa public exponent must be odd and > 1");
        }
        RsaPublicKey result = new RsaPublicKey(key);
        if (!Arrays.equals(result.encoded, data)) {
            throw new KeyFormatException("crypto: rsa public key is not in canonical DER form");
        }
        return result;
    }

    static void checkSize(int bits) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new KeyFormatException("crypto: rsa key of " + bits + " bits, not between " + MIN_BITS + " and "
                    + MAX_BITS);
        }
    }

    int bits() {
        return key.getModulus().bitLength();
    }

    @Override
    public KeyType type() {
        return KeyType.RSA;
    }

    @Override
    public byte[] raw() {
        return encoded.clone();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(SIGNATURE);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) { // wrong length, bad padding
            return false;
        }
    }
}
