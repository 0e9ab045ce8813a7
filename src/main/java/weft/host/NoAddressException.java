package weft.host;

import java.io.IOException;
import weft.crypto.PeerId;

/**
 * {@link Host#connect(PeerId)} has no open connection to the peer and no address to dial it on: identify never
 * told us one, we never dialed it, and the application did not add one ({@link Host#addAddresses}).
 */
public class NoAddressException extends IOException {
    private final PeerId peer;

    public NoAddressException(PeerId peer) {
        super("host: no known address for " + peer);
        this.peer = peer;
    }

    /** The peer we could not reach. */
    public PeerId peer() {
        return peer;
    }
}
