package weft.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;

/**
 * An RSA private key. peer-ids spec: "We encode the private key as a PKCS1 key using ASN.1 DER" — the two-prime
 * {@code RSAPrivateKey} of RFC 8017 §A.1.2, read and written with Bouncy Castle's ASN.1 classes (the JDK reads
 * only PKCS#8). The numbers are checked against each other ({@code n = p·q}, the CRT values), as go's
 * {@code rsa.PrivateKey.Validate} does, so a damaged file fails at load and not with a bad signature later.
 * Signing is the JDK's {@code SHA256withRSA} (PKCS#1 v1.5, deterministic), see {@link RsaPublicKey}.
 */
final class RsaPrivateKey extends PrivateKey {
    private final RSAPrivateCrtKey key;
    private final RsaPublicKey publicKey;

    private RsaPrivateKey(RSAPrivateCrtKey key, RsaPublicKey publicKey) {
        this.key = key;
        this.publicKey = publicKey;
    }

    static RsaPrivateKey random(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), RANDOM);
            var pair = generator.generateKeyPair();
            return new RsaPrivateKey((RSAPrivateCrtKey) pair.getPrivate(),
                    new RsaPublicKey((RSAPublicKey) pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("crypto: the JDK cannot generate rsa keys", e);
        }
    }

    static RsaPrivateKey decode(byte[] data) {
        var pkcs1 = Der.read(data, "rsa private key", "PKCS#1 RSAPrivateKey",
                org.bouncycastle.asn1.pkcs.RSAPrivateKey::getInstance);
        if (pkcs1.getVersion().signum() != 0) {
            throw new KeyFormatException("crypto: multi-prime rsa private keys are not supported");
        }
        BigInteger n = pkcs1.getModulus();
        BigInteger e = pkcs1.getPublicExponent();
        BigInteger d = pkcs1.getPrivateExponent();
        BigInteger p = pkcs1.getPrime1();
        BigInteger q = pkcs1.getPrime2();
        BigInteger dp = pkcs1.getExponent1();
        BigInteger dq = pkcs1.getExponent2();
        BigInteger qInv = pkcs1.getCoefficient();
        RsaPublicKey.checkSize(n.bitLength());
        BigInteger one = BigInteger.ONE;
        if (e.compareTo(one) <= 0 || !e.testBit(0) || p.compareTo(one) <= 0 || q.compareTo(one) <= 0
                || !p.multiply(q).equals(n)
                || d.signum() <= 0 || d.compareTo(n) >= 0
                || qInv.signum() <= 0 || qInv.compareTo(p) >= 0
                || !e.multiply(d).mod(p.subtract(one)).equals(one)
                || !e.multiply(d).mod(q.subtract(one)).equals(one)
                || !d.mod(p.subtract(one)).equals(dp)
                || !d.mod(q.subtract(one)).equals(dq)
                || !qInv.multiply(q).mod(p).equals(one)) {
            throw new KeyFormatException("crypto: rsa private key numbers are inconsistent");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) factory.generatePrivate(
                    new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qInv));
            RSAPublicKey pub = (RSAPublicKey) factory.generatePublic(new RSAPublicKeySpec(n, e));
            return new RsaPrivateKey(key, new RsaPublicKey(pub));
        } catch (GeneralSecurityException ex) {
            throw new KeyFormatException("crypto: rsa private key rejected by the jdk (" + ex.getMessage() + ")", ex);
        }
    }

    @Override
    public KeyType type() {
        return KeyType.RSA;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance(RsaPublicKey.SIGNATURE);
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("crypto: rsa signing failed", e);
        }
    }

    @Override
    byte[] raw() {
        return Der.encode(new org.bouncycastle.asn1.pkcs.RSAPrivateKey(key.getModulus(), key.getPublicExponent(),
                key.getPrivateExponent(), key.getPrimeP(), key.getPrimeQ(), key.getPrimeExponentP(),
                key.getPrimeExponentQ(), key.getCrtCoefficient()));
    }
}
