package weft.security.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import weft.crypto.KeyFormatException;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.crypto.PublicKey;

/**
 * The self-signed X.509 certificate by which a libp2p peer proves its identity in a TLS 1.3 handshake (TCP with
 * {@code /tls/1.0.0}, and QUIC): building it, and checking a peer's. Spec: libp2p TLS, "Peer Authentication"
 * (<a href="https://github.com/libp2p/specs/blob/master/tls/tls.md">tls.md</a>, r0 2019-03-23).
 *
 * <p>"peers don't use their host key to sign the X.509 certificate ... Instead, the host key is encoded into the
 * libp2p Public Key Extension, which is carried in a self-signed certificate." The certificate key is an ECDSA P-256
 * key unrelated to the host key (as go-libp2p, {@code p2p/security/tls/crypto.go keyToCertificate}); the extension
 * (OID {@value #EXTENSION_OID}) holds a {@link SignedKey}: the host's public key and its signature over
 * {@code "libp2p-tls-handshake:" || DER SubjectPublicKeyInfo of the certificate key}. So the TLS handshake proves
 * possession of the certificate key, and the extension ties that key to the peer ID.
 *
 * <p>{@link #generate} builds one as go does: validity from one hour ago to 100 years on (go
 * {@code certValidityPeriod}), a random 62-bit serial number and subject serial number, SHA256withECDSA
 * self-signature, the extension not critical. {@link #verify} is what a receiver must check. Immutable and
 * thread-safe.
 */
public final class Libp2pCertificate {
    /** "1.3.6.1.4.1.53594.1.1, allocated by IANA to the libp2p project" (53594 is Protocol Labs' PEN). */
    public static final String EXTENSION_OID = "1.3.6.1.4.1.53594.1.1";
    /** What the host key signs, before the certificate key's SubjectPublicKeyInfo (spec, extension section). */
    static final byte[] SIGNATURE_PREFIX = "libp2p-tls-handshake:".getBytes(StandardCharsets.UTF_8);
    /** go-libp2p {@code certValidityPeriod = 100 * 365 * 24 * time.Hour}. */
    static final Duration VALIDITY = Duration.ofDays(100 * 365);
    /** go-libp2p sets NotBefore to {@code time.Now().Add(-time.Hour)}: tolerates peers whose clocks run late. */
    static final Duration BACKDATE = Duration.ofHours(1);
    /**
     * Critical extensions we understand besides the libp2p one: "Endpoints MUST abort the connection attempt if the
     * certificate contains critical extensions that the endpoint does not understand." Key usage is checked (it
     * must allow digital signatures, RFC 8446 §4.4.2.2); basic constraints, extended key usage and subject
     * alternative names say nothing about a libp2p identity and are accepted as go's verifier accepts them.
     */
    private static final Set<String> UNDERSTOOD_CRITICAL = Set.of(EXTENSION_OID,
            Extension.keyUsage.getId(), Extension.basicConstraints.getId(), Extension.extendedKeyUsage.getId(),
            Extension.subjectAlternativeName.getId());
    private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final java.security.PrivateKey certificateKey;

