package weft.transport.quic;

import weft.crypto.PeerId;
import weft.security.tls.Libp2pCertificate;
import weft.security.tls.PeerCertificateVerifier;

/**
 * Decides inside the TLS handshake whether the peer's certificate is acceptable: the libp2p TLS checks
 * ({@link Libp2pCertificate#verifyEncoded}) and, on a dial, "Clients MUST verify that the peer ID derived from the
 * certificate matches the peer ID they intended to connect to" (libp2p specs {@code tls/tls.md}). Throwing makes
 * BoringSSL abort the handshake with an alert. There are no certificate authorities. The checks themselves are
 * {@link PeerCertificateVerifier}'s, the one place weft verifies libp2p certificates; this class only says how QUIC
 * uses it.
 *
 * <p>A dial gets its own instance (its own TLS context, see {@link QuicTls}), so {@link #failure()} belongs to that
 * one connection; the dialer reads it after the handshake. The listener shares one instance that records nothing:
 * the peer ID of an accepted connection is read from the certificate that connection's session holds, not from
 * here. Called on the event-loop thread.
 */
final class PeerCertificateCheck extends PeerCertificateVerifier {
    private PeerCertificateCheck(PeerId expected, boolean remember) {
        super(expected, "quic", remember);
    }

    /** For one dial: checks the peer is {@code expected} (null: anyone) and keeps why it failed. */
    static PeerCertificateCheck forDial(PeerId expected) {
        return new PeerCertificateCheck(expected, true);
    }

    /** For a listener, shared by its connections: the libp2p rules only. */
    static PeerCertificateCheck forListener() {
        return new PeerCertificateCheck(null, false);
    }
}
