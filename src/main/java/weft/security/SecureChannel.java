package weft.security;

import java.io.IOException;
import weft.crypto.PeerId;
import weft.io.DuplexStream;

/**
 * A libp2p security protocol: turns an insecure byte stream into an authenticated, encrypted one, and tells who
 * is on the other end. Selected by multistream-select with {@link #protocolId()}.
 */
public interface SecureChannel {
    /** The multistream protocol id, e.g. {@code /noise} or {@code /tls/1.0.0}. */
    String protocolId();

    /**
     * Runs the handshake as the initiator (the dialer).
     *
     * @param expectedRemote the peer ID the dialed address named with {@code /p2p/}, or null to accept anyone
     * @throws PeerIdMismatchException when the remote proved a different identity; the stream is closed
     * @throws HandshakeException for any other handshake failure; the stream is closed
     */
    SecureConnection secureOutbound(DuplexStream insecure, PeerId expectedRemote) throws IOException;

    /** Runs the handshake as the responder (the listener). */
    SecureConnection secureInbound(DuplexStream insecure) throws IOException;
}
