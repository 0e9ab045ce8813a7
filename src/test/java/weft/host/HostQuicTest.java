package weft.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.connection.Connection;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.protocol.echo.Echo;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;
import weft.security.PeerIdMismatchException;
import weft.transport.quic.QuicConfig;
import weft.transport.quic.QuicTransport;

/** A host dials and listens on {@code /udp/N/quic-v1} by multiaddr, next to TCP, and says so in identify. */
class HostQuicTest {
    private static final Multiaddr TCP = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Multiaddr QUIC = Multiaddr.parse("/ip4/127.0.0.1/udp/0/quic-v1");

    private final Host server;
    private final Host client;

    HostQuicTest() throws IOException {
        server = Host.start(HostConfig.defaults().withListenAddresses(List.of(TCP, QUIC)).withEcho(true)
                .withPerf(true));
        client = Host.start(HostConfig.defaults().withListenAddresses(List.of(QUIC)));
    }

    @AfterEach
    void closeHosts() {
        client.close();
        server.close();
    }

    private Multiaddr serverAddress(String transport) {
        return server.addresses().stream().filter(a -> a.toString().contains(transport)).findFirst().orElseThrow();
    }

    @Test
    void aHostListensOnTcpAndQuicAtOnce() {
        assertEquals(2, server.addresses().size(), server.addresses().toString());
        Multiaddr quic = serverAddress("/quic-v1");
        assertFalse(quic.valueOf("udp").orElseThrow().equals("0"));
        assertEquals(server.peerId().toBase58(), quic.peerId().orElseThrow());
    }

    @Test
    void pingEchoAndPerfRunOverAQuicConnection() throws Exception {
        Connection connection = client.connect(serverAddress("/quic-v1"));
        assertEquals(QuicTransport.PROTOCOL, connection.securityProtocol());
        assertEquals(server.peerId(), connection.remotePeer());
        assertTrue(connection.remoteAddress().toString().endsWith("/quic-v1"), connection.remoteAddress().toString());

        MuxedStream ping = client.newStream(connection, Ping.PROTOCOL_ID);
        assertFalse(Ping.ping(ping).isNegative());
        ping.closeWrite();
        byte[] hello = "hello quic".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hello, Echo.echo(client.newStream(connection, Echo.PROTOCOL_ID), hello));
        Perf.Result r = Perf.run(client.newStream(connection, Perf.PROTOCOL_ID), 1 << 20, 2 << 20,
                Perf.Progress.NONE);
        assertEquals(1 << 20, r.uploadedBytes());
        assertEquals(2 << 20, r.downloadedBytes());
    }

    @Test
    void identifyAdvertisesTheTcpAndTheQuicAddressAndTheQuicObservedAddress() throws Exception {
        Connection connection = client.connect(serverAddress("/quic-v1"));
        IdentifyMessage told = client.identifyOf(server.peerId()).orElseThrow();
        List<String> listen = told.listenAddrs().stream().map(Multiaddr::toString).toList();
        assertTrue(listen.stream().anyMatch(a -> a.contains("/tcp/")), listen.toString());
        assertTrue(listen.stream().anyMatch(a -> a.endsWith("/quic-v1")), listen.toString());
        assertEquals(connection.localAddress(), told.observedAddr());
    }

    @Test
    void theListenerAdoptsTheConnectionAndCanOpenStreamsBack() throws Exception {
        Connection out = client.connect(serverAddress("/quic-v1"));
        Connection in = server.connection(client.peerId()).orElseThrow();
        assertFalse(in.isDialer());
        assertEquals(out.localAddress(), in.remoteAddress());
        MuxedStream ping = server.newStream(in, Ping.PROTOCOL_ID);
        assertFalse(Ping.ping(ping).isNegative());
    }

    @Test
    void dialingTheWrongPeerIdOverQuicFailsTheHandshake() {
        PeerId someoneElse = PeerId.fromPublicKey(PrivateKey.generate().publicKey());
        Multiaddr wrong = serverAddress("/quic-v1").withoutPeerId().encapsulate("/p2p/" + someoneElse.toBase58());
        PeerIdMismatchException e = assertThrows(PeerIdMismatchException.class, () -> client.connect(wrong));
        assertEquals(someoneElse, e.expected());
        assertEquals(server.peerId(), e.actual());
    }

    @Test
    @Timeout(20)
    void theQuicConfigOfAHostSetsTheIdleTimeoutOfItsConnections() throws Exception {
        try (Host quiet = Host.start(HostConfig.defaults().withListenAddresses(List.of(QUIC)).withEcho(true)
                .withQuic(QuicConfig.defaults().withIdleTimeout(Duration.ofMillis(300))))) {
            Connection connection = client.connect(quiet.addresses().get(0));
            MuxedStream idle = client.newStream(connection, Echo.PROTOCOL_ID);
            // nothing moves: the smaller idle timeout of the two (RFC 9000 §10.1), 300 ms and not 30 s, ends it
            assertThrows(IOException.class, () -> idle.input().read());
            assertTrue(connection.isClosed());
        }
    }

    @Test
    @Timeout(30)
    void aKeepAlivePingKeepsAQuietConnectionOpenPastTheIdleTimeout() throws Exception {
        CountDownLatch pings = new CountDownLatch(12);
        try (Host quiet = Host.start(HostConfig.defaults().withListenAddresses(List.of(QUIC)).withEcho(true)
                .withQuic(QuicConfig.defaults().withIdleTimeout(Duration.ofSeconds(1))
                        .withKeepAlivePeriod(Duration.ZERO)));
             Host pinging = Host.start(HostConfig.defaults()
                     .withQuic(QuicConfig.defaults().withKeepAlivePeriod(Duration.ofMillis(150))))) {
            quiet.setStreamHandler(Ping.PROTOCOL_ID, (stream, connection) -> {
                pings.countDown();
                Ping.serve(stream);
            });
            Connection connection = pinging.connect(quiet.addresses().get(0));
            // twelve pings 150 ms apart span 1.8 s: without them the 1 s idle timeout would have closed it
            pings.await();
            assertFalse(connection.isClosed());
            assertArrayEquals(new byte[] {7}, Echo.echo(pinging.newStream(connection, Echo.PROTOCOL_ID),
                    new byte[] {7}));
        }
    }
}
