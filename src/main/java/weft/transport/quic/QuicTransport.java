package weft.transport.quic;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.connection.Upgrader;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.crypto.PublicKey;
import weft.multiformats.Multiaddr;
import weft.security.HandshakeException;
import weft.security.PeerIdMismatchException;
import weft.security.tls.Libp2pCertificate;
import weft.transport.UnsupportedMultiaddrException;
import weft.trace.Trace;

/**
 * QUIC v1 (RFC 9000) as libp2p runs it (libp2p specs {@code quic/README.md}): dials and listens on
 * {@code /ip4|ip6/<ip>/udp/<port>/quic-v1}; TLS 1.3 inside QUIC proves both peers' libp2p identities with the
 * certificate of {@code tls/tls.md} ({@link Libp2pCertificate}), ALPN {@code libp2p}; QUIC's own streams are the
 * libp2p streams. The connections come out secured and multiplexed, so no upgrader runs ({@link SecureTransport}).
 *
 * <p>QUIC itself is netty's codec (quiche and BoringSSL over JNI). All connections and listeners of one transport
 * share one netty event-loop group, {@link QuicConfig#eventLoopThreads()} threads (one by default): it does the UDP
 * IO, quiche's packet processing, TLS and timers for every connection. A connection has no thread of its own; the
 * application's stream calls block virtual threads, which the event loop wakes ({@link QuicStream}).
 *
 * <p>A dial binds a fresh UDP socket connected to the peer, with a TLS context of its own whose certificate check
 * knows the peer ID expected from the {@code /p2p/} of the address; a listener's connections share its socket.
 * Create one transport per host identity and {@link #close()} it with the host.
 *
 * <pre>{@code
 * try (QuicTransport quic = new QuicTransport(identity, QuicConfig.defaults())) {
 *     SecureTransport.Listener listener = quic.listen(Multiaddr.parse("/ip4/127.0.0.1/udp/0/quic-v1"));
 *     Connection out = quic.dial(listener.addresses().get(0).encapsulate("/p2p/" + peerId), Duration.ofSeconds(5));
 *     MuxedStream stream = out.openStream();
 * }
 * }</pre>
 */
public final class QuicTransport implements SecureTransport {
    private static final Logger log = LoggerFactory.getLogger(QuicTransport.class);

    /** What {@link Connection#securityProtocol()} and {@link Connection#muxerProtocol()} say for QUIC. */
    public static final String PROTOCOL = QuicAddress.QUIC_V1;

    /**
     * The largest UDP payload we send and take: 1350 bytes, quiche's and netty's example value, which passes any path
     * with an MTU of 1400 or more; quiche's default of 1200 (the least RFC 9000 §14 allows) costs 12% more packets.
     */
    static final int MAX_UDP_PAYLOAD = 1350;

    /** The largest buffer a stream read takes out of quiche at once (netty's adaptive allocator grows to it). */
    static final int MAX_READ_BUFFER = 256 * 1024;

    /**
     * SO_RCVBUF and SO_SNDBUF of every UDP socket. Linux's default (208 KiB) overflows during a burst on a fast path
     * and each drop costs QUIC a congestion back-off; quic-go asks for 7 MiB for the same reason
     * ({@code sys_conn.go}, "failed to sufficiently increase receive buffer size"). The kernel caps it at
     * {@code net.core.rmem_max} / {@code wmem_max}.
     */
    static final int UDP_BUFFER = 4 << 20;

    private final PeerId localPeer;
    private final QuicConfig config;
    private final QuicTls tls;
    private final EventLoopGroup group;
    private final Set<Channel> sockets = ConcurrentHashMap.newKeySet();
    private volatile QuicSslContext serverContext; // made on the first listen
    private volatile boolean closed;

    /**
     * A transport for the host {@code identity}; starts the event-loop threads.
     *
     * @throws UnsupportedOperationException if netty's QUIC native library cannot be loaded on this platform
     */
    public QuicTransport(PrivateKey identity, QuicConfig config) {
        Quic.ensureAvailability();
        this.localPeer = PeerId.fromPublicKey(identity.publicKey());
        this.config = config;
        this.tls = new QuicTls(Libp2pCertificate.generate(identity));
        this.group = new MultiThreadIoEventLoopGroup(config.eventLoopThreads(),
                new DefaultThreadFactory("weft-quic", true), UdpChannels.CHOSEN.ioHandler());
    }

