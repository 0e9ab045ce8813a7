package weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import weft.connection.Connection;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;
import weft.protocol.echo.Echo;
import weft.protocol.identify.Identify;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;

/**
 * weft against js-libp2p 3 (pinned in {@code src/test/interop/js/package-lock.json}) over real TCP on loopback,
 * both directions, with Noise inlined muxer negotiation on and off: ping, identify, echo, 100 parallel echo
 * streams, perf 100 MiB each way, resets, half-close. Needs Node and {@code npm ci --prefix src/test/interop/js}.
 * Perf numbers go to {@code target/interop-logs/perf.txt} (reported, never asserted).
 */
@Tag("interop")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsInteropTest {
    private static final int PERF_BYTES = 100 << 20;
    private static final Path PERF_LOG = Path.of("target", "interop-logs", "perf.txt");

    private static JsPeer jsEarly;
    private static JsPeer jsPlain;
    /** The js peer's test protocol: whoever serves it reads one chunk, then resets the stream. */
    static final String RESET = "/weft-interop/reset/1.0.0";
    static final String AGENT = "weft/interop-test";

    private static Host weftEarly;
    private static Host weftPlain;
    private static Multiaddr weftEarlyAddress;
    private static Multiaddr weftPlainAddress;

    @BeforeAll
    static void startPeers() throws IOException {
        jsEarly = JsPeer.listen(true);
        jsPlain = JsPeer.listen(false);
        weftEarly = weftHost(true);
        weftPlain = weftHost(false);
        weftEarlyAddress = weftEarly.addresses().get(0);
        weftPlainAddress = weftPlain.addresses().get(0);
    }

    private static Host weftHost(boolean earlyMuxer) throws IOException {
        Host host = Host.start(HostConfig.defaults()
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                .withEarlyMuxerNegotiation(earlyMuxer)
                .withAgentVersion(AGENT)
                .withEcho(true)
                .withPerf(true));
        host.setStreamHandler(RESET, (stream, connection) -> {
            stream.input().read(new byte[1024]);
            stream.reset();
        });
        return host;
    }

    private static MuxedStream open(Connection connection, String protocol) throws IOException {
        return hostOf(connection).newStream(connection, protocol);
    }

    /** The weft host a connection belongs to. */
    private static Host hostOf(Connection connection) {
        return connection.localPeer().equals(weftEarly.peerId()) ? weftEarly : weftPlain;
    }

    @AfterAll
    static void stopPeers() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {jsEarly, jsPlain, weftEarly, weftPlain}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static Connection weftDialsJs(boolean early) throws IOException {
        return (early ? weftEarly : weftPlain).connect((early ? jsEarly : jsPlain).address());
    }

    private static Multiaddr weftAddress(boolean early) {
        return early ? weftEarlyAddress : weftPlainAddress;
    }

    // ---- weft dials js -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "weft early muxer {0}, js early muxer {1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void weftDialsJsAndPingsFiveTimesOnOneStream(boolean weftEarlyMuxer, boolean jsEarlyMuxer) throws Exception {
        Host weft = weftEarlyMuxer ? weftEarly : weftPlain;
        try (Connection conn = weft.connect((jsEarlyMuxer ? jsEarly : jsPlain).address())) {
            assertEquals(weftEarlyMuxer && jsEarlyMuxer, conn.earlyMuxerNegotiation());
            assertEquals("/yamux/1.0.0", conn.muxerProtocol());
            MuxedStream stream = open(conn, Ping.PROTOCOL_ID);
            for (int i = 0; i < 5; i++) {
                assertTrue(Ping.ping(stream).toNanos() > 0);
            }
            stream.closeWrite();
            assertEquals(-1, stream.input().read(), "js closes after our FIN");
        }
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void weftDialsJsAndReadsItsIdentify(boolean early) throws Exception {
        try (Connection conn = weftDialsJs(early)) {
            IdentifyMessage id = Identify.read(open(conn, Identify.PROTOCOL_ID));
            assertTrue(id.agentVersion().startsWith("js-libp2p/"), id.agentVersion());
            assertEquals("ipfs/0.1.0", id.protocolVersion());
            assertEquals(conn.remotePeer(), PeerId.fromPublicKey(PublicKey.unmarshal(id.publicKey())));
            assertTrue(id.protocols().containsAll(List.of(Ping.PROTOCOL_ID, Echo.PROTOCOL_ID, Perf.PROTOCOL_ID,
                    Identify.PROTOCOL_ID, Identify.PUSH_PROTOCOL_ID)), id.protocols().toString());
            assertEquals(conn.localAddress(), id.observedAddr().withoutPeerId());
            assertTrue(id.listenAddrs().contains((early ? jsEarly : jsPlain).address().withoutPeerId()),
                    id.listenAddrs().toString());
            assertNotNull(id.signedPeerRecord(), "js sends a signed peer record");
        }
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void weftDialsJsAndEchoes(boolean early) throws Exception {
        try (Connection conn = weftDialsJs(early)) {
            byte[] text = "Hello from weft".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(text, Echo.echo(open(conn, Echo.PROTOCOL_ID), text));
        }
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void weftDialsJsAndEchoesOnAHundredStreamsAtOnce(boolean early) throws Exception {
        try (Connection conn = weftDialsJs(early); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> echoes = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] payload = new byte[1024];
                new Random(i).nextBytes(payload);
                sent.add(payload);
                echoes.add(threads.submit(() -> Echo.echo(open(conn, Echo.PROTOCOL_ID), payload)));
            }
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(sent.get(i), echoes.get(i).get());
            }
        }
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void weftDialsJsForPerfOf100MiBEachWay(boolean early) throws Exception {
        // A fresh connection per direction keeps the two measurements independent.
        Perf.Result up;
        try (Connection conn = weftDialsJs(early)) {
            up = Perf.run(open(conn, Perf.PROTOCOL_ID), PERF_BYTES, 0, Perf.Progress.NONE);
        }
        assertEquals(PERF_BYTES, up.uploadedBytes());
        Perf.Result down;
        try (Connection conn = weftDialsJs(early)) {
            down = Perf.run(open(conn, Perf.PROTOCOL_ID), 0, PERF_BYTES, Perf.Progress.NONE);
        }
        assertEquals(PERF_BYTES, down.downloadedBytes());
        record("weft -> js", early, gbps(PERF_BYTES, up.total().toNanos()), gbps(PERF_BYTES, down.total().toNanos()));
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void weftDialsJsAndSeesBothResetsWhileTheConnectionSurvives(boolean early) throws Exception {
        try (Connection conn = weftDialsJs(early)) {
            MuxedStream theirs = open(conn, RESET);
            theirs.write(new byte[] {1, 2, 3}, 0, 3);
            StreamResetException e = assertThrows(StreamResetException.class, () -> theirs.input().readAllBytes());
            assertTrue(e.remote());

            MuxedStream ours = open(conn, Echo.PROTOCOL_ID);
            ours.write(new byte[4096], 0, 4096);
            ours.reset();

            byte[] text = "still alive".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(text, Echo.echo(open(conn, Echo.PROTOCOL_ID), text));
        }
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void weftDialsJsHalfClosesAndReadsTheEchoJsWritesAfterOurFin(boolean early) throws Exception {
        try (Connection conn = weftDialsJs(early)) {
            MuxedStream stream = open(conn, Echo.PROTOCOL_ID);
            byte[] payload = new byte[100_000];
            new Random(3).nextBytes(payload);
            stream.write(payload, 0, payload.length);
            stream.closeWrite();
            assertThrows(StreamClosedException.class, () -> stream.write(new byte[1], 0, 1));
            assertArrayEquals(payload, stream.input().readAllBytes());
        }
    }

    // ---- js dials weft -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "js early muxer {0}, weft early muxer {1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void jsDialsWeftAndPingsFiveTimesOnOneStream(boolean jsEarlyMuxer, boolean weftEarlyMuxer) throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress(weftEarlyMuxer), jsEarlyMuxer, "ping", "--count", "5");
        assertTrue(run.ok(), run.toString());
        assertEquals(jsEarlyMuxer && weftEarlyMuxer ? "/yamux/1.0.0" : null, run.field("earlyMuxer"), run.json());
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void jsDialsWeftAndReadsItsIdentify(boolean early) throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress(early), early, "identify");
        assertTrue(run.ok(), run.toString());
        assertEquals(AGENT, run.field("agentVersion"));
        assertEquals("ipfs/0.1.0", run.field("protocolVersion"));
        assertEquals((early ? weftEarly : weftPlain).peerId().toBase58(), run.field("peerId"));
        for (String protocol : (early ? weftEarly : weftPlain).protocols()) {
            assertTrue(run.json().contains("\"" + protocol + "\""), protocol + " in " + run.json());
        }
        assertTrue(run.json().contains("\"" + weftAddress(early).withoutPeerId() + "\""), run.json());
        assertTrue(run.field("observedAddr").startsWith("/ip4/127.0.0.1/tcp/"), run.json());
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void jsDialsWeftAndEchoes(boolean early) throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress(early), early, "echo", "--text", "Hello from js-libp2p");
        assertTrue(run.ok(), run.toString());
        assertEquals("Hello from js-libp2p", run.field("text"));
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void jsDialsWeftAndEchoesOnAHundredStreamsAtOnce(boolean early) throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress(early), early, "echo-parallel", "--streams", "100");
        assertTrue(run.ok(), run.toString());
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void jsDialsWeftForPerfOf100MiBEachWay(boolean early) throws Exception {
        JsPeer.Run up = JsPeer.dial(weftAddress(early), early, "perf", "--upload-bytes", String.valueOf(PERF_BYTES));
        assertTrue(up.ok(), up.toString());
        JsPeer.Run down = JsPeer.dial(weftAddress(early), early, "perf", "--download-bytes", String.valueOf(PERF_BYTES));
        assertTrue(down.ok(), down.toString());
        record("js -> weft", early, number(up, "uploadGbps"), number(down, "downloadGbps"));
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void jsDialsWeftAndSeesBothResetsWhileTheConnectionSurvives(boolean early) throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress(early), early, "reset");
        assertTrue(run.ok(), run.toString());
        assertEquals("StreamResetError", run.field("remoteReset"));
    }

    @ParameterizedTest(name = "early muxer {0}")
    @ValueSource(booleans = {true, false})
    void jsDialsWeftHalfClosesAndReadsTheEchoWeftWritesAfterItsFin(boolean early) throws Exception {
        JsPeer.Run run = JsPeer.dial(weftAddress(early), early, "half-close", "--bytes", String.valueOf(1 << 20));
        assertTrue(run.ok(), run.toString());
    }

    // ---- perf numbers, for the record -----------------------------------------------------------------------

    private static double gbps(long bytes, long nanos) {
        return bytes * 8.0 / nanos;
    }

    private static double number(JsPeer.Run run, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":([0-9.eE+-]+)").matcher(run.json());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static void record(String direction, boolean early, double upGbps, double downGbps) throws IOException {
        Files.createDirectories(PERF_LOG.getParent());
        String line = String.format("%s, early muxer %s, 100 MiB: upload %.2f Gbit/s, download %.2f Gbit/s%n",
                direction, early, upGbps, downGbps);
        Files.writeString(PERF_LOG, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
