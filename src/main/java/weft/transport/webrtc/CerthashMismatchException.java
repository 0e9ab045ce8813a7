package weft.transport.webrtc;

import java.util.List;
import weft.security.HandshakeException;

/**
 * The server's DTLS certificate is not the one the dialed address names: its SHA-256 fingerprint matches none of
 * the address's {@code /certhash} components.
 *
 * <p>webrtc-direct.md, Connection Establishment, step 7: "_A_ [...] verifies that the fingerprint of the DTLS
 * certificate of _B_ matches the fingerprint in the multiaddr". The dial ends with a DTLS {@code bad_certificate}
 * alert before any libp2p byte moves.
 */
public class CerthashMismatchException extends HandshakeException {
    private final List<Fingerprint> expected;
    private final Fingerprint actual;

    public CerthashMismatchException(List<Fingerprint> expected, Fingerprint actual) {
        super("webrtc: server certificate " + actual.certhash() + " matches no certhash of the address ("
                + expected.size() + " given)");
        this.expected = List.copyOf(expected);
        this.actual = actual;
    }

    /** The fingerprints the address's {@code /certhash} components name. */
    public List<Fingerprint> expected() {
        return expected;
    }

    /** The fingerprint of the certificate the server presented. */
    public Fingerprint actual() {
        return actual;
    }
}
