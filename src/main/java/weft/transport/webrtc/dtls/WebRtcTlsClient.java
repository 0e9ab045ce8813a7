package weft.transport.webrtc.dtls;

import java.io.IOException;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import weft.transport.webrtc.Fingerprint;

/**
 * The DTLS 1.2 client policy of a WebRTC-direct dialer, as Bouncy Castle's {@code TlsClient}: the mirror of
 * {@link WebRtcTlsServer} (DTLS 1.2 only, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, extended master secret
 * required), presenting our certificate when asked (RFC 8827 section 6.5: both sides authenticate with
 * certificates) and accepting the server's only if its fingerprint is one the address names (webrtc-direct.md
 * step 7: "_A_ [...] verifies that the fingerprint of the DTLS certificate of _B_ matches the fingerprint in the
 * multiaddr"); anything else ends the handshake with a {@code bad_certificate} alert.
 */
final class WebRtcTlsClient extends DefaultTlsClient {
    private final DtlsCertificate certificate;
    private final List<Fingerprint> certhashes;
    private final int handshakeTimeoutMillis;
    private Fingerprint serverFingerprint; // handshake thread only
    private boolean mismatch; // handshake thread only

    WebRtcTlsClient(JcaTlsCrypto crypto, DtlsCertificate certificate, List<Fingerprint> certhashes,
            int handshakeTimeoutMillis) {
        super(crypto);
        this.certificate = certificate;
        this.certhashes = certhashes;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** The fingerprint of the certificate the server presented, once it came. */
    Fingerprint serverFingerprint() {
        return serverFingerprint;
    }

    /** True if the handshake failed because the server's certificate matched no certhash. */
    boolean mismatch() {
        return mismatch;
    }

    String cipherSuite() {
        return WebRtcTlsServer.cipherSuiteName(context.getSecurityParametersConnection().getCipherSuite());
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return WebRtcTlsServer.VERSIONS.clone();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return WebRtcTlsServer.CIPHER_SUITES.clone();
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                Certificate chain = server.getCertificate();
                if (chain == null || chain.isEmpty()) {
                    throw new TlsFatalAlert(AlertDescription.handshake_failure, "dtls: the server sent no certificate");
                }
                serverFingerprint = Fingerprint.ofCertificate(chain.getCertificateAt(0).getEncoded());
                if (!certhashes.contains(serverFingerprint)) {
                    mismatch = true;
                    throw new TlsFatalAlert(AlertDescription.bad_certificate, "dtls: server certificate "
                            + serverFingerprint.certhash() + " matches no certhash (" + certhashes.size() + ")");
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                JcaTlsCrypto crypto = (JcaTlsCrypto) getCrypto();
                Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(certificate.der())});
                return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        certificate.privateKey(), chain,
                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }
}
