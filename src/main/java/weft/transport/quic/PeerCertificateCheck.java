package weft.transport.quic;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.security.HandshakeException;
import weft.security.PeerIdMismatchException;
import weft.security.tls.Libp2pCertificate;

/**
 * Decides inside the TLS handshake whether the peer's certificate is acceptable: the libp2p TLS checks
 * ({@link Libp2pCertificate#verifyEncoded}) and, on a dial, "Clients MUST verify that the peer ID derived from the
 * certificate matches the peer ID they intended to connect to" (libp2p specs {@code tls/tls.md}). Throwing makes
 * BoringSSL abort the handshake with an alert. There are no certificate authorities.
 *
 * <p>A dial gets its own instance (its own TLS context, see {@link QuicTls}), so {@link #failure()} belongs to that
 * one connection. The listener shares one instance that records nothing: the peer ID of an accepted connection is
 * read from the certificate that connection's session holds, not from here. Called on the event-loop thread.
 */
final class PeerCertificateCheck extends X509ExtendedTrustManager {
    private final PeerId expected; // null: anyone
    private final boolean record;
    private volatile HandshakeException failure; // written on the event loop, read by the dialer afterwards

    private PeerCertificateCheck(PeerId expected, boolean record) {
        this.expected = expected;
        this.record = record;
    }

    /** For one dial: checks the peer is {@code expected} (null: anyone) and keeps why it failed. */
    static PeerCertificateCheck forDial(PeerId expected) {
        return new PeerCertificateCheck(expected, true);
    }

    /** For a listener, shared by its connections: the libp2p rules only. */
    static PeerCertificateCheck forListener() {
        return new PeerCertificateCheck(null, false);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        PublicKey key;
        try {
            key = Libp2pCertificate.verifyEncoded(chain);
        } catch (CertificateException e) {
            if (record) {
                failure = new HandshakeException("quic: " + e.getMessage(), e);
            }
            throw e;
        }
        PeerId peer = PeerId.fromPublicKey(key);
        if (expected != null && !expected.equals(peer)) {
            PeerIdMismatchException mismatch = new PeerIdMismatchException(expected, peer);
            if (record) {
                failure = mismatch;
            }
            throw new CertificateException(mismatch.getMessage());
        }
    }

    /** Why this dial's check failed, or null. */
    HandshakeException failure() {
        return failure;
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

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