    /** True when netty's QUIC classes and a native library for this platform are there. */
    public static boolean isAvailable() {
        try {
            return Quic.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    public boolean canDial(Multiaddr address) {
        InetSocketAddress target = QuicAddress.parse(address.withoutPeerId());
        return target != null && target.getPort() != 0;
    }

    @Override
    public boolean canListen(Multiaddr address) {
        return QuicAddress.parse(address) != null;
    }

    @Override
    public Connection dial(Multiaddr address, Duration timeout) throws IOException {
        return dial(address, timeout, Trace.OFF);
    }

    @Override
    public Connection dial(Multiaddr address, Duration timeout, Trace trace) throws IOException {
        if (!canDial(address)) {
            throw new UnsupportedMultiaddrException("quic: cannot dial " + address
                    + " (want /ip4|ip6/<ip>/udp/<port>/quic-v1[/p2p/<id>], port not 0)", address);
        }
        requireOpen();
        Optional<PeerId> expected = Upgrader.peerIdOf(address);
        InetSocketAddress target = QuicAddress.parse(address.withoutPeerId());
        Duration bound = timeout == null || timeout.isZero() || timeout.isNegative()
                ? config.handshakeTimeout() : timeout;
        long deadline = System.nanoTime() + bound.toNanos();
        PeerCertificateCheck check = PeerCertificateCheck.forDial(expected.orElse(null));
        AtomicReference<Throwable> socketError = new AtomicReference<>();
        ChannelHandler codec = settings(new QuicClientCodecBuilder()).sslContext(tls.client(check)).build();
        ChannelFuture connected = UdpChannels.CHOSEN.bootstrap().group(group)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(codec, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                // ICMP port unreachable on the connected socket: nobody listens there
                                socketError.compareAndSet(null, cause);
                                if (cause instanceof PortUnreachableException) {
                                    ctx.close();
                                }
                            }
                        });
                    }
                })
                .connect(target);
        Channel udp = connected.channel();
        track(udp);
        try {
            await(connected, deadline, address, bound);
            if (!connected.isSuccess()) {
                throw new ConnectException("quic: cannot reach " + address + ": " + connected.cause());
            }
            Multiaddr local = QuicAddress.multiaddr((InetSocketAddress) udp.localAddress());
            if (trace.on()) QuicTrace.started(trace, true, local, address.withoutPeerId());
            Future<QuicChannel> handshake = QuicChannel.newBootstrap(udp)
                    .handler(new ChannelInitializer<QuicChannel>() {
                        @Override
                        protected void initChannel(QuicChannel ch) {
                            QuicConnection.attach(ch, trace);
                        }
                    })
                    .streamHandler(QuicConnection.inboundStreams())
                    .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, UdpChannels.CHOSEN.segments())
                    .streamOption(ChannelOption.AUTO_READ, false)
                    .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .streamOption(ChannelOption.RCVBUF_ALLOCATOR, readAllocator())
                    .remoteAddress(target)
                    .connect();
            // done when the handshake ends either way, or when the UDP socket closes first (port unreachable)
            CompletableFuture<QuicChannel> done = new CompletableFuture<>();
            handshake.addListener(f -> {
                if (f.isSuccess()) {
                    if (trace.on()) QuicTrace.secured(trace, handshake.getNow()); // before the peer's first stream
                    done.complete(handshake.getNow());
                } else {
                    done.completeExceptionally(f.cause());
                }
            });
            udp.closeFuture().addListener(f -> done.completeExceptionally(new ClosedChannelException()));
            QuicChannel channel;
            try {
                channel = done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new SocketTimeoutException("quic: dialing " + address + " timed out (" + bound.toMillis()
                        + " ms)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("quic: interrupted while dialing " + address);
            } catch (ExecutionException e) {
                HandshakeException rejected = check.failure();
                if (rejected != null) {
                    throw rejected; // this dial's own check: no other thread throws it
                }
                Throwable cause = socketError.get() != null ? socketError.get() : e.getCause();
                if (cause instanceof PortUnreachableException) {
                    throw new ConnectException("quic: nobody listens at " + address + " (port unreachable)");
                }
                throw new HandshakeException("quic: handshake with " + address + " failed: " + cause, cause);
            }
            channel.closeFuture().addListener(f -> udp.close());
            PublicKey remoteKey = QuicTls.remoteKey(channel);
            PeerId remote = PeerId.fromPublicKey(remoteKey);
            if (expected.isPresent() && !expected.get().equals(remote)) { // checked in the handshake already
                channel.close();
                throw new PeerIdMismatchException(expected.get(), remote);
            }
            QuicConnection connection = channel.attr(QuicConnection.KEY).get();
            return Connection.secured(connection, localPeer, remoteKey, local, address.withoutPeerId(), PROTOCOL,
                    true, trace);
        } catch (IOException | RuntimeException e) {
            udp.close();
            throw e;
        }
    }

    /** Waits for {@code future} until {@code deadline}; a timeout is a {@link SocketTimeoutException}. */
    private static void await(Future<?> future, long deadline, Multiaddr address, Duration bound)
            throws IOException {
        try {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !future.await(left, TimeUnit.NANOSECONDS)) {
                throw new SocketTimeoutException("quic: dialing " + address + " timed out (" + bound.toMillis()
                        + " ms)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("quic: interrupted while dialing " + address);
        }
    }

    @Override
    public Listener listen(Multiaddr address) throws IOException {
        return listen(address, () -> Trace.OFF);
    }

    @Override
    public Listener listen(Multiaddr address, Supplier<Trace> traces) throws IOException {
        InetSocketAddress local = QuicAddress.parse(address);
        if (local == null) {
            throw new UnsupportedMultiaddrException("quic: cannot listen on " + address
                    + " (want /ip4|ip6/<ip>/udp/<port>/quic-v1)", address);
        }
        requireOpen();
        QuicSslContext context = serverContext;
        if (context == null) {
            context = tls.server();
            serverContext = context;
        }
        QuicListener[] listener = new QuicListener[1];
        ChannelHandler codec = settings(new QuicServerCodecBuilder())
                .sslContext(context)
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        ch.pipeline().addLast(listener[0].connectionSetup(localPeer, traces));
                    }
                })
                .streamHandler(QuicConnection.inboundStreams())
                .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, UdpChannels.CHOSEN.segments())
                .streamOption(ChannelOption.AUTO_READ, false)
                .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .streamOption(ChannelOption.RCVBUF_ALLOCATOR, readAllocator())
                .build();
        ChannelFuture bound = UdpChannels.CHOSEN.bootstrap().group(group).handler(codec).bind(local);
        try {
            bound.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bound.channel().close();
            throw new InterruptedIOException("quic: interrupted while binding " + address);
        }
        if (!bound.isSuccess()) {
            throw new IOException("quic: cannot listen on " + address + ": " + bound.cause(), bound.cause());
        }
        listener[0] = new QuicListener(bound.channel(), local);
        track(bound.channel());
        log.debug("quic: listening on {}", listener[0].addresses().get(0));
        return listener[0];
    }

    /** The settings both roles share: windows, stream limits, idle timeout (see {@link QuicConfig}). */
    private <B extends QuicCodecBuilder<B>> B settings(B builder) {
        return builder
                .maxIdleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(config.connectionReceiveWindow())
                .initialMaxStreamDataBidirectionalLocal(config.streamReceiveWindow())
                .initialMaxStreamDataBidirectionalRemote(config.streamReceiveWindow())
                .initialMaxStreamsBidirectional(config.maxIncomingStreams())
                .initialMaxStreamsUnidirectional(0) // libp2p uses bidirectional streams only
                .maxSendUdpPayloadSize(MAX_UDP_PAYLOAD)
                .maxRecvUdpPayloadSize(MAX_UDP_PAYLOAD)
                .activeMigration(false);
    }

    private static AdaptiveRecvByteBufAllocator readAllocator() {
        return new AdaptiveRecvByteBufAllocator(1024, 16 * 1024, MAX_READ_BUFFER);
    }

    private void track(Channel udp) {
        sockets.add(udp);
        udp.closeFuture().addListener(f -> sockets.remove(udp));
        if (closed) {
            udp.close();
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    /** Closes every socket (and so every connection and listener) of this transport and stops its threads. */
    @Override
    public void close() {
        closed = true;
        for (Channel udp : sockets) {
            udp.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "quic transport of " + localPeer;
    }
}
