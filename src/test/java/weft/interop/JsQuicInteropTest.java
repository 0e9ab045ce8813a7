package weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.connection.Connection;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.protocol.echo.Echo;
import weft.protocol.identify.Identify;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;
import weft.transport.quic.QuicTransport;

/**
 * weft against js-libp2p 3 with {@code @chainsafe/libp2p-quic} 2.1.1 (Rust quinn; pinned in
 * {@code src/test/interop/js-quic/package-lock.json}) over QUIC v1 on loopback, both directions: ping, identify,
 * echo, 100 parallel echo streams, perf 100 MiB each way, resets, half-close, and a js dialer killed in the middle
 * of an upload. Needs Node and {@code npm ci --prefix src/test/interop/js-quic}. Perf numbers go to
 * {@code target/interop-logs/perf.txt} (reported, never asserted).
 */
@Tag("interop")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsQuicInteropTest {
    private static final int PERF_BYTES = 100 << 20;
    private static final String AGENT = "weft/interop-test";
    private static final Path PERF_LOG = Path.of("target", "interop-logs", "perf.txt");
    /** The upload of the kill test: far more than it gets to send before it is killed. */
    private static final long ENDLESS = 1L << 40;

    private static JsPeer js;
    private static Host weft;
    private static Multiaddr weftAddress;
    /** Counted down by the sink handler once 1 MiB of an upload arrived (the kill test). */
    private static volatile CountDownLatch sinkStarted = new CountDownLatch(1);

    @BeforeAll
    static void startPeers() throws IOException {
        js = JsPeer.listen(true, "quic");
        weft = Host.start(HostConfig.defaults()
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/udp/0/quic-v1")))
                .withAgentVersion(AGENT)
                .withEcho(true)
                .withPerf(true));
        weft.setStreamHandler(JsInteropTest.RESET, (stream, connection) -> {
            stream.input().read(new byte[1024]);
            stream.reset();
        });
        weftAddress = weft.addresses().get(0);
    }

    @AfterAll
    static void stopPeers() throws Exception {
        if (js != null) {
            js.close();
        }
        if (weft != null) {
            weft.close();
        }
    }

    private static Connection weftDialsJs() throws IOException {
        return weft.connect(js.address());
    }

    // ---- weft dials js -------------------------------------------------------------------------------------

    @Test
    void weftDialsJsAndPingsFiveTimesOnOneStream() throws Exception {
        try (Connection conn = weftDialsJs()) {
            assertEquals(QuicTransport.PROTOCOL, conn.securityProtocol());
            MuxedStream stream = weft.newStream(conn, Ping.PROTOCOL_ID);
            for (int i = 0; i < 5; i++) {
                assertTrue(Ping.ping(stream).toNanos() > 0);
            }
            stream.closeWrite();
            assertEquals(-1, stream.input().read(), "js closes after our FIN");
        }
    }

    @Test
    void weftDialsJsAndReadsItsIdentify() throws Exception {
        try (Connection conn = weftDialsJs()) {
            IdentifyMessage id = Identify.read(weft.newStream(conn, Identify.PROTOCOL_ID));
            assertTrue(id.agentVersion().startsWith("js-libp2p/"), id.agentVersion());
            assertEquals(conn.remotePeer(), PeerId.fromPublicKey(PublicKey.unmarshal(id.publicKey())));
            assertTrue(id.protocols().containsAll(List.of(Ping.PROTOCOL_ID, Echo.PROTOCOL_ID, Perf.PROTOCOL_ID,
                    Identify.PROTOCOL_ID)), id.protocols().toString());
            assertEquals(conn.localAddress(), id.observedAddr().withoutPeerId());
            assertTrue(id.listenAddrs().contains(js.address().withoutPeerId()), id.listenAddrs().toString());
        }
    }

    @Test
    void weftDialsJsAndEchoesOnAHundredStreamsAtOnce() throws Exception {
        try (Connection conn = weftDialsJs()) {
            byte[] text = "Hello from weft over QUIC".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(text, Echo.echo(weft.newStream(conn, Echo.PROTOCOL_ID), text));
            WeftScenarios.echoAtOnce(weft, conn, 100, 1024);
        }
    }

    @Test
    void weftDialsJsForPerfOf100MiBEachWay() throws Exception {
        Perf.Result up;
        try (Connection conn = weftDialsJs()) {
            up = Perf.run(weft.newStream(conn, Perf.PROTOCOL_ID), PERF_BYTES, 0, Perf.Progress.NONE);
        }
        assertEquals(PERF_BYTES, up.uploadedBytes());
        Perf.Result down;
        try (Connection conn = weftDialsJs()) {
            down = Perf.run(weft.newStream(conn, Perf.PROTOCOL_ID), 0, PERF_BYTES, Perf.Progress.NONE);
        }
        assertEquals(PERF_BYTES, down.downloadedBytes());
        record("weft -> js", gbps(PERF_BYTES, up.total().toNanos()), gbps(PERF_BYTES, down.total().toNanos()));
    }

    @Test
    void weftDialsJsAndSeesBothResetsWhileTheConnectionSurvives() throws Exception {
        try (Connection conn = weftDialsJs()) {
            WeftScenarios.seeBothResetsWhileTheConnectionSurvives(weft, conn, new byte[] {1, 2, 3});
        }
    }

    @Test
    void weftDialsJsHalfClosesAndReadsTheEchoJsWritesAfterOurFin() throws Exception {
        try (Connection conn = weftDialsJs()) {
            WeftScenarios.halfCloseAndReadTheEcho(weft, conn, 100_000);
        }
    }

    // ---- js dials weft -------------------------------------------------------------------------------------

    @Test
    void jsDialsWeftAndPingsFiveTimesOnOneStream() throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress, true, "ping", "--count", "5");
        assertTrue(run.ok(), run.toString());
        assertEquals(weft.peerId().toBase58(), run.field("remotePeer"));
    }

    @Test
    void jsDialsWeftAndReadsItsIdentify() throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress, true, "identify");
        assertTrue(run.ok(), run.toString());
        assertEquals(AGENT, run.field("agentVersion"));
        assertEquals(weft.peerId().toBase58(), run.field("peerId"));
        for (String protocol : weft.protocols()) {
            assertTrue(run.json().contains("\"" + protocol + "\""), protocol + " in " + run.json());
        }
        assertTrue(run.json().contains("\"" + weftAddress.withoutPeerId() + "\""), run.json());
        String observed = run.field("observedAddr");
        assertTrue(observed.startsWith("/ip4/127.0.0.1/udp/") && observed.endsWith("/quic-v1"), run.json());
    }

    @Test
    void jsDialsWeftAndEchoesOnOneAndOnAHundredStreams() throws Exception {
        JsPeer.Run one = JsPeer.dial(weftAddress, true, "echo", "--text", "Hello from js-libp2p over QUIC");
        assertTrue(one.ok(), one.toString());
        assertEquals("Hello from js-libp2p over QUIC", one.field("text"));
        JsPeer.Run hundred = JsPeer.dial(weftAddress, true, "echo-parallel", "--streams", "100");
        assertTrue(hundred.ok(), hundred.toString());
    }

    @Test
    void jsDialsWeftForPerfOf100MiBEachWay() throws Exception {
        JsPeer.Run up = JsPeer.dial(weftAddress, true, "perf", "--upload-bytes", String.valueOf(PERF_BYTES));
        assertTrue(up.ok(), up.toString());
        JsPeer.Run down = JsPeer.dial(weftAddress, true, "perf", "--download-bytes", String.valueOf(PERF_BYTES));
        assertTrue(down.ok(), down.toString());
        record("js -> weft", up.number("uploadGbps"), down.number("downloadGbps"));
    }

    @Test
    void jsDialsWeftAndSeesBothResetsWhileTheConnectionSurvives() throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress, true, "reset");
        assertTrue(run.ok(), run.toString());
        assertEquals("still alive after resets", run.field("echoAfterReset"));
    }

    @Test
    void jsDialsWeftHalfClosesAndReadsTheEchoWeftWritesAfterItsFin() throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress, true, "half-close", "--bytes", String.valueOf(1 << 20));
        assertTrue(run.ok(), run.toString());
    }

    /** "Client killed mid-transfer": the listener keeps serving the next client, whatever the dead one left. */
    @Test
    void aJsDialerKilledInTheMiddleOfAnUploadLeavesWeftServing() throws Exception {
        sinkStarted = new CountDownLatch(1);
        weft.setStreamHandler("/weft-interop/sink/1.0.0", (stream, connection) -> {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = stream.read(buf, 0, buf.length)) >= 0) {
                total += n;
                if (total >= 1 << 20) {
                    sinkStarted.countDown();
                }
            }
        });
        Process dialer = JsPeer.start(weftAddress, "perf", "--upload-bytes", String.valueOf(ENDLESS),
                "--protocol", "/weft-interop/sink/1.0.0");
        try {
            assertTrue(sinkStarted.await(60, TimeUnit.SECONDS), "the js upload never reached 1 MiB");
        } finally {
            dialer.destroyForcibly().waitFor(); // SIGKILL: no CONNECTION_CLOSE, no FIN
        }
        JsPeer.Run next = JsPeer.dial(weftAddress, true, "echo", "--text", "after the kill");
        assertTrue(next.ok(), next.toString());
        assertEquals("after the kill", next.field("text"));
    }

    // ---- perf numbers, for the record -----------------------------------------------------------------------

    private static double gbps(long bytes, long nanos) {
        return bytes * 8.0 / nanos;
    }

    private static void record(String direction, double upGbps, double downGbps) throws IOException {
        Files.createDirectories(PERF_LOG.getParent());
        String line = String.format("%s, quic-v1, 100 MiB: upload %.2f Gbit/s, download %.2f Gbit/s%n",
                direction, upGbps, downGbps);
        Files.writeString(PERF_LOG, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
