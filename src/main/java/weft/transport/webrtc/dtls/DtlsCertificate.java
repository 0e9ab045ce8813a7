package weft.transport.webrtc.dtls;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import weft.transport.webrtc.Fingerprint;

/**
 * The server's DTLS certificate: an ECDSA P-256 key and a self-signed X.509 certificate, whose SHA-256 fingerprint
 * is the {@code /certhash} of the listener's address.
 *
 * <p>webrtc-direct.md: "Server node _B_ generates a TLS certificate, listens on a UDP port and advertises the
 * corresponding multiaddress". The address stays the same only as long as the certificate does, so it is long-lived
 * (ten years here, as browsers do not check validity for WebRTC) and can be stored with the node's identity:
 * {@link #encode} and {@link #decode}.
 */
public final class DtlsCertificate {
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final PrivateKey key;
    private final byte[] der;

    private DtlsCertificate(PrivateKey key, byte[] der) {
        this.key = key;
        this.der = der;
    }

    /** A fresh P-256 key and certificate; the subject is a fixed, meaningless name ({@code CN=weft}). */
    public static DtlsCertificate generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=weft");
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                    new BigInteger(62, new SecureRandom()).setBit(0), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), name, SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(pair.getPrivate(), der);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("dtls: cannot create a certificate", e);
        }
    }

    /** {@code u32 length || PKCS#8 key || DER certificate}: for storing beside the identity key. */
    public byte[] encode() {
        byte[] pkcs8 = key.getEncoded();
        return ByteBuffer.allocate(4 + pkcs8.length + der.length).putInt(pkcs8.length).put(pkcs8).put(der).array();
    }

    /** The inverse of {@link #encode}. */
    public static DtlsCertificate decode(byte[] bytes) throws GeneralSecurityException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < 4 || in.getInt() < 0 || in.getInt(0) > bytes.length - 4) {
            throw new GeneralSecurityException("dtls: stored certificate is truncated (" + bytes.length + " bytes)");
        }
        int keyLength = in.getInt(0);
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Arrays.copyOfRange(bytes, 4, 4 + keyLength)));
        return new DtlsCertificate(key, Arrays.copyOfRange(bytes, 4 + keyLength, bytes.length));
    }

    public Fingerprint fingerprint() {
        return Fingerprint.ofCertificate(der);
    }

    byte[] der() {
        return der.clone();
    }

    PrivateKey privateKey() {
        return key;
    }
}
