package weft.security;

import java.util.Optional;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.io.DuplexStream;

/**
 * The secured stream after a handshake: who both ends are, and what was negotiated on the way. Its output may hold
 * written bytes until {@code flush()} (Noise holds small writes to seal them with the next one), so a writer flushes
 * when it has nothing more to send for now, as {@link weft.io.FrameWriter} does after each batch.
 */
public interface SecureConnection extends DuplexStream {
    PeerId localPeer();

    PeerId remotePeer();

    PublicKey remotePublicKey();

    /** The security protocol id that produced this connection. */
    String protocolId();

    /**
     * The stream muxer chosen during the handshake (inlined muxer negotiation), or empty: then the muxer is
     * negotiated with multistream-select over this connection.
     */
    Optional<String> negotiatedMuxer();
}
