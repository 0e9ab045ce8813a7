package weft.transport;

import java.io.IOException;
import java.time.Duration;
import weft.multiformats.Multiaddr;

/**
 * A way to reach peers: dials and listens on the multiaddrs of one family ({@code /ip4/.../tcp/...} for TCP).
 * What it hands back is a {@link RawConnection}, an unauthenticated byte stream that the upgrader secures and
 * multiplexes. As go-libp2p's {@code transport.Transport} ({@code core/transport/transport.go}): "CanDial returns
 * true if this transport knows how to dial the given multiaddr", which says nothing about whether the dial will
 * succeed.
 */
public interface Transport {
    /** True if {@code address} has the shape this transport dials; a trailing {@code /p2p/<id>} is allowed. */
    boolean canDial(Multiaddr address);

    /** True if {@code address} has the shape this transport listens on. */
    boolean canListen(Multiaddr address);

    /**
     * Opens a connection. Blocks until connected, the timeout passes, or the attempt fails.
     *
     * @param timeout bounds the whole dial, name resolution included; zero or negative means no bound
     * @throws UnsupportedMultiaddrException if {@link #canDial} is false for {@code address}
     * @throws java.net.SocketTimeoutException when the timeout passes
     * @throws java.net.ConnectException when the peer refuses
     */
    RawConnection dial(Multiaddr address, Duration timeout) throws IOException;

    /**
     * Starts listening. Port 0 asks the system for a free port; {@link Listener#addresses()} tells which one.
     *
     * @throws UnsupportedMultiaddrException if {@link #canListen} is false for {@code address}
     */
    Listener listen(Multiaddr address) throws IOException;
}