    Libp2pCertificate(X509Certificate certificate, java.security.PrivateKey certificateKey) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.certificateKey = Objects.requireNonNull(certificateKey, "certificateKey");
    }

    /** A fresh certificate key and certificate proving {@code hostKey}, valid from an hour ago for 100 years. */
    public static Libp2pCertificate generate(PrivateKey hostKey) {
        Instant now = Instant.now();
        return generate(hostKey, now.minus(BACKDATE), now.plus(VALIDITY));
    }

    /** As {@link #generate(PrivateKey)} with the given validity (whole seconds: X.509 times have no fractions). */
    static Libp2pCertificate generate(PrivateKey hostKey, Instant notBefore, Instant notAfter) {
        KeyPair certificateKey = newCertificateKey();
        Extension extension = new Extension(new ASN1ObjectIdentifier(EXTENSION_OID), false,
                signedKey(hostKey, certificateKey.getPublic().getEncoded()).encode());
        return new Libp2pCertificate(build(certificateKey, notBefore, notAfter, List.of(extension)),
                certificateKey.getPrivate());
    }

    /** The certificate to present: one self-signed certificate, the whole chain. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The private key of {@link #certificate()} (ECDSA P-256), which signs the TLS {@code CertificateVerify}. */
    public java.security.PrivateKey certificateKey() {
        return certificateKey;
    }

    /** A fresh ECDSA P-256 key pair (the JDK's): "SHOULD use a key type that allows for efficient signature". */
    static KeyPair newCertificateKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("tls: this JDK cannot generate ECDSA P-256 keys", e);
        }
    }

    /** The extension value for {@code hostKey} and a certificate key given as DER SubjectPublicKeyInfo. */
    static SignedKey signedKey(PrivateKey hostKey, byte[] certificateKeyInfo) {
        return new SignedKey(hostKey.publicKey().marshal(), hostKey.sign(signedData(certificateKeyInfo)));
    }

    /** {@code "libp2p-tls-handshake:" || subjectPublicKeyInfo}: what the host key signs. */
    static byte[] signedData(byte[] subjectPublicKeyInfo) {
        byte[] data = new byte[SIGNATURE_PREFIX.length + subjectPublicKeyInfo.length];
        System.arraycopy(SIGNATURE_PREFIX, 0, data, 0, SIGNATURE_PREFIX.length);
        System.arraycopy(subjectPublicKeyInfo, 0, data, SIGNATURE_PREFIX.length, subjectPublicKeyInfo.length);
        return data;
    }

    /**
     * A self-signed X.509 v3 certificate for {@code key} with the given extensions. Issuer and subject are the same
     * name, holding a random serial number as go's ({@code Subject: pkix.Name{SerialNumber: ...}}: "According to
     * RFC 3280, the issuer field must be set").
     */
    static X509Certificate build(KeyPair key, Instant notBefore, Instant notAfter, List<Extension> extensions) {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.SERIALNUMBER, randomSerial().toString())
                .build();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, randomSerial(),
                Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS)),
                Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS)), name,
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
        try {
            for (Extension extension : extensions) {
                builder.addExtension(extension);
            }
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
                    .getEncoded();
            return parse(der);
        } catch (OperatorCreationException | CertificateException | java.io.IOException e) {
            throw new IllegalStateException("tls: cannot build the certificate", e); // our own input: a bug
        }
    }

    /** go-libp2p draws the serial from {@code [0, 2^62)}; RFC 5280 §4.1.2.2 wants it positive. */
    private static BigInteger randomSerial() {
        return new BigInteger(62, RANDOM).setBit(0);
    }

    /**
     * Parses one DER certificate with Bouncy Castle's X.509 parser, the one the TLS engine uses
     * ({@link EngineProvider}): unlike the JDK's, it accepts the empty issuer of js-libp2p's and rust-libp2p's
     * certificates.
     */
    static X509Certificate parse(byte[] der) throws CertificateException {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509",
                EngineProvider.BOUNCY_CASTLE).generateCertificate(new ByteArrayInputStream(der));
        if (certificate == null) { // Bouncy Castle's answer to empty input
            throw new CertificateException("tls: no certificate in " + der.length + " bytes");
        }
        return certificate;
    }

    /** {@link #verify(X509Certificate[], Instant)} at the current time. */
    public static PublicKey verify(X509Certificate[] chain) throws CertificateException {
        return verify(chain, Instant.now());
    }

    /**
     * {@link #verify(X509Certificate[])} for certificates that another TLS stack handed over: each is parsed again
     * from its DER encoding with Bouncy Castle first. netty's QUIC (BoringSSL) gives certificates that the JDK parses
     * lazily, and the JDK refuses the empty issuer of js-libp2p's and rust-libp2p's certificates.
     */
    public static PublicKey verifyEncoded(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length != 1 || chain[0] == null) {
            return verify(chain, Instant.now()); // throws: exactly one certificate
        }
        X509Certificate parsed;
        try {
            parsed = parse(chain[0].getEncoded());
        } catch (RuntimeException e) { // peer input
            throw new CertificateException("tls: certificate is malformed (" + e.getMessage() + ")", e);
        }
        return verify(new X509Certificate[] {parsed}, Instant.now());
    }

    /**
     * Checks a peer's certificate chain as the spec says, and returns the host key it proves (the peer ID is
     * {@link PeerId#fromPublicKey} of it):
     * <ol>
     *   <li>"Endpoints MUST abort the connection attempt if more than one certificate is received";
     *   <li>"abort ... if (a) the presented certificate is not yet valid, OR (b) if it is expired";
     *   <li>"if the certificate's self-signature is not valid";
     *   <li>no {@code subjectUniqueId} / {@code issuerUniqueId} ("Endpoints MAY abort ... if either is present");
     *   <li>no critical extension we do not understand; key usage, if present, allows digital signatures;
     *   <li>"The certificate MUST contain the libp2p Public Key Extension. If this extension is missing, endpoints
     *       MUST abort", it decodes, its key decodes, and "Peers MUST verify the signature".
     * </ol>
     *
     * @throws CertificateException with a message {@code tls: certificate ...} saying which rule failed
     */
    public static PublicKey verify(X509Certificate[] chain, Instant now) throws CertificateException {
        if (chain == null || chain.length != 1 || chain[0] == null) {
            throw new CertificateException("tls: certificate chain must hold exactly one certificate ("
                    + (chain == null ? 0 : chain.length) + ")");
        }
        try {
            return verify(chain[0], now);
        } catch (RuntimeException e) {
            // Bouncy Castle decodes a certificate's fields lazily, when asked, and reports some malformed ones (a
            // date that does not parse) with unchecked exceptions: peer input all the same.
            throw new CertificateException("tls: certificate is malformed (" + e.getMessage() + ")", e);
        }
    }

    private static PublicKey verify(X509Certificate certificate, Instant now) throws CertificateException {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new CertificateException("tls: certificate is not valid now (valid from "
                    + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant() + ")", e);
        }
        java.security.PublicKey certificateKey = certificateKey(certificate);
        try {
            certificate.verify(certificateKey);
        } catch (GeneralSecurityException | RuntimeException e) { // a malformed signature is peer input either way
            throw new CertificateException("tls: certificate self-signature is invalid (" + e.getMessage() + ")", e);
        }
        if (certificate.getSubjectUniqueID() != null || certificate.getIssuerUniqueID() != null) {
            throw new CertificateException("tls: certificate carries the deprecated subject or issuer unique id");
        }
        checkCriticalExtensions(certificate);
        return hostKey(certificate, certificateKey);
    }

    /** The certificate's own key; Bouncy Castle reports some malformed keys (a point off the curve) unchecked. */
    private static java.security.PublicKey certificateKey(X509Certificate certificate) throws CertificateException {
        java.security.PublicKey key;
        try {
            key = certificate.getPublicKey();
        } catch (RuntimeException e) {
            throw new CertificateException("tls: certificate key is invalid (" + e.getMessage() + ")", e);
        }
        if (key == null) {
            throw new CertificateException("tls: certificate key is of an unknown type");
        }
        return key;
    }

    private static void checkCriticalExtensions(X509Certificate certificate) throws CertificateException {
        Set<String> critical = certificate.getCriticalExtensionOIDs();
        if (critical != null) {
            Set<String> unknown = new HashSet<>(critical);
            unknown.removeAll(UNDERSTOOD_CRITICAL);
            if (!unknown.isEmpty()) {
                throw new CertificateException("tls: certificate has critical extensions we do not understand "
                        + unknown);
            }
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= KEY_USAGE_DIGITAL_SIGNATURE
                || !keyUsage[KEY_USAGE_DIGITAL_SIGNATURE])) {
            throw new CertificateException("tls: certificate key usage does not allow digital signatures");
        }
    }

    /** Decodes the libp2p extension and checks the host key's signature over the certificate key. */
    private static PublicKey hostKey(X509Certificate certificate, java.security.PublicKey certificateKey)
            throws CertificateException {
        byte[] wrapped = certificate.getExtensionValue(EXTENSION_OID); // the extnValue OCTET STRING, DER
        if (wrapped == null) {
            throw new CertificateException("tls: certificate lacks the libp2p public key extension ("
                    + EXTENSION_OID + ")");
        }
        SignedKey signedKey;
        try {
            signedKey = SignedKey.decode(ASN1OctetString.getInstance(wrapped).getOctets());
        } catch (IllegalArgumentException e) { // the certificate parsed, so this cannot happen; still peer input
            signedKey = null;
        }
        if (signedKey == null) {
            throw new CertificateException("tls: libp2p public key extension is not a DER SignedKey ("
                    + wrapped.length + " bytes)");
        }
        PublicKey hostKey;
        try {
            hostKey = PublicKey.unmarshal(signedKey.publicKey());
        } catch (KeyFormatException e) {
            throw new CertificateException("tls: libp2p public key extension holds an invalid host key: "
                    + e.getMessage(), e);
        }
        byte[] certificateKeyInfo = certificateKey.getEncoded(); // DER SubjectPublicKeyInfo
        if (!hostKey.verify(signedData(certificateKeyInfo), signedKey.signature())) {
            throw new CertificateException("tls: host key signature over the certificate key is invalid (peer "
                    + PeerId.fromPublicKey(hostKey) + ")");
        }
        return hostKey;
    }

    @Override
    public String toString() {
        return "Libp2pCertificate[serial " + certificate.getSerialNumber() + ", valid until "
                + certificate.getNotAfter().toInstant() + "]";
    }
}
