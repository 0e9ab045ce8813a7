package weft.transport.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;
import weft.trace.Trace;

/**
 * An authenticated WebRTC-direct connection: DTLS, SCTP and a finished Noise handshake under it, so the remote's
 * peer ID is known. Streams are data channels ({@link DataChannelConnection}); there is no separate security or
 * muxer upgrade, as with QUIC.
 */
public final class WebRtcConnection implements MuxedConnection {
    private final PeerId remotePeer;
    private final PublicKey remotePublicKey;
    private final InetSocketAddress remoteAddress;
    private final DataChannelConnection channels;

    WebRtcConnection(PublicKey remotePublicKey, InetSocketAddress remoteAddress, DataChannelConnection channels) {
        this.remotePeer = PeerId.fromPublicKey(remotePublicKey);
        this.remotePublicKey = remotePublicKey;
        this.remoteAddress = remoteAddress;
        this.channels = channels;
    }

    /** The peer the Noise handshake on channel 0 proved. */
    public PeerId remotePeer() {
        return remotePeer;
    }

    /** The key the remote signed its Noise handshake payload with. */
    public PublicKey remotePublicKey() {
        return remotePublicKey;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The trace every layer of this connection reports to ({@link Trace#OFF} when nobody traces it). */
    public Trace trace() {
        return channels.trace();
    }

    @Override
    public MuxedStream openStream() throws IOException {
        return channels.openStream();
    }

    @Override
    public MuxedStream acceptStream() throws IOException {
        return channels.acceptStream();
    }

    @Override
    public boolean isClosed() {
        return channels.isClosed();
    }

    @Override
    public void close() {
        channels.close();
    }

    @Override
    public String toString() {
        return "webrtc-direct " + remotePeer + " at " + remoteAddress;
    }
}
