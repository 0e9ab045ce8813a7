package weft.transport.quic;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.multiformats.Multiaddr;
import weft.mux.ErrorCode;
import weft.trace.Trace;

/**
 * A QUIC listener: one UDP socket on which quiche demultiplexes connections by connection ID. A connection reaches
 * {@link #accept()} only after its TLS handshake succeeded, both certificates checked (the client's by
 * {@link PeerCertificateCheck}, required: "servers MUST require client authentication", {@code tls/tls.md}).
 *
 * <p>Nothing one peer does stops the listener: datagrams that are not QUIC are dropped by quiche, a failed
 * handshake or a vanished client ends that connection only, and the UDP socket stays open until {@link #close()}.
 * At most {@link #BACKLOG} handshaken connections wait for {@link #accept()}; more are closed with
 * {@link ErrorCode#RESOURCE_LIMIT_EXCEEDED}.
 *
 * <p>Threads: the event loop runs the handshakes and queues the connections; {@link #accept()} blocks its caller.
 */
final class QuicListener implements SecureTransport.Listener {
    private static final Logger log = LoggerFactory.getLogger(QuicListener.class);

    /** Connections handshaken and not yet accepted, at most (go-libp2p's QUIC listener queues 16 per listener). */
    static final int BACKLOG = 128;

    private final Channel udp;
    private final Multiaddr address;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Connection> ready = new ArrayDeque<>(); // guarded by lock
    private boolean closed; // guarded by lock
    /** Connections on the UDP socket, handshaking or established: the socket stays until the last one ends. */
    private final AtomicInteger live = new AtomicInteger();

    /**
     * @param requested the address it was asked to listen on: a wildcard is reported in the family asked for, as a
     *     NIO datagram socket bound to {@code 0.0.0.0} is dual-stack and reports {@code ::} (which a host would then
     *     expand to its IPv6 addresses only)
     */
    QuicListener(Channel udp, InetSocketAddress requested) {
        this.udp = udp;
        InetSocketAddress bound = (InetSocketAddress) udp.localAddress();
        this.address = QuicAddress.multiaddr(requested.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(requested.getAddress(), bound.getPort())
                : bound);
    }

    /** What a new QUIC channel of this listener gets: its connection, and a check once the handshake is done. */
    ChannelInitializer<QuicChannel> connectionSetup(PeerId localPeer, Supplier<Trace> traces) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(QuicChannel ch) {
                QuicConnection connection = QuicConnection.attach(ch, traces.get());
                live.incrementAndGet();
                ch.closeFuture().addListener(f -> {
                    if (live.decrementAndGet() == 0 && isClosed()) {
                        udp.close();
                    }
                });
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) { // handshake done, certificates checked
                        handshaken(connection, localPeer);
                        ctx.fireChannelActive();
                    }
                });
            }
        };
    }

    private void handshaken(QuicConnection connection, PeerId localPeer) {
        QuicChannel ch = connection.channel();
        PublicKey remoteKey;
        try {
            remoteKey = QuicTls.remoteKey(ch);
        } catch (IOException e) {
            log.debug("quic: refusing {}: {}", ch.remoteSocketAddress(), e.getMessage());
            connection.close(ErrorCode.PROTOCOL_VIOLATION);
            return;
        }
        Trace trace = connection.trace();
        Multiaddr remote = QuicAddress.multiaddr((InetSocketAddress) ch.remoteSocketAddress());
        if (trace.on()) QuicTrace.started(trace, false, address, remote);
        if (trace.on()) QuicTrace.secured(trace, ch);
        Connection accepted = Connection.secured(connection, localPeer, remoteKey, address, remote,
                QuicTransport.PROTOCOL, false, trace);
        String refused = null;
        lock.lock();
        try {
            if (closed) {
                refused = "listener closed";
            } else if (ready.size() >= BACKLOG) {
                refused = ready.size() + " connections wait for accept (limit " + BACKLOG + ")";
            } else {
                ready.add(accepted);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (refused != null) {
            log.debug("quic: refusing {}: {}", accepted, refused);
            connection.close(ErrorCode.RESOURCE_LIMIT_EXCEEDED);
        }
    }

    @Override
    public Connection accept() throws IOException {
        lock.lock();
        try {
            while (ready.isEmpty()) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                changed.await();
            }
            return ready.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("quic: interrupted in accept on " + address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Multiaddr> addresses() {
        return List.of(address);
    }

    /**
     * Stops accepting. Connections already accepted stay open; they share this UDP socket, so it stays bound until
     * the last of them ends (the transport closes it then, or on its own close).
     */
    @Override
    public void close() {
        List<Connection> waiting;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            waiting = List.copyOf(ready);
            ready.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Connection c : waiting) {
            try {
                c.close();
            } catch (IOException e) {
                // gone either way
            }
        }
        if (live.get() == 0) {
            udp.close();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "quic listener " + address;
    }
}
