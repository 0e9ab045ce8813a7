package weft.transport;

import weft.io.DuplexStream;
import weft.multiformats.Multiaddr;

/**
 * A transport connection before the upgrade: plain bytes, no peer identity yet. Its {@link #input()} is buffered,
 * and every layer of the upgrade (multistream-select, the security handshake) reads from that same stream object,
 * so bytes a peer sent ahead of time (rust-libp2p pipelines its first Noise message behind {@code /noise\n}) wait
 * there for the next layer. {@link #output()} is not buffered: each write goes to the socket, so layers write
 * whole messages.
 */
public interface RawConnection extends DuplexStream {
    /** Our end, e.g. {@code /ip4/127.0.0.1/tcp/53124}. */
    Multiaddr localAddress();

    /** The peer's end, as the socket sees it (for a listener, the peer's ephemeral port: identify's observedAddr). */
    Multiaddr remoteAddress();
}
