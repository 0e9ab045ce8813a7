package weft.connection;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import weft.multiformats.Multiaddr;
import weft.trace.Trace;

/**
 * A transport that secures and multiplexes its connections itself, so they skip the {@link Upgrader}: QUIC, whose
 * handshake is TLS 1.3 with the libp2p certificate and whose streams are its own (libp2p specs
 * {@code quic/README.md}). It hands out finished {@link Connection}s, as go-libp2p's QUIC transport hands out a
 * {@code CapableConn} without an upgrader ({@code p2p/transport/quic/transport.go}).
 *
 * <p>The host picks it, as it picks a {@link weft.transport.Transport}, by the shape of the multiaddr.
 */
public interface SecureTransport extends Closeable {
    /** True if {@code address} has the shape this transport dials; a trailing {@code /p2p/<id>} is allowed. */
    boolean canDial(Multiaddr address);

    /** True if {@code address} has the shape this transport listens on. */
    boolean canListen(Multiaddr address);

    /**
     * Connects, runs the handshake and checks the peer: with {@code /p2p/<id>} in {@code address} a different peer
     * fails the handshake with {@link weft.security.PeerIdMismatchException}.
     *
     * @param timeout bounds the whole dial, handshake included; zero or negative means the transport's default
     * @throws weft.transport.UnsupportedMultiaddrException if {@link #canDial} is false for {@code address}
     * @throws java.net.SocketTimeoutException when the timeout passes
     */
    Connection dial(Multiaddr address, Duration timeout) throws IOException;

    /**
     * As {@link #dial(Multiaddr, Duration)}, the connection's layers reporting to {@code trace} (the host's id for it)
     * from its first packet on. A transport that does not trace ignores it.
     */
    default Connection dial(Multiaddr address, Duration timeout, Trace trace) throws IOException {
        return dial(address, timeout);
    }

    /** Starts listening; port 0 asks for a free port, {@link Listener#addresses()} tells which one. */
    Listener listen(Multiaddr address) throws IOException;

    /**
     * As {@link #listen(Multiaddr)}, each accepted connection reporting to a trace from {@code traces}, asked for
     * when the connection's first packet comes (so the handshake is traced too). A transport that does not trace
     * ignores it.
     */
    default Listener listen(Multiaddr address, Supplier<Trace> traces) throws IOException {
        return listen(address);
    }

    /** Closes every listener and connection of this transport and stops its threads. Idempotent. */
    @Override
    void close();

    /**
     * A bound endpoint handing out connections whose handshake succeeded. A peer that fails its handshake, vanishes
     * or sends garbage never reaches {@link #accept()} and never stops the listener.
     */
    interface Listener extends Closeable {
        /**
         * Blocks until a peer completed its handshake.
         *
         * @throws java.nio.channels.ClosedChannelException once {@link #close()} was called
         */
        Connection accept() throws IOException;

        /** The bound addresses, with the real port when port 0 was asked for. */
        List<Multiaddr> addresses();

        /** Stops accepting; connections already accepted stay open. Idempotent. */
        @Override
        void close() throws IOException;
    }
}
