package weft.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.multistream.ProtocolNotSupportedException;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;
import weft.protocol.echo.Echo;
import weft.protocol.identify.Identify;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;
import weft.security.PeerIdMismatchException;
import weft.transport.UnsupportedMultiaddrException;

class HostTest {
    private static final List<Multiaddr> LOOPBACK = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));

    private final Host server;
    private final Host client;

    HostTest() throws IOException {
        server = Host.start(HostConfig.defaults().withListenAddresses(LOOPBACK).withEcho(true).withPerf(true)
                .withAgentVersion("weft/test"));
        client = Host.start(HostConfig.defaults());
    }

    @AfterEach
    void closeHosts() {
        client.close();
        server.close();
    }

    private Multiaddr serverAddress() {
        return server.addresses().get(0);
    }

    @Test
    void listenAddressesCarryTheRealPortAndOurPeerId() {
        Multiaddr address = serverAddress();
        assertFalse(address.valueOf("tcp").orElseThrow().equals("0"));
        assertEquals(server.peerId().toBase58(), address.peerId().orElseThrow());
    }

    @Test
    void aGivenIdentityIsTheHostsPeerId() throws IOException {
        PrivateKey key = PrivateKey.generate();
        try (Host host = Host.start(HostConfig.defaults().withIdentity(key))) {
            assertEquals(PeerId.fromPublicKey(key.publicKey()), host.peerId());
        }
    }

    @Test
    void pingEchoAndPerfWorkBetweenTwoHosts() throws Exception {
        MuxedStream ping = client.newStream(serverAddress(), Ping.PROTOCOL_ID);
        assertFalse(Ping.ping(ping).isNegative());
        ping.closeWrite();

        byte[] hello = "hello host".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hello, Echo.echo(client.newStream(serverAddress(), Echo.PROTOCOL_ID), hello));

        Perf.Result r = Perf.run(client.newStream(serverAddress(), Perf.PROTOCOL_ID), 1 << 20, 2 << 20,
                Perf.Progress.NONE);
        assertEquals(2 << 20, r.downloadedBytes());
    }

    @Test
    void aThirdConcurrentPingStreamFromOnePeerIsReset() throws Exception {
        MuxedStream first = client.newStream(serverAddress(), Ping.PROTOCOL_ID);
        MuxedStream second = client.newStream(serverAddress(), Ping.PROTOCOL_ID);
        Ping.ping(first);
        Ping.ping(second); // both are being served now
        assertThrows(StreamResetException.class, () -> Ping.ping(client.newStream(serverAddress(), Ping.PROTOCOL_ID)));
        first.closeWrite();
        assertEquals(-1, first.input().read());
        Ping.ping(second);
    }

    @Test
    void oneConnectionPerPeerIsReused() throws Exception {
        Connection first = client.connect(serverAddress());
        Connection second = client.connect(serverAddress());
        assertSame(first, second);
        assertEquals(1, client.connections().size());
    }

    @Test
    void concurrentConnectsToOnePeerShareOneConnection() throws Exception {
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Connection>> connects = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                connects.add(threads.submit(() -> client.connect(serverAddress())));
            }
            Connection first = connects.get(0).get();
            for (var connect : connects) {
                assertSame(first, connect.get());
            }
        }
        assertEquals(1, client.connections().size());
    }

    @Test
    void identifyRunsOnEveryNewConnectionAndBothSidesRecordWhatThePeerSaid() throws Exception {
        LinkedBlockingQueue<IdentifyMessage> clientLearned = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<IdentifyMessage> serverLearned = new LinkedBlockingQueue<>();
        client.addConnectionListener(new ConnectionListener() {
            @Override
            public void identified(Connection connection, IdentifyMessage message) {
                clientLearned.add(message);
            }
        });
        server.addConnectionListener(new ConnectionListener() {
            @Override
            public void identified(Connection connection, IdentifyMessage message) {
                serverLearned.add(message);
            }
        });
        Connection conn = client.connect(serverAddress());
        IdentifyMessage id = clientLearned.poll(10, TimeUnit.SECONDS);
        assertEquals("weft/test", id.agentVersion());
        assertEquals("ipfs/0.1.0", id.protocolVersion());
        assertEquals(List.of(serverAddress().withoutPeerId()), id.listenAddrs());
        assertEquals(conn.localAddress(), id.observedAddr());
        assertEquals(List.copyOf(server.protocols()), id.protocols());
        assertTrue(id.protocols().containsAll(List.of(Ping.PROTOCOL_ID, Identify.PROTOCOL_ID,
                Identify.PUSH_PROTOCOL_ID, Echo.PROTOCOL_ID, Perf.PROTOCOL_ID)), id.protocols().toString());
        assertEquals(id, client.identifyOf(server.peerId()).orElseThrow());

        IdentifyMessage back = serverLearned.poll(10, TimeUnit.SECONDS);
        assertTrue(back.agentVersion().startsWith("weft/"), back.agentVersion());
        assertEquals(List.of(), back.listenAddrs(), "the client listens nowhere");
    }

    @Test
    void aNewHandlerReachesConnectedPeersThroughIdentifyPush() throws Exception {
        LinkedBlockingQueue<IdentifyMessage> learned = new LinkedBlockingQueue<>();
        client.addConnectionListener(new ConnectionListener() {
            @Override
            public void identified(Connection connection, IdentifyMessage message) {
                learned.add(message);
            }
        });
        client.connect(serverAddress());
        assertFalse(learned.poll(10, TimeUnit.SECONDS).protocols().contains("/new/1.0.0"));
        server.setStreamHandler("/new/1.0.0", (stream, connection) -> {});
        IdentifyMessage pushed = learned.poll(10, TimeUnit.SECONDS);
        assertTrue(pushed.protocols().contains("/new/1.0.0"), pushed.protocols().toString());
        assertEquals("weft/test", pushed.agentVersion());
    }

    @Test
    void aConnectionThatFailsItsUpgradeDoesNotStopTheListener() throws Exception {
        try (java.net.Socket rude = new java.net.Socket("127.0.0.1",
                Integer.parseInt(serverAddress().valueOf("tcp").orElseThrow()))) {
            rude.getOutputStream().write("garbage, not multistream\n".repeat(10).getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, rude.getInputStream().read(), "the host hangs up on it");
        }
        byte[] hi = "next one is fine".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hi, Echo.echo(client.newStream(serverAddress(), Echo.PROTOCOL_ID), hi));
    }

    @Test
    void aPeerResettingInTheMiddleOfTheHandshakeDoesNotStopTheListener() throws Exception {
        for (int i = 0; i < 5; i++) {
            java.net.Socket rude = new java.net.Socket("127.0.0.1",
                    Integer.parseInt(serverAddress().valueOf("tcp").orElseThrow()));
            // multistream header and /noise, then the first bytes of a Noise message, then RST
            rude.getOutputStream().write(java.util.HexFormat.of().parseHex(
                    "132f6d756c746973747265616d2f312e302e300a072f6e6f6973650a0020abcdef"));
            rude.getInputStream().readNBytes(27); // the listener's answer: header and /noise
            rude.setSoLinger(true, 0);
            rude.close();
        }
        byte[] hi = "still accepting".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hi, Echo.echo(client.newStream(serverAddress(), Echo.PROTOCOL_ID), hi));
    }

    @Test
    void aProtocolWithoutAHandlerIsNotSupported() throws Exception {
        ProtocolNotSupportedException e = assertThrows(ProtocolNotSupportedException.class,
                () -> client.newStream(serverAddress(), "/nobody/1.0.0"));
        assertEquals(List.of("/nobody/1.0.0"), e.offered());
    }

    @Test
    void aLazyProposalWeDeclineStillReadsAsNotSupportedDespiteTheDataBehindIt() throws Exception {
        Connection connection = client.connect(serverAddress());
        MuxedStream raw = connection.openStream();
        weft.io.DuplexStream stream = weft.multistream.MultistreamSelect.selectLazily(raw, "/nobody/1.0.0");
        stream.output().write(new byte[] {1, 2, 3}); // go's lazy client sends its request with the proposal
        stream.output().flush();
        ProtocolNotSupportedException e = assertThrows(ProtocolNotSupportedException.class,
                () -> stream.input().read(new byte[8]));
        assertEquals(List.of("/nobody/1.0.0"), e.offered());
        raw.reset();
        byte[] hi = "the connection is fine".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hi, Echo.echo(client.newStream(connection, Echo.PROTOCOL_ID), hi));
    }

    @Test
    void aFailingHandlerResetsOnlyItsStream() throws Exception {
        server.setStreamHandler("/fails/1.0.0", (stream, connection) -> {
            throw new IOException("handler: failing on purpose");
        });
        // The reset may overtake the protocol echo (a reset drops unread data), so either call may see it.
        StreamResetException e = assertThrows(StreamResetException.class,
                () -> client.newStream(serverAddress(), "/fails/1.0.0").input().read());
        assertTrue(e.remote());
        byte[] hi = "still fine".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hi, Echo.echo(client.newStream(serverAddress(), Echo.PROTOCOL_ID), hi));
    }

    @Test
    void aHandlerGetsTheConnectionOfItsStream() throws Exception {
        LinkedBlockingQueue<PeerId> seen = new LinkedBlockingQueue<>();
        server.setStreamHandler("/who/1.0.0", (stream, connection) -> seen.add(connection.remotePeer()));
        MuxedStream s = client.newStream(serverAddress(), "/who/1.0.0");
        assertEquals(-1, s.input().read());
        assertEquals(client.peerId(), seen.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void dialingAnAddressWithTheWrongPeerIdFails() throws Exception {
        Multiaddr wrong = serverAddress().withoutPeerId()
                .encapsulate("/p2p/" + PeerId.fromPublicKey(PrivateKey.generate().publicKey()).toBase58());
        assertThrows(PeerIdMismatchException.class, () -> client.connect(wrong));
    }

    @Test
    void closingAHostEndsItsConnectionsAndTheirPeersSeeIt() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        client.addConnectionListener(new ConnectionListener() {
            @Override
            public void disconnected(Connection connection) {
                gone.countDown();
            }
        });
        client.connect(serverAddress());
        server.close();
        assertTrue(gone.await(10, TimeUnit.SECONDS), "the client saw the connection end");
        assertThrows(ClosedChannelException.class, () -> server.listen(LOOPBACK.get(0)));
    }

    @Test
    void theMultiaddrChoosesTheTransportWebSocketForWs() throws Exception {
        Multiaddr ws = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws"));
        assertTrue(ws.toString().matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/" + server.peerId().toBase58()), ws.toString());
        assertTrue(server.addresses().contains(ws), server.addresses().toString());
        try (Host other = Host.start(HostConfig.defaults())) {
            Connection connection = other.connect(ws);
            assertTrue(connection.remoteAddress().toString().endsWith("/ws"), connection.remoteAddress().toString());
            byte[] hello = "hello over websocket".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(hello, Echo.echo(other.newStream(connection, Echo.PROTOCOL_ID), hello));
        }
    }

    @Test
    void anAddressNoTransportHandlesIsUnsupported() {
        Multiaddr draft29 = Multiaddr.parse("/ip4/127.0.0.1/udp/4001/quic"); // QUIC draft-29: nobody speaks it
        assertThrows(UnsupportedMultiaddrException.class, () -> client.connect(draft29));
        assertThrows(UnsupportedMultiaddrException.class, () -> client.listen(draft29));
    }
}
