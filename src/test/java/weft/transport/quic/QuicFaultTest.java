package weft.transport.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.transport.quic.QuicTransportTest.DIAL_TIMEOUT;
import static weft.transport.quic.QuicTransportTest.LOOPBACK;
import static weft.transport.quic.QuicTransportTest.assertEchoes;
import static weft.transport.quic.QuicTransportTest.peerOf;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.ConnectionClosedException;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.security.HandshakeException;

/**
 * What a QUIC listener and dialer do when the other side misbehaves: garbage datagrams, a certificate without the
 * libp2p extension (either side), a client that vanishes in the middle of a transfer. In each case the faulty
 * connection fails alone and the listener goes on serving.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QuicFaultTest {
    private final PrivateKey serverKey = PrivateKey.generate();
    /** A short idle timeout, so that a vanished peer is noticed within the test's time. */
    private final QuicTransport server = new QuicTransport(serverKey,
            QuicConfig.defaults().withIdleTimeout(Duration.ofSeconds(1)));
    private final QuicTransport client = new QuicTransport(PrivateKey.generate(), QuicConfig.defaults());
    private final EventLoopGroup rogueLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void close() {
        client.close();
        server.close();
        rogueLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void garbageDatagramsAreDroppedAndTheListenerGoesOnServing() throws Exception {
        try (SecureTransport.Listener listener = server.listen(LOOPBACK);
                DatagramChannel garbage = DatagramChannel.open()) {
            Multiaddr bound = listener.addresses().get(0);
            Connection before = client.dial(bound, DIAL_TIMEOUT);
            Connection beforeAccepted = listener.accept();
            SocketAddress target = new InetSocketAddress("127.0.0.1", Integer.parseInt(bound.valueOf("udp").orElseThrow()));
            Random random = new Random(9);
            for (int i = 0; i < 500; i++) {
                byte[] datagram = new byte[1 + random.nextInt(1500)];
                random.nextBytes(datagram);
                if (i % 3 == 0) { // a QUIC v1 long header (Initial), so the codec gets past the first byte
                    datagram[0] = (byte) 0xC3;
                    if (datagram.length > 5) {
                        datagram[1] = 0;
                        datagram[2] = 0;
                        datagram[3] = 0;
                        datagram[4] = 1;
                    }
                }
                garbage.send(ByteBuffer.wrap(datagram), target);
            }
            assertEchoes(before, beforeAccepted);
            Connection after = client.dial(bound, DIAL_TIMEOUT);
            assertEchoes(after, listener.accept());
        }
    }

    @Test
    void aServerCertificateWithoutTheLibp2pExtensionFailsTheDial() throws Exception {
        KeyPair key = p256();
        Channel rogue = new Bootstrap().group(rogueLoop).channel(NioDatagramChannel.class)
                .handler(new QuicServerCodecBuilder()
                        .sslContext(QuicSslContextBuilder.forServer(key.getPrivate(), null, plainCertificate(key))
                                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                                .clientAuth(ClientAuth.REQUIRE)
                                .applicationProtocols(QuicTls.ALPN)
                                .build())
                        .maxIdleTimeout(5, TimeUnit.SECONDS)
                        .initialMaxData(1 << 20)
                        .initialMaxStreamsBidirectional(10)
                        .handler(new ChannelInboundHandlerAdapter())
                        .streamHandler(new ChannelInboundHandlerAdapter())
                        .build())
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            Multiaddr address = QuicAddress.multiaddr((InetSocketAddress) rogue.localAddress());
            HandshakeException e = assertThrows(HandshakeException.class, () -> client.dial(address, DIAL_TIMEOUT));
            assertTrue(e.getMessage().contains("lacks the libp2p public key extension"), e.getMessage());
        } finally {
            rogue.close().sync();
        }
    }

    @Test
    void aClientCertificateWithoutTheLibp2pExtensionIsRefusedAndTheListenerGoesOn() throws Exception {
        try (SecureTransport.Listener listener = server.listen(LOOPBACK)) {
            Multiaddr bound = listener.addresses().get(0);
            KeyPair key = p256();
            Channel udp = new Bootstrap().group(rogueLoop).channel(NioDatagramChannel.class)
                    .handler(new QuicClientCodecBuilder()
                            .sslContext(QuicSslContextBuilder.forClient()
                                    .keyManager(key.getPrivate(), null, plainCertificate(key))
                                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                                    .applicationProtocols(QuicTls.ALPN)
                                    .build())
                            .maxIdleTimeout(5, TimeUnit.SECONDS)
                            .initialMaxData(1 << 20)
                            .build())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            try {
                Future<QuicChannel> rogue = QuicChannel.newBootstrap(udp)
                        .handler(new ChannelInboundHandlerAdapter())
                        .streamHandler(new ChannelInboundHandlerAdapter())
                        .remoteAddress(bound.toSocketAddress())
                        .connect().await();
                // TLS 1.3: the client may finish before the server checked its certificate; then the server closes
                if (rogue.isSuccess()) {
                    assertTrue(rogue.getNow().closeFuture().await(10, TimeUnit.SECONDS), "the server kept it open");
                }
                Connection good = client.dial(bound.encapsulate("/p2p/" + peerOf(serverKey)), DIAL_TIMEOUT);
                Connection accepted = listener.accept(); // the first one accepted is the good client
                assertEquals(good.localPeer(), accepted.remotePeer());
                assertEchoes(good, accepted);
            } finally {
                udp.close().sync();
            }
        }
    }

    /**
     * The client vanishes mid-transfer (its packets stop, no CONNECTION_CLOSE, as when its process is killed): the
     * server's blocked read fails when the idle timeout passes, and the listener serves the next client.
     */
    @Test
    void aClientThatVanishesMidTransferFailsItsStreamsAndTheListenerGoesOn() throws Exception {
        try (SecureTransport.Listener listener = server.listen(LOOPBACK);
                UdpRelay relay = new UdpRelay(listener.addresses().get(0).toSocketAddress());
                var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Connection dialed = client.dial(QuicAddress.multiaddr(relay.address()), DIAL_TIMEOUT);
            Connection accepted = listener.accept();
            MuxedStream out = dialed.openStream();
            out.write(new byte[256 * 1024], 0, 256 * 1024);
            MuxedStream in = accepted.acceptStream();
            var reader = threads.submit(() -> {
                byte[] buf = new byte[64 * 1024];
                while (in.read(buf, 0, buf.length) >= 0) {
                    relay.blackhole(); // from the first bytes on, the client is gone
                }
                return null;
            });
            var e = assertThrows(java.util.concurrent.ExecutionException.class, reader::get);
            ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, e.getCause());
            assertTrue(closed.getMessage().contains("timed out"), closed.getMessage());
            assertTrue(accepted.isClosed());

            Connection next = client.dial(listener.addresses().get(0), DIAL_TIMEOUT);
            assertEchoes(next, listener.accept());
        }
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A self-signed certificate as any TLS library makes one: no libp2p public key extension. */
    private static X509Certificate plainCertificate(KeyPair key) throws Exception {
        X500Name name = new X500Name("CN=not-libp2p");
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(3600)),
                Date.from(now.plusSeconds(3600)), name, key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    /**
     * A UDP relay between one client and {@code server} on loopback; {@link #blackhole()} drops everything from then
     * on, in both directions.
     */
    static final class UdpRelay implements AutoCloseable {
        private final DatagramChannel socket;
        private final InetSocketAddress server;
        private final Thread pump;
        private volatile boolean dropping;

        UdpRelay(InetSocketAddress server) throws IOException {
            this.server = server;
            this.socket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            this.pump = Thread.ofVirtual().name("udp-relay").start(this::pump);
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) socket.getLocalAddress();
        }

        void blackhole() {
            dropping = true;
        }

        private void pump() {
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            SocketAddress client = null;
            try {
                while (true) {
                    buffer.clear();
                    SocketAddress from = socket.receive(buffer);
                    buffer.flip();
                    if (dropping) {
                        continue;
                    }
                    if (from.equals(server)) {
                        if (client != null) {
                            socket.send(buffer, client);
                        }
                    } else {
                        client = from;
                        socket.send(buffer, server);
                    }
                }
            } catch (IOException e) {
                // closed: the relay is done
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            pump.interrupt();
        }
    }
}
