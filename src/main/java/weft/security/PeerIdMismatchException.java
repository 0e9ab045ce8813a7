package weft.security;

import weft.crypto.PeerId;

/** The remote proved an identity other than the one we dialed. */
public class PeerIdMismatchException extends HandshakeException {
    private final PeerId expected;
    private final PeerId actual;

    public PeerIdMismatchException(PeerId expected, PeerId actual) {
        super("security: remote peer is " + actual + ", expected " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    public PeerId expected() {
        return expected;
    }

    public PeerId actual() {
        return actual;
    }
}
