package weft.security.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import weft.crypto.PrivateKey;

/**
 * Certificates that break one rule at a time, built with Bouncy Castle: what a buggy or hostile peer could send.
 * Each starts from what {@link Libp2pCertificate#generate} makes and changes one thing.
 */
final class TestCertificates {
    static final Instant NOW = Instant.now();

    private TestCertificates() {}

    /** A builder of one certificate; the defaults make a valid one. */
    static final class Spec {
        private final PrivateKey host;
        private KeyPair certificateKey = Libp2pCertificate.newCertificateKey();
        private KeyPair signer; // null: self-signed
        private Instant notBefore = NOW.minus(Duration.ofHours(1));
        private Instant notAfter = NOW.plus(Duration.ofDays(1));
        private boolean libp2pExtension = true;
        private boolean libp2pCritical = false;
        private byte[] libp2pValue; // null: a valid SignedKey
        private final List<Extension> extra = new ArrayList<>();
        private boolean subjectUniqueId;
        private X500Name name = new X500Name("SERIALNUMBER=1");

        Spec(PrivateKey host) {
            this.host = host;
        }

        Spec validity(Instant from, Instant to) {
            notBefore = from;
            notAfter = to;
            return this;
        }

        Spec withoutLibp2pExtension() {
            libp2pExtension = false;
            return this;
        }

        Spec libp2pExtensionCritical() {
            libp2pCritical = true;
            return this;
        }

        Spec libp2pExtensionValue(byte[] value) {
            libp2pValue = value;
            return this;
        }

        Spec extension(String oid, boolean critical, byte[] value) {
            extra.add(new Extension(new ASN1ObjectIdentifier(oid), critical, value));
            return this;
        }

        Spec keyUsage(int usage, boolean critical) throws Exception {
            extra.add(new Extension(Extension.keyUsage, critical, new KeyUsage(usage).getEncoded()));
            return this;
        }

        Spec signedBy(KeyPair other) {
            signer = other;
            return this;
        }

        /** Empty issuer and subject, as rust-libp2p's certificates (rcgen with an empty distinguished name). */
        Spec emptyNames() {
            name = new X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
            return this;
        }

        Spec subjectUniqueId() {
            subjectUniqueId = true;
            return this;
        }

        X509Certificate certificate() throws Exception {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, BigInteger.valueOf(1234567890),
                    Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS)),
                    Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS)), name,
                    SubjectPublicKeyInfo.getInstance(certificateKey.getPublic().getEncoded()));
            if (libp2pExtension) {
                byte[] value = libp2pValue != null ? libp2pValue
                        : Libp2pCertificate.signedKey(host, certificateKey.getPublic().getEncoded()).encode();
                builder.addExtension(new Extension(new ASN1ObjectIdentifier(Libp2pCertificate.EXTENSION_OID),
                        libp2pCritical, value));
            }
            for (Extension extension : extra) {
                builder.addExtension(extension);
            }
            if (subjectUniqueId) {
                builder.setSubjectUniqueID(new boolean[] {true, false, true});
            }
            KeyPair signing = signer != null ? signer : certificateKey;
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signing.getPrivate()))
                    .getEncoded();
            return Libp2pCertificate.parse(der);
        }

        /** The certificate with its key, to present in a handshake. */
        Libp2pCertificate presentable() throws Exception {
            return new Libp2pCertificate(certificate(), certificateKey.getPrivate());
        }
    }

    static Spec valid(PrivateKey host) {
        return new Spec(host);
    }
}
