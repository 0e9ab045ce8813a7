package weft.transport.webrtc.dtls;

import java.io.IOException;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/** A browser-like DTLS 1.2 client: ECDSA certificate, the WebRTC cipher suite, extended master secret. */
public final class BrowserLikeDtlsClient extends DefaultTlsClient {
    private final DtlsCertificate certificate;
    public byte[] serverCertificate;

    public BrowserLikeDtlsClient(JcaTlsCrypto crypto, DtlsCertificate certificate) {
        super(crypto);
        this.certificate = certificate;
    }

    public org.bouncycastle.tls.TlsClientContext context() {
        return context;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                serverCertificate = server.getCertificate().getCertificateAt(0).getEncoded();
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                JcaTlsCrypto crypto = (JcaTlsCrypto) getCrypto();
                Certificate chain = new Certificate(new TlsCertificate[] {
                        crypto.createCertificate(certificate.der())});
                return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        certificate.privateKey(), chain,
                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }
}
