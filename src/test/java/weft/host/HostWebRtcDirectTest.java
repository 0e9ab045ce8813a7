package weft.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.multistream.MultistreamSelect;
import weft.mux.MuxedStream;
import weft.protocol.echo.Echo;
import weft.protocol.identify.Identify;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;
import weft.testing.TraceRecorder;
import weft.trace.TraceEvent;
import weft.transport.UnsupportedMultiaddrException;
import weft.transport.webrtc.TestDialer;
import weft.transport.webrtc.WebRtcDirectListener;
import weft.transport.webrtc.WebRtcDirectTransport;
import weft.transport.webrtc.dtls.DtlsCertificate;

/**
 * A host listens on {@code /udp/N/webrtc-direct} next to TCP, advertises the certhash address, and adopts what a
 * browser-like dialer ({@link TestDialer}: STUN, DTLS client, SCTP, Noise responder) brings like any connection.
 */
class HostWebRtcDirectTest {
    private static final Multiaddr TCP = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Multiaddr WEBRTC = Multiaddr.parse("/ip4/127.0.0.1/udp/0/webrtc-direct");
    private static final String CUSTOM = "/weft/test/shout/1.0.0";

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        threads.shutdownNow();
    }

    private Host start(HostConfig config) throws IOException {
        Host host = Host.start(config);
        closeables.add(host);
        return host;
    }

    private static HostConfig serving(Multiaddr... listen) {
        return HostConfig.defaults().withListenAddresses(List.of(listen)).withEcho(true).withPerf(true);
    }

    private static Multiaddr webRtcAddress(Host host) {
        return host.addresses().stream().filter(WebRtcDirectTransport::isWebRtcDirect).findFirst().orElseThrow();
    }

    /** Dials as a fresh peer that answers the host's identify with its own key and nothing else. */
    private TestDialer dial(Host host) throws Exception {
        PrivateKey key = PrivateKey.generate();
        TestDialer dialer = TestDialer.dial(webRtcAddress(host), key);
        closeables.add(dialer);
        threads.submit(() -> {
            while (true) {
                MuxedStream stream = dialer.connection().acceptStream();
                threads.submit(() -> {
                    MultistreamSelect.handle(stream, List.of(Identify.PROTOCOL_ID));
                    Identify.write(stream, new IdentifyMessage("ipfs/0.1.0", "test-dialer",
                            key.publicKey().marshal(), List.of(), null, List.of(), null));
                    return null;
                });
            }
        });
        return dialer;
    }

    private static MuxedStream open(TestDialer dialer, String protocol) throws IOException {
        MuxedStream stream = dialer.connection().openStream();
        MultistreamSelect.select(stream, protocol);
        return stream;
    }

    private static void assertEchoes(TestDialer dialer, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(bytes, Echo.echo(open(dialer, Echo.PROTOCOL_ID), bytes));
    }

    @Test
    void aHostListensOnTcpAndWebRtcDirectAndAdvertisesTheCerthashAddress() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        Host host = start(serving(TCP, WEBRTC).withWebRtcCertificate(certificate));
        assertEquals(2, host.addresses().size(), host.addresses().toString());
        String address = webRtcAddress(host).toString();
        assertTrue(address.matches("/ip4/127\\.0\\.0\\.1/udp/[1-9]\\d*/webrtc-direct/certhash/u[A-Za-z0-9_-]+/p2p/"
                + host.peerId().toBase58()), address);
        assertEquals(certificate.fingerprint().certhash(), webRtcAddress(host).valueOf("certhash").orElseThrow());
    }

    @Test
    void aTracedHostReportsEveryLayerOfAWebRtcConnectionUnderOneId() throws Exception {
        TraceRecorder recorder = new TraceRecorder();
        Host host = start(serving(WEBRTC).withTrace(recorder));
        TestDialer dialer = dial(host);
        assertEchoes(dialer, "traced");
        List<TraceEvent> events = recorder.events();
        assertEquals(1, events.stream().map(TraceEvent::connection).distinct().count(), recorder.lines()::toString);
        List<String> layers = events.stream().map(TraceEvent::layer).distinct().toList();
        assertEquals(List.of("connection", "dtls"), layers.subList(0, 2), layers::toString);
        assertTrue(layers.containsAll(List.of("sctp", "noise", "dcep", "webrtc", "multistream")), layers::toString);
        assertTrue(events.stream().filter(e -> e.layer().equals("noise")).allMatch(e -> e.stream() == 0),
                recorder.lines()::toString);
        assertTrue(recorder.lines("multistream").stream().anyMatch(l -> l.contains("/echo/1.0.0 stream=")),
                recorder.lines()::toString);
    }

    @Test
    void aWildcardListenerIsAdvertisedOncePerInterfaceAddressAndAnswersOnLoopback() throws Exception {
        Host host = start(serving(Multiaddr.parse("/ip4/0.0.0.0/udp/0/webrtc-direct")));
        List<Multiaddr> addresses = host.addresses();
        assertFalse(addresses.stream().anyMatch(a -> a.toString().startsWith("/ip4/0.0.0.0")), addresses.toString());
        Multiaddr loopback = addresses.stream().filter(a -> a.toString().startsWith("/ip4/127.0.0.1/udp/"))
                .findFirst().orElseThrow(() -> new AssertionError(addresses.toString()));
        assertTrue(WebRtcDirectTransport.isWebRtcDirect(loopback), loopback.toString());
        TestDialer dialer = TestDialer.dial(loopback, PrivateKey.generate());
        closeables.add(dialer);
        assertEquals(host.peerId(), dialer.remotePeer());
    }

    @Test
    void theConfiguredCertificateKeepsTheCerthashAcrossHostsAndWithoutOneEachHostHasItsOwn() throws Exception {
        PrivateKey identity = PrivateKey.generate();
        DtlsCertificate certificate = DtlsCertificate.generate();
        String first;
        try (Host host = Host.start(serving(WEBRTC).withIdentity(identity).withWebRtcCertificate(certificate))) {
            first = webRtcAddress(host).valueOf("certhash").orElseThrow();
        }
        try (Host again = Host.start(serving(WEBRTC).withIdentity(identity).withWebRtcCertificate(certificate))) {
            assertEquals(first, webRtcAddress(again).valueOf("certhash").orElseThrow());
        }
        Host fresh = start(serving(WEBRTC).withIdentity(identity));
        Host other = start(serving(WEBRTC).withIdentity(identity));
        assertNotEquals(webRtcAddress(fresh).valueOf("certhash"), webRtcAddress(other).valueOf("certhash"));
    }

    @Test
    void anInboundWebRtcConnectionIsAdoptedIdentifiedAndServesPingEchoPerfAndUserHandlers() throws Exception {
        Host host = start(serving(TCP, WEBRTC));
        host.setStreamHandler(CUSTOM, (stream, connection) -> {
            byte[] in = stream.input().readAllBytes();
            String shouted = new String(in, StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
            stream.output().write(shouted.getBytes(StandardCharsets.UTF_8));
        });
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        CompletableFuture<IdentifyMessage> identified = new CompletableFuture<>();
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(Connection connection) {
                connected.complete(connection);
            }

            @Override
            public void identified(Connection connection, IdentifyMessage message) {
                identified.complete(message);
            }
        });
        TestDialer dialer = dial(host);
        assertEquals(host.peerId(), dialer.remotePeer());

        Connection connection = connected.get(10, TimeUnit.SECONDS);
        assertFalse(connection.isDialer());
        assertEquals(WebRtcDirectTransport.PROTOCOL, connection.securityProtocol());
        assertTrue(connection.remoteAddress().toString().matches("/ip4/127\\.0\\.0\\.1/udp/\\d+/webrtc-direct"),
                connection.remoteAddress().toString());
        assertEquals("test-dialer", identified.get(10, TimeUnit.SECONDS).agentVersion());
        assertEquals(List.of(connection), host.connections());

        MuxedStream ping = open(dialer, Ping.PROTOCOL_ID);
        assertFalse(Ping.ping(ping).isNegative());
        ping.closeWrite();
        assertEchoes(dialer, "hello over webrtc-direct");
        Perf.Result perf = Perf.run(open(dialer, Perf.PROTOCOL_ID), 1 << 20, 1 << 20, Perf.Progress.NONE);
        assertEquals(1 << 20, perf.downloadedBytes());

        MuxedStream custom = open(dialer, CUSTOM);
        custom.output().write("shout".getBytes(StandardCharsets.UTF_8));
        custom.closeWrite();
        assertEquals("SHOUT", new String(custom.input().readAllBytes(), StandardCharsets.UTF_8));

        IdentifyMessage told = Identify.read(open(dialer, Identify.PROTOCOL_ID));
        assertTrue(told.protocols().containsAll(List.of(Echo.PROTOCOL_ID, Perf.PROTOCOL_ID, CUSTOM)),
                told.protocols().toString());
        assertTrue(told.listenAddrs().contains(webRtcAddress(host).withoutPeerId()), told.listenAddrs().toString());
        assertEquals(connection.remoteAddress(), told.observedAddr());
    }

    @Test
    void anInboundWebRtcConnectionBeyondTheLimitIsClosed() throws Exception {
        Host host = start(serving(WEBRTC).withLimits(Limits.defaults().withMaxInboundConnections(1)));
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(Connection connection) {
                connected.complete(connection);
            }
        });
        TestDialer first = dial(host);
        connected.get(10, TimeUnit.SECONDS);
        TestDialer second = TestDialer.dial(webRtcAddress(host), PrivateKey.generate());
        closeables.add(second);
        assertThrows(IOException.class, () -> second.connection().acceptStream());
        assertEchoes(first, "the first stays");
        assertEquals(1, host.connections().size());
    }

    @Test
    void theWebRtcSettingsOfAHostBoundItsListeners() throws Exception {
        Host host = start(serving(WEBRTC).withWebRtc(WebRtcDirectListener.Config.defaults().withMaxRemotesPerIp(1)));
        TestDialer first = dial(host);
        IOException refused = assertThrows(IOException.class,
                () -> TestDialer.dial(webRtcAddress(host), PrivateKey.generate(), Duration.ofSeconds(1)));
        assertTrue(refused.getMessage().contains("no valid stun answer"), refused.getMessage());
        assertEchoes(first, "the first stays");
    }

    /**
     * The seed bug (rust-libp2p, fixed in libp2p-webrtc 0.4.0-alpha.3), through a host: three peers connect, one
     * vanishes without a word (its port then closed), the other two keep working and a fourth connects.
     */
    @Test
    void onePeerVanishingLeavesTheOthersWorkingAndANewOneConnects() throws Exception {
        Host host = start(serving(WEBRTC));
        TestDialer first = dial(host);
        TestDialer second = dial(host);
        TestDialer third = dial(host);
        assertEchoes(second, "before");
        second.vanish();
        assertEchoes(first, "still here");
        assertEchoes(third, "me too");
        assertEchoes(dial(host), "newcomer");
    }

    @Test
    void dialingWebRtcDirectFailsAsListenOnly() throws Exception {
        Host server = start(serving(WEBRTC));
        Host client = start(HostConfig.defaults());
        UnsupportedMultiaddrException e = assertThrows(UnsupportedMultiaddrException.class,
                () -> client.connect(webRtcAddress(server)));
        assertTrue(e.getMessage().contains("listen-only"), e.getMessage());
    }

    @Test
    void aWebRtcDirectListenAddressWithMoreAfterItIsRefused() {
        Multiaddr withCerthash = WEBRTC.encapsulate("/certhash/" + DtlsCertificate.generate().fingerprint().certhash());
        assertThrows(UnsupportedMultiaddrException.class, () -> Host.start(serving(withCerthash)));
    }
}
