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
 *
 * <p>It is public, and open to a subclass, for the one other TLS stack in weft: QUIC's (netty's BoringSSL, see
 * {@code weft.transport.quic}), which checks the same certificates on its event-loop thread through the
 * {@linkplain #PeerCertificateVerifier(PeerId, String, boolean) other constructor}.
 */
public class PeerCertificateVerifier extends X509ExtendedTrustManager {
    private final PeerId expectedRemote; // null: anyone
    private final String layer; // null: weft's own engine; else another TLS stack's, prefixing its failures
    private final boolean remember; // false: shared by many connections, records nothing

    // written by the thread that runs the handshake
    private X509Certificate verifiedCertificate;
    private PublicKey verifiedKey;
    private volatile HandshakeException failure; // volatile: another TLS stack's caller reads it afterwards

    PeerCertificateVerifier(PeerId expectedRemote) {
        this(expectedRemote, null, true);
    }

    /**
     * For another TLS stack: its certificates are parsed again from their encoding
     * ({@link Libp2pCertificate#verifyEncoded}) and a failure's message starts with {@code layer + ": "}.
     *
     * @param expectedRemote the peer a dial means to reach, null for anyone
     * @param remember false for an instance that many connections share: it then records nothing, neither the
     *     failure nor the key
     */
    protected PeerCertificateVerifier(PeerId expectedRemote, String layer, boolean remember) {
        this.expectedRemote = expectedRemote;
        this.layer = layer;
        this.remember = remember;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        PublicKey key;
        try {
            key = layer == null ? Libp2pCertificate.verify(chain) : Libp2pCertificate.verifyEncoded(chain);
        } catch (CertificateException e) {
            if (remember) {
                failure = new HandshakeException(layer == null ? e.getMessage() : layer + ": " + e.getMessage(), e);
            }
            throw e;
        }
        PeerId peer = PeerId.fromPublicKey(key);
        if (expectedRemote != null && !expectedRemote.equals(peer)) {
            PeerIdMismatchException mismatch = new PeerIdMismatchException(expectedRemote, peer);
            if (remember) {
                failure = mismatch;
            }
            throw new CertificateException(mismatch.getMessage());
        }
        if (remember) {
            verifiedCertificate = chain[0];
            verifiedKey = key;
        }
    }

    /** Why the last check failed, or null. */
    public HandshakeException failure() {
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
