package weft.transport.webrtc.dtls;

import java.io.IOException;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * The DTLS 1.2 server policy of a WebRTC endpoint, as Bouncy Castle's {@code TlsServer}.
 *
 * <ul>
 *   <li>DTLS 1.2 only (webrtc-direct.md: "WebRTC uses DTLS 1.2"), one cipher suite:
 *       TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, which RFC 8827 section 6.5 makes mandatory for WebRTC.
 *   <li>Extended master secret required (RFC 7627; RFC 8827 section 6.5: "MUST support and SHOULD use").
 *   <li>A client certificate is requested and must come (RFC 8827 section 6.5: both sides authenticate with
 *       certificates), but nothing verifies it: webrtc-direct step 7, "_B_ needs to _disable certificate
 *       fingerprint verification_". Its fingerprint goes into the Noise prologue, which is where the check happens.
 * </ul>
 */
final class WebRtcTlsServer extends DefaultTlsServer {
    /** How long a handshake may take before the remote is given up (DTLS retransmits inside it). */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** Both roles: "WebRTC uses DTLS 1.2" (webrtc-direct.md). */
    static final ProtocolVersion[] VERSIONS = ProtocolVersion.DTLSv12.only();
    /** Both roles: the suite RFC 8827 section 6.5 makes mandatory for WebRTC, and only it. */
    static final int[] CIPHER_SUITES = {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};

    private final DtlsCertificate certificate;
    private byte[] clientCertificate;

    WebRtcTlsServer(JcaTlsCrypto crypto, DtlsCertificate certificate) {
        super(crypto);
        this.certificate = certificate;
    }

    /** The cipher suite agreed, by its IANA name, once the handshake is done. */
    String cipherSuite() {
        return cipherSuiteName(selectedCipherSuite);
    }

    /** The IANA name of the one suite WebRTC uses, else the code in hex. */
    static String cipherSuiteName(int suite) {
        return suite == CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
                ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" : String.format("0x%04x", suite);
    }

    /** The DER certificate the client presented, once the handshake is done. */
    byte[] clientCertificate() {
        return clientCertificate;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return VERSIONS.clone();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return CIPHER_SUITES.clone();
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return HANDSHAKE_TIMEOUT_MILLIS;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        JcaTlsCrypto crypto = (JcaTlsCrypto) getCrypto();
        Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(certificate.der())});
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, certificate.privateKey(),
                chain, SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa));
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        algorithms.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "dtls: the client sent no certificate");
        }
        clientCertificate = chain.getCertificateAt(0).getEncoded();
    }
}
