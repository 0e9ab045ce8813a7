package weft.transport.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.security.PeerIdMismatchException;
import weft.transport.UnsupportedMultiaddrException;

/**
 * What the transport suite asks of TCP and WebSocket ({@code weft.transport.TransportConformanceTest}), asked of
 * QUIC at the level it works on: finished connections instead of raw byte streams. Plus QUIC's own: both peers'
 * IDs, and the expected peer ID on a dial.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QuicTransportTest {
    static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/udp/0/quic-v1");
    static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);

    private final PrivateKey serverKey = PrivateKey.generate();
    private final PrivateKey clientKey = PrivateKey.generate();
    private final QuicTransport server = new QuicTransport(serverKey, QuicConfig.defaults());
    private final QuicTransport client = new QuicTransport(clientKey, QuicConfig.defaults());

    @AfterEach
    void closeTransports() {
        client.close();
        server.close();
    }

    static PeerId peerOf(PrivateKey key) {
        return PeerId.fromPublicKey(key.publicKey());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One echo round trip on a new stream from {@code from}, served by {@code to}. */
    static void assertEchoes(Connection from, Connection to) throws Exception {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var served = threads.submit(() -> {
                MuxedStream s = to.acceptStream();
                s.input().transferTo(s.output());
                s.closeWrite();
                return null;
            });
            MuxedStream s = from.openStream();
            s.write(bytes("ping"), 0, 4);
            s.closeWrite();
            assertArrayEquals(bytes("ping"), s.input().readAllBytes());
            served.get();
        }
    }

    @Test
    void listeningOnPortZeroReportsTheRealBoundPort() throws IOException {
        try (SecureTransport.Listener listener = server.listen(LOOPBACK)) {
            Multiaddr bound = listener.addresses().get(0);
            assertNotEquals("0", bound.valueOf("udp").orElseThrow());
            assertTrue(server.canDial(bound), bound + " should be dialable");
            assertTrue(bound.toString().endsWith("/quic-v1"), bound.toString());
        }
    }

    @Test
    void onlyQuicV1AddressesAreTaken() {
        assertTrue(client.canDial(Multiaddr.parse("/ip6/::1/udp/4001/quic-v1/p2p/" + peerOf(serverKey))));
        assertTrue(client.canListen(Multiaddr.parse("/ip4/0.0.0.0/udp/0/quic-v1")));
        for (String other : List.of("/ip4/127.0.0.1/udp/4001/quic", "/ip4/127.0.0.1/tcp/4001",
                "/ip4/127.0.0.1/udp/0/quic-v1", "/dns4/example.com/udp/4001/quic-v1",
                "/ip4/127.0.0.1/udp/4001/quic-v1/webtransport")) {
            assertTrue(!client.canDial(Multiaddr.parse(other)), other);
        }
        assertThrows(UnsupportedMultiaddrException.class,
                () -> client.dial(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), DIAL_TIMEOUT));
    }

    @Test
    void bothEndsKnowBothPeersAndBothAddresses() throws Exception {
        try (SecureTransport.Listener listener = server.listen(LOOPBACK)) {
            Multiaddr bound = listener.addresses().get(0);
            Connection dialed = client.dial(bound.encapsulate("/p2p/" + peerOf(serverKey)), DIAL_TIMEOUT);
            Connection accepted = listener.accept();
            assertEquals(peerOf(serverKey), dialed.remotePeer());
            assertEquals(peerOf(clientKey), dialed.localPeer());
            assertEquals(peerOf(clientKey), accepted.remotePeer());
            assertEquals(peerOf(serverKey), accepted.localPeer());
            assertEquals(clientKey.publicKey(), accepted.remotePublicKey());
            assertEquals(bound, dialed.remoteAddress());
            assertEquals(dialed.localAddress(), accepted.remoteAddress());
            assertEquals(accepted.localAddress(), dialed.remoteAddress());
            assertTrue(dialed.isDialer() && !accepted.isDialer());
            assertEquals(QuicTransport.PROTOCOL, dialed.securityProtocol());
            assertEchoes(dialed, accepted);
            assertEchoes(accepted, dialed);
        }
    }

    @Test
    void dialingTheWrongPeerIdFailsAndTheListenerGoesOn() throws Exception {
        try (SecureTransport.Listener listener = server.listen(LOOPBACK)) {
            Multiaddr bound = listener.addresses().get(0);
            PeerId someoneElse = peerOf(PrivateKey.generate());
            PeerIdMismatchException e = assertThrows(PeerIdMismatchException.class,
                    () -> client.dial(bound.encapsulate("/p2p/" + someoneElse), DIAL_TIMEOUT));
            assertEquals(someoneElse, e.expected());
            assertEquals(peerOf(serverKey), e.actual());
            Connection good = client.dial(bound.encapsulate("/p2p/" + peerOf(serverKey)), DIAL_TIMEOUT);
            Connection accepted = listener.accept();
            assertEquals(good.localAddress(), accepted.remoteAddress());
        }
    }

    @Test
    void acceptAfterCloseThrowsClosedChannelException() throws IOException {
        SecureTransport.Listener listener = server.listen(LOOPBACK);
        listener.close();
        assertThrows(ClosedChannelException.class, listener::accept);
        listener.close();
    }

    @Test
    void acceptBlockedWhileTheListenerClosesThrowsClosedChannelException() throws Exception {
        SecureTransport.Listener listener = server.listen(LOOPBACK);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    listener.accept().close();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            }, executor);
            listener.close();
            assertTrue(outcome.get() instanceof ClosedChannelException, "got " + outcome.get());
        }
    }

    @Test
    void dialingAPortNobodyListensOnIsRefused() throws IOException {
        Multiaddr gone;
        try (SecureTransport.Listener listener = server.listen(LOOPBACK)) {
            gone = listener.addresses().get(0);
        }
        ConnectException e = assertThrows(ConnectException.class, () -> client.dial(gone, DIAL_TIMEOUT));
        assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
    }

    @Test
    void connectionsAcceptedBeforeTheListenerClosedStayOpen() throws Exception {
        SecureTransport.Listener listener = server.listen(LOOPBACK);
        Connection dialed = client.dial(listener.addresses().get(0), DIAL_TIMEOUT);
        Connection accepted = listener.accept();
        listener.close();
        assertEchoes(dialed, accepted);
    }

    @Test
    void manyConnectionsToOneListenerStaySeparate() throws Exception {
        try (SecureTransport.Listener listener = server.listen(LOOPBACK)) {
            int n = 20;
            List<Connection> dialed = new ArrayList<>();
            List<Connection> accepted = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                dialed.add(client.dial(listener.addresses().get(0), DIAL_TIMEOUT));
                accepted.add(listener.accept());
            }
            for (int i = 0; i < n; i++) {
                MuxedStream s = dialed.get(i).openStream();
                s.write(new byte[] {(byte) i}, 0, 1);
                s.closeWrite();
            }
            for (int i = 0; i < n; i++) {
                assertEquals(dialed.get(i).localAddress(), accepted.get(i).remoteAddress());
                assertEquals(i, accepted.get(i).acceptStream().input().read());
            }
        }
    }

    /**
     * All connections and listeners of a transport run on its event loop: after the first connection started both
     * transports' event loops, ten more connections with a stream each start no further platform thread (the carriers
     * of virtual threads aside, which the JDK adds up to one per core).
     */
    @Test
    void connectionsRunOnTheTransportsEventLoopAndStartNoThreadOfTheirOwn() throws Exception {
        try (SecureTransport.Listener listener = server.listen(LOOPBACK)) {
            assertEchoes(client.dial(listener.addresses().get(0), DIAL_TIMEOUT), listener.accept());
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            for (int i = 0; i < 10; i++) {
                assertEchoes(client.dial(listener.addresses().get(0), DIAL_TIMEOUT), listener.accept());
            }
            Set<String> started = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t)).map(Thread::getName)
                    .filter(name -> !name.startsWith("ForkJoinPool-")) // virtual threads' carriers, one per core
                    .collect(Collectors.toSet());
            assertEquals(Set.of(), started);
        }
    }
}
