package weft.connection;

import java.io.Closeable;
import java.io.IOException;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;
import weft.trace.Trace;

/**
 * A connection after the upgrade: authenticated (we know the remote's peer ID and key), encrypted, and
 * multiplexed. What a host keeps per peer and opens protocol streams on. Opening and accepting streams are the
 * muxer's; choosing a protocol on a stream (multistream-select) is the caller's.
 */
public final class Connection implements Closeable {
    private final MuxedConnection muxed;
    private final PeerId localPeer;
    private final PeerId remotePeer;
    private final PublicKey remotePublicKey;
    private final Multiaddr localAddress;
    private final Multiaddr remoteAddress;
    private final String securityProtocol;
    private final String muxerProtocol;
    private final boolean earlyMuxer;
    private final boolean dialer;
    private final Trace trace;

    Connection(MuxedConnection muxed, PeerId localPeer, PeerId remotePeer, PublicKey remotePublicKey,
            Multiaddr localAddress, Multiaddr remoteAddress, String securityProtocol, String muxerProtocol,
            boolean earlyMuxer, boolean dialer) {
        this(muxed, localPeer, remotePeer, remotePublicKey, localAddress, remoteAddress, securityProtocol,
                muxerProtocol, earlyMuxer, dialer, Trace.OFF);
    }

    Connection(MuxedConnection muxed, PeerId localPeer, PeerId remotePeer, PublicKey remotePublicKey,
            Multiaddr localAddress, Multiaddr remoteAddress, String securityProtocol, String muxerProtocol,
            boolean earlyMuxer, boolean dialer, Trace trace) {
        this.trace = trace;
        this.muxed = muxed;
        this.localPeer = localPeer;
        this.remotePeer = remotePeer;
        this.remotePublicKey = remotePublicKey;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.securityProtocol = securityProtocol;
        this.muxerProtocol = muxerProtocol;
        this.earlyMuxer = earlyMuxer;
        this.dialer = dialer;
    }

    /**
     * A connection that a {@link SecureTransport} secured and multiplexed by itself (QUIC: TLS 1.3 and its own
     * streams), so no upgrade ran; {@code protocol} (e.g. {@code quic-v1}) is reported as both the security protocol
     * and the muxer.
     */
    public static Connection secured(MuxedConnection muxed, PeerId localPeer, PublicKey remotePublicKey,
            Multiaddr localAddress, Multiaddr remoteAddress, String protocol, boolean dialer) {
        return secured(muxed, localPeer, remotePublicKey, localAddress, remoteAddress, protocol, dialer, Trace.OFF);
    }

    /** As {@link #secured(MuxedConnection, PeerId, PublicKey, Multiaddr, Multiaddr, String, boolean)}, traced. */
    public static Connection secured(MuxedConnection muxed, PeerId localPeer, PublicKey remotePublicKey,
            Multiaddr localAddress, Multiaddr remoteAddress, String protocol, boolean dialer, Trace trace) {
        return new Connection(muxed, localPeer, PeerId.fromPublicKey(remotePublicKey), remotePublicKey,
                localAddress, remoteAddress, protocol, protocol, false, dialer, trace);
    }

    public PeerId localPeer() {
        return localPeer;
    }

    public PeerId remotePeer() {
        return remotePeer;
    }

    public PublicKey remotePublicKey() {
        return remotePublicKey;
    }

    /** Our end of the transport connection, e.g. {@code /ip4/127.0.0.1/tcp/53124}. */
    public Multiaddr localAddress() {
        return localAddress;
    }

    /** The remote end as the transport sees it (no {@code /p2p/} part). */
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    /** The security protocol, e.g. {@code /noise}. */
    public String securityProtocol() {
        return securityProtocol;
    }

    /** The stream muxer, e.g. {@code /yamux/1.0.0}. */
    public String muxerProtocol() {
        return muxerProtocol;
    }

    /** True if the muxer was agreed inside the security handshake (inlined muxer negotiation), saving a round trip. */
    public boolean earlyMuxerNegotiation() {
        return earlyMuxer;
    }

    /** True on the side that dialed. */
    public boolean isDialer() {
        return dialer;
    }

    /** The wire trace every layer of this connection reports to; its {@link Trace#connection()} names it. */
    public Trace trace() {
        return trace;
    }

    /** Opens a stream; the caller then selects its protocol with multistream-select. */
    public MuxedStream openStream() throws IOException {
        return muxed.openStream();
    }

    /** Blocks until the peer opens a stream; throws {@link weft.ConnectionClosedException} once the connection ends. */
    public MuxedStream acceptStream() throws IOException {
        return muxed.acceptStream();
    }

    public boolean isClosed() {
        return muxed.isClosed();
    }

    /** The muxed session under this connection, for what only the muxer knows (yamux RTT, GO_AWAY). */
    public MuxedConnection muxedConnection() {
        return muxed;
    }

    /** Closes gracefully (yamux GO_AWAY, then the socket); every stream on it ends. */
    @Override
    public void close() throws IOException {
        muxed.close();
    }

    @Override
    public String toString() {
        return (dialer ? "outbound " : "inbound ") + "connection " + localAddress + " -> " + remoteAddress + "/p2p/"
                + remotePeer.toBase58() + " (" + securityProtocol + ", " + muxerProtocol
                + (earlyMuxer ? " early" : "") + ")";
    }
}
