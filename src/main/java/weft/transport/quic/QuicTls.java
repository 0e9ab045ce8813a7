package weft.transport.quic;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLPeerUnverifiedException;
import weft.crypto.PublicKey;
import weft.security.HandshakeException;
import weft.security.tls.Libp2pCertificate;

/**
 * The TLS side of libp2p QUIC (libp2p specs {@code quic/README.md}): TLS 1.3 as QUIC carries it (RFC 9001) with the
 * libp2p certificate of {@code tls/tls.md}, ALPN exactly {@value #ALPN} ("the ALPN value libp2p MUST be used"), the
 * server requiring a client certificate, no SNI, no session resumption.
 *
 * <p>The certificate key is ECDSA P-256 ({@link Libp2pCertificate}); netty's BoringSSL fails with Ed25519 certificate
 * keys (jvm-libp2p PR 407), which the spec does not ask for anyway.
 */
final class QuicTls {
    /** libp2p specs {@code quic/README.md}: "The ALPN value libp2p MUST be used". */
    static final String ALPN = "libp2p";

    private final Libp2pCertificate certificate;
    /**
     * Our certificate and its key, made once: netty's {@code keyManager(key, password, chain)} puts them in a new
     * PKCS#12 key store each time, which seals and opens the key with PBKDF2 (thousands of HMAC rounds) on every
     * dial.
     */
    private final KeyManagerFactory keys;

    QuicTls(Libp2pCertificate certificate) {
        this.certificate = certificate;
        this.keys = keyManager(certificate);
    }

    private static KeyManagerFactory keyManager(Libp2pCertificate certificate) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null);
            char[] none = new char[0];
            store.setKeyEntry("libp2p", certificate.certificateKey(), none,
                    new Certificate[] {certificate.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, none);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("quic: cannot hold the libp2p certificate in a key store: " + e, e);
        }
    }

    /** The listener's context: our certificate, client authentication required, the libp2p checks. */
    QuicSslContext server() {
        return QuicSslContextBuilder.forServer(keys, null)
                .trustManager(PeerCertificateCheck.forListener())
                .clientAuth(ClientAuth.REQUIRE)
                .applicationProtocols(ALPN)
                .earlyData(false)
                .build();
    }

    /** One dial's context: its own {@code check}, so the expected peer and the failure belong to that dial. */
    QuicSslContext client(PeerCertificateCheck check) {
        return QuicSslContextBuilder.forClient()
                .keyManager(keys, null)
                .trustManager(check)
                .applicationProtocols(ALPN)
                .earlyData(false)
                .build();
    }

    /**
     * The host key the peer proved on {@code channel}: from the certificate its finished TLS session holds, checked
     * again, so the answer belongs to this connection and no other.
     */
    static PublicKey remoteKey(QuicChannel channel) throws HandshakeException {
        try {
            Certificate[] certificates = channel.sslEngine().getSession().getPeerCertificates();
            if (certificates.length == 0 || !(certificates[0] instanceof X509Certificate leaf)) {
                throw new HandshakeException("quic: the peer presented no X.509 certificate");
            }
            // on the server side BoringSSL lists the peer's own certificate apart from the rest of its chain
            return Libp2pCertificate.verifyEncoded(new X509Certificate[] {leaf});
        } catch (SSLPeerUnverifiedException | CertificateException | RuntimeException e) {
            throw new HandshakeException("quic: cannot read the peer's certificate: " + e.getMessage(), e);
        }
    }
}
