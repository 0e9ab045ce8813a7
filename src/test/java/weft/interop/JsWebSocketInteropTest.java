package weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
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

/**
 * weft against js-libp2p 3 with {@code @libp2p/websockets} 10.1.21 over {@code /ip4/127.0.0.1/tcp/N/ws}, both
 * directions, Noise and yamux: ping, identify, echo, 100 parallel echo streams, perf 100 MiB each way. js dials
 * with the {@code ws} package's client (Node 20 has no global WebSocket), and listens with its {@code ws} server.
 * Perf numbers go to {@code target/interop-logs/perf.txt} (reported, never asserted).
 */
@Tag("interop")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsWebSocketInteropTest {
    private static final int PERF_BYTES = 100 << 20;
    private static final Path PERF_LOG = Path.of("target", "interop-logs", "perf.txt");
    private static final String AGENT = "weft/interop-test";

    private static JsPeer js;
    private static Host weft;
    private static Multiaddr weftAddress;

    @BeforeAll
    static void startPeers() throws IOException {
        js = JsPeer.listen(true, "ws");
        weft = Host.start(HostConfig.defaults()
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws")))
                .withAgentVersion(AGENT)
                .withEcho(true)
                .withPerf(true));
        weftAddress = weft.addresses().get(0);
    }

    @AfterAll
    static void stopPeers() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {js, weft}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void theJsListenerAndTheWeftHostListenOnWebSocketAddresses() {
        assertTrue(js.address().toString().matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/\\w+"), js.address().toString());
        assertTrue(weftAddress.toString().matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/\\w+"), weftAddress.toString());
    }

    // ---- weft dials js -------------------------------------------------------------------------------------

    @Test
    void weftDialsJsOverWebSocketAndPingsFiveTimesOnOneStream() throws Exception {
        try (Connection conn = weft.connect(js.address())) {
            assertEquals(js.address().withoutPeerId(), conn.remoteAddress());
            assertEquals("/yamux/1.0.0", conn.muxerProtocol());
            MuxedStream stream = weft.newStream(conn, Ping.PROTOCOL_ID);
            for (int i = 0; i < 5; i++) {
                assertTrue(Ping.ping(stream).toNanos() > 0);
            }
            stream.closeWrite();
            assertEquals(-1, stream.input().read(), "js closes after our FIN");
        }
    }

    @Test
    void weftDialsJsOverWebSocketAndReadsItsIdentify() throws Exception {
        try (Connection conn = weft.connect(js.address())) {
            IdentifyMessage id = Identify.read(weft.newStream(conn, Identify.PROTOCOL_ID));
            assertTrue(id.agentVersion().startsWith("js-libp2p/"), id.agentVersion());
            assertEquals(conn.remotePeer(), PeerId.fromPublicKey(PublicKey.unmarshal(id.publicKey())));
            assertEquals(conn.localAddress(), id.observedAddr().withoutPeerId(), "js saw our /ws address");
            assertTrue(id.listenAddrs().contains(js.address().withoutPeerId()), id.listenAddrs().toString());
        }
    }

    @Test
    void weftDialsJsOverWebSocketAndEchoes() throws Exception {
        try (Connection conn = weft.connect(js.address())) {
            byte[] text = "Hello over WebSocket from weft".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(text, Echo.echo(weft.newStream(conn, Echo.PROTOCOL_ID), text));
        }
    }

    @Test
    void weftDialsJsOverWebSocketAndEchoesOnAHundredStreamsAtOnce() throws Exception {
        try (Connection conn = weft.connect(js.address()); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> echoes = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] payload = new byte[1024];
                new Random(i).nextBytes(payload);
                sent.add(payload);
                echoes.add(threads.submit(() -> Echo.echo(weft.newStream(conn, Echo.PROTOCOL_ID), payload)));
            }
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(sent.get(i), echoes.get(i).get());
            }
        }
    }

    @Test
    void weftDialsJsOverWebSocketForPerfOf100MiBEachWay() throws Exception {
        Perf.Result up;
        try (Connection conn = weft.connect(js.address())) {
            up = Perf.run(weft.newStream(conn, Perf.PROTOCOL_ID), PERF_BYTES, 0, Perf.Progress.NONE);
        }
        assertEquals(PERF_BYTES, up.uploadedBytes());
        Perf.Result down;
        try (Connection conn = weft.connect(js.address())) {
            down = Perf.run(weft.newStream(conn, Perf.PROTOCOL_ID), 0, PERF_BYTES, Perf.Progress.NONE);
        }
        assertEquals(PERF_BYTES, down.downloadedBytes());
        record("weft -> js", PERF_BYTES * 8.0 / up.total().toNanos(), PERF_BYTES * 8.0 / down.total().toNanos());
    }

    // ---- js dials weft -------------------------------------------------------------------------------------

    @Test
    void jsDialsWeftOverWebSocketAndPingsFiveTimesOnOneStream() throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress, true, "ping", "--count", "5");
        assertTrue(run.ok(), run.toString());
        assertEquals("/yamux/1.0.0", run.field("multiplexer"), run.json());
    }

    @Test
    void jsDialsWeftOverWebSocketAndReadsItsIdentify() throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress, true, "identify");
        assertTrue(run.ok(), run.toString());
        assertEquals(AGENT, run.field("agentVersion"));
        assertEquals(weft.peerId().toBase58(), run.field("peerId"));
        assertTrue(run.json().contains("\"" + weftAddress.withoutPeerId() + "\""), run.json());
        assertTrue(run.field("observedAddr").matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws"), run.json());
    }

    @Test
    void jsDialsWeftOverWebSocketAndEchoes() throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress, true, "echo", "--text", "Hello over WebSocket from js-libp2p");
        assertTrue(run.ok(), run.toString());
        assertEquals("Hello over WebSocket from js-libp2p", run.field("text"));
    }

    @Test
    void jsDialsWeftOverWebSocketAndEchoesOnAHundredStreamsAtOnce() throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress, true, "echo-parallel", "--streams", "100");
        assertTrue(run.ok(), run.toString());
    }

    @Test
    void jsDialsWeftOverWebSocketForPerfOf100MiBEachWay() throws Exception {
        JsPeer.Run up = JsPeer.dial(weftAddress, true, "perf", "--upload-bytes", String.valueOf(PERF_BYTES));
        assertTrue(up.ok(), up.toString());
        JsPeer.Run down = JsPeer.dial(weftAddress, true, "perf", "--download-bytes", String.valueOf(PERF_BYTES));
        assertTrue(down.ok(), down.toString());
        record("js -> weft", number(up, "uploadGbps"), number(down, "downloadGbps"));
    }

    @Test
    void jsDialsWeftOverWebSocketHalfClosesAndReadsTheEchoWeftWritesAfterItsFin() throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress, true, "half-close", "--bytes", String.valueOf(1 << 20));
        assertTrue(run.ok(), run.toString());
    }

    // ---- perf numbers, for the record -----------------------------------------------------------------------

    private static double number(JsPeer.Run run, String field) {
        Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":([0-9.eE+-]+)").matcher(run.json());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static void record(String direction, double upGbps, double downGbps) throws IOException {
        Files.createDirectories(PERF_LOG.getParent());
        String line = String.format("%s, ws/noise/yamux, 100 MiB: upload %.2f Gbit/s, download %.2f Gbit/s%n",
                direction, upGbps, downGbps);
        Files.writeString(PERF_LOG, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
