package weft.security.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.security.HandshakeException;
import weft.security.PeerIdMismatchException;

/**
 * Decides, inside the TLS handshake, whether the peer's certificate is acceptable: the libp2p checks of
 * {@link Libp2pCertificate#verify}, and on the client the spec's "Clients MUST verify that the peer ID derived from
 * the certificate matches the peer ID they intended to connect to". There are no certificate authorities: a
 * certificate is trusted for exactly the peer ID its extension proves.
 *
 * <p>One per handshake (go-libp2p likewise clones its {@code tls.Config} per connection, {@code ConfigForPeer}),
 * so what it records belongs to that one connection. Throwing here makes the engine abort the handshake with a fatal
 * alert ({@code bad_certificate}) before our own certificate is sent, and {@link #failure()} keeps the typed reason
 * for the caller. The handshake thread is the only one that calls it.
 */
final class PeerCertificateVerifier extends X509ExtendedTrustManager {
    private final PeerId expectedRemote; // null: anyone

    // handshake thread only
    private X509Certificate verifiedCertificate;
    private PublicKey verifiedKey;
    private HandshakeException failure;

    PeerCertificateVerifier(PeerId expectedRemote) {
        this.expectedRemote = expectedRemote;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        PublicKey key;
        try {
            key = Libp2pCertificate.verify(chain);
        } catch (CertificateException e) {
            failure = new HandshakeException(e.getMessage(), e);
            throw e;
        }
        PeerId peer = PeerId.fromPublicKey(key);
        if (expectedRemote != null && !expectedRemote.equals(peer)) {
            failure = new PeerIdMismatchException(expectedRemote, peer);
            throw new CertificateException(failure.getMessage());
        }
        verifiedCertificate = chain[0];
        verifiedKey = key;
    }

    /** Why the last check failed, or null. */
    HandshakeException failure() {
        return failure;
    }

    /**
     * The host key proven by {@code sessionCertificate}, the certificate the finished session holds, provided it is
     * the one this verifier accepted.
     */
    PublicKey keyOf(X509Certificate sessionCertificate) throws HandshakeException {
        if (verifiedCertificate == null || !verifiedCertificate.equals(sessionCertificate)) {
            throw new HandshakeException("tls: the session's peer certificate is not the one that was verified");
        }
        return verifiedKey;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    /** No authorities: the server's {@code CertificateRequest} names none. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
