package weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import weft.connection.Connection;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.host.Host;
import weft.host.HostConfig;
import weft.host.HostConfig.Muxer;
import weft.host.HostConfig.Security;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.protocol.echo.Echo;
import weft.protocol.identify.Identify;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;

/**
 * weft against js-libp2p 3 in every cell of the seeds' interop matrix, {@code tcp|ws × noise|tls × yamux|mplex}
 * (js: {@code @libp2p/tcp}, {@code @libp2p/websockets}, {@code @chainsafe/libp2p-noise}, {@code @libp2p/tls},
 * {@code @chainsafe/libp2p-yamux}, {@code @libp2p/mplex}), both directions, with early muxer negotiation (Noise
 * extensions, TLS ALPN) on both sides: ping, identify, echo, 100 parallel echo streams, perf 100 MiB each way, a
 * reset either way, a half-close.
 *
 * <p>One nested class per cell; each starts one weft host (listening on the cell's transport, speaking only the
 * cell's security protocol and muxer), one js listener for weft to dial, and one js {@code session} dialer that
 * dials the weft host once and runs every js-side scenario on that connection: two Node processes per cell, not
 * one per scenario. Needs Node and {@code npm ci --prefix src/test/interop/js}. Perf numbers go to
 * {@code target/interop-logs/perf.txt} (reported, never asserted).
 */
@Tag("interop")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsMatrixInteropTest {
    private static final int PERF_BYTES = 100 << 20;
    private static final Path PERF_LOG = Path.of("target", "interop-logs", "perf.txt");
    private static final String AGENT = "weft/interop-test";

    // One nested class per cell, so that every report names its cell (Surefire flattens parameterized classes).

    @Nested
    class TcpNoiseYamux extends Cell {
        TcpNoiseYamux() {
            super("tcp", Security.NOISE, Muxer.YAMUX);
        }
    }

    @Nested
    class TcpNoiseMplex extends Cell {
        TcpNoiseMplex() {
            super("tcp", Security.NOISE, Muxer.MPLEX);
        }
    }

    @Nested
    class TcpTlsYamux extends Cell {
        TcpTlsYamux() {
            super("tcp", Security.TLS, Muxer.YAMUX);
        }
    }

    @Nested
    class TcpTlsMplex extends Cell {
        TcpTlsMplex() {
            super("tcp", Security.TLS, Muxer.MPLEX);
        }
    }

    @Nested
    class WsNoiseYamux extends Cell {
        WsNoiseYamux() {
            super("ws", Security.NOISE, Muxer.YAMUX);
        }
    }

    @Nested
    class WsNoiseMplex extends Cell {
        WsNoiseMplex() {
            super("ws", Security.NOISE, Muxer.MPLEX);
        }
    }

    @Nested
    class WsTlsYamux extends Cell {
        WsTlsYamux() {
            super("ws", Security.TLS, Muxer.YAMUX);
        }
    }

    @Nested
    class WsTlsMplex extends Cell {
        WsTlsMplex() {
            super("ws", Security.TLS, Muxer.MPLEX);
        }
    }

    /**
     * The scenarios of one cell: a transport ({@code tcp} or {@code ws}), a security protocol and a muxer. One
     * instance per cell ({@link TestInstance.Lifecycle#PER_CLASS}) holds that cell's weft host and js processes.
     */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cell {
        private final String transport;
        private final Security security;
        private final Muxer muxer;

        Cell(String transport, Security security, Muxer muxer) {
            this.transport = transport;
            this.security = security;
            this.muxer = muxer;
        }

        Multiaddr listenAddress() {
            return Multiaddr.parse("/ip4/127.0.0.1/tcp/0" + (transport.equals("ws") ? "/ws" : ""));
        }

        /** The js peer's options for this cell. */
        List<String> jsStack() {
            return List.of("--security", security.name().toLowerCase(Locale.ROOT),
                    "--muxer", muxer.name().toLowerCase(Locale.ROOT));
        }

        String fileName() {
            return toString().replace('/', '-');
        }

        @Override
        public String toString() {
            return transport + "/" + String.join("/", jsStack().get(1), jsStack().get(3));
        }

        private Host weft;
        private Multiaddr weftAddress;
        private JsPeer jsListener;
        private JsPeer.Session jsDialer;

        @BeforeAll
        void startPeers() throws IOException {
            weft = Host.start(HostConfig.defaults()
                    .withListenAddresses(List.of(listenAddress()))
                    .withSecurity(security)
                    .withMuxers(muxer)
                    .withAgentVersion(AGENT)
                    .withEcho(true)
                    .withPerf(true));
            weft.setStreamHandler(JsInteropTest.RESET, (stream, connection) -> {
                stream.input().read(new byte[1024]);
                stream.reset();
            });
            weftAddress = weft.addresses().get(0);
            List<String> listen = new ArrayList<>(List.of("--transport", transport));
            listen.addAll(jsStack());
            jsListener = JsPeer.listen(fileName(), listen);
            jsDialer = JsPeer.Session.dial(fileName(), weftAddress, jsStack());
        }

        @AfterAll
        void stopPeers() throws Exception {
            for (AutoCloseable c : new AutoCloseable[] {jsDialer, jsListener, weft}) {
                if (c != null) {
                    c.close();
                }
            }
            jsDialer = null;
            jsListener = null;
            weft = null;
        }

        /**
         * The weft host's connection to the js listener, shared by the weft-dials-js tests of a cell as the js session
         * shares its own: js-libp2p refuses more than 5 inbound connections a second from one host
         * ({@code inboundConnectionThreshold}), and a connection per test would cross that.
         */
        private Connection weftDialsJs() throws IOException {
            Connection connection = weft.connect(jsListener.address());
            assertEquals(security.protocolId(), connection.securityProtocol());
            assertEquals(muxer.protocolId(), connection.muxerProtocol());
            return connection;
        }

        // ---- weft dials js -------------------------------------------------------------------------------------

        @Test
        void weftDialsJsNegotiatesTheCellsStackWithTheMuxerInTheHandshake() throws Exception {
            Connection conn = weftDialsJs();
            assertTrue(conn.earlyMuxerNegotiation(), conn.toString());
            assertEquals(jsListener.address().withoutPeerId(), conn.remoteAddress());
        }

        @Test
        void weftDialsJsAndPingsFiveTimesOnOneStream() throws Exception {
            Connection conn = weftDialsJs();
            MuxedStream stream = weft.newStream(conn, Ping.PROTOCOL_ID);
            for (int i = 0; i < 5; i++) {
                assertTrue(Ping.ping(stream).toNanos() > 0);
            }
            stream.closeWrite();
            assertEquals(-1, stream.input().read(), "js closes after our FIN");
        }

        @Test
        void weftDialsJsAndReadsItsIdentify() throws Exception {
            Connection conn = weftDialsJs();
            IdentifyMessage id = Identify.read(weft.newStream(conn, Identify.PROTOCOL_ID));
            assertTrue(id.agentVersion().startsWith("js-libp2p/"), id.agentVersion());
            assertEquals("ipfs/0.1.0", id.protocolVersion());
            assertEquals(conn.remotePeer(), PeerId.fromPublicKey(PublicKey.unmarshal(id.publicKey())));
            assertTrue(id.protocols().containsAll(List.of(Ping.PROTOCOL_ID, Echo.PROTOCOL_ID, Perf.PROTOCOL_ID,
                    Identify.PROTOCOL_ID, Identify.PUSH_PROTOCOL_ID)), id.protocols().toString());
            assertEquals(conn.localAddress(), id.observedAddr().withoutPeerId());
            assertTrue(id.listenAddrs().contains(jsListener.address().withoutPeerId()), id.listenAddrs().toString());
            assertNotNull(id.signedPeerRecord(), "js sends a signed peer record");
        }

        @Test
        void weftDialsJsAndEchoes() throws Exception {
            Connection conn = weftDialsJs();
            byte[] text = ("Hello from weft over " + this).getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(text, Echo.echo(weft.newStream(conn, Echo.PROTOCOL_ID), text));
        }

        @Test
        void weftDialsJsAndEchoesOnAHundredStreamsAtOnce() throws Exception {
            WeftScenarios.echoAtOnce(weft, weftDialsJs(), 100, 1024);
        }

        @Test
        void weftDialsJsForPerfOf100MiBEachWay() throws Exception {
            Connection conn = weftDialsJs();
            Perf.Result up = Perf.run(weft.newStream(conn, Perf.PROTOCOL_ID), PERF_BYTES, 0, Perf.Progress.NONE);
            assertEquals(PERF_BYTES, up.uploadedBytes());
            Perf.Result down = Perf.run(weft.newStream(conn, Perf.PROTOCOL_ID), 0, PERF_BYTES, Perf.Progress.NONE);
            assertEquals(PERF_BYTES, down.downloadedBytes());
            record("weft -> js", PERF_BYTES * 8.0 / up.total().toNanos(), PERF_BYTES * 8.0 / down.total().toNanos());
        }

        @Test
        void weftDialsJsAndSeesBothResetsWhileTheConnectionSurvives() throws Exception {
            WeftScenarios.seeBothResetsWhileTheConnectionSurvives(weft, weftDialsJs(),
                    "reset me".getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void weftDialsJsHalfClosesAndReadsTheEchoJsWritesAfterOurFin() throws Exception {
            WeftScenarios.halfCloseAndReadTheEcho(weft, weftDialsJs(), 1 << 20);
        }

        // ---- js dials weft -------------------------------------------------------------------------------------

        @Test
        void jsDialsWeftAndNegotiatesTheCellsStackWithTheMuxerInTheHandshake() {
            JsPeer.Run connected = jsDialer.connected();
            assertTrue(connected.ok(), connected.toString());
            assertEquals(weft.peerId().toBase58(), connected.field("remotePeer"));
            assertEquals(security.protocolId(), connected.field("encryption"), connected.json());
            assertEquals(muxer.protocolId(), connected.field("multiplexer"), connected.json());
            assertEquals(muxer.protocolId(), connected.field("earlyMuxer"), connected.json());
        }

        @Test
        void jsDialsWeftAndPingsFiveTimesOnOneStream() throws Exception {
            JsPeer.Run run = jsDialer.run("ping", "--count", "5");
            assertTrue(run.ok(), run.toString());
        }

        @Test
        void jsDialsWeftAndReadsItsIdentify() throws Exception {
            JsPeer.Run run = jsDialer.run("identify");
            assertTrue(run.ok(), run.toString());
            assertEquals(AGENT, run.field("agentVersion"));
            assertEquals("ipfs/0.1.0", run.field("protocolVersion"));
            assertEquals(weft.peerId().toBase58(), run.field("peerId"));
            for (String protocol : weft.protocols()) {
                assertTrue(run.json().contains("\"" + protocol + "\""), protocol + " in " + run.json());
            }
            assertTrue(run.json().contains("\"" + weftAddress.withoutPeerId() + "\""), run.json());
            String observed = run.field("observedAddr");
            assertTrue(observed.matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+" + (transport.equals("ws") ? "/ws" : "")),
                    run.json());
        }

        @Test
        void jsDialsWeftAndEchoes() throws Exception {
            JsPeer.Run run = jsDialer.run("echo", "--text", "Hello_from_js-libp2p");
            assertTrue(run.ok(), run.toString());
            assertEquals("Hello_from_js-libp2p", run.field("text"));
        }

        @Test
        void jsDialsWeftAndEchoesOnAHundredStreamsAtOnce() throws Exception {
            JsPeer.Run run = jsDialer.run("echo-parallel", "--streams", "100");
            assertTrue(run.ok(), run.toString());
        }

        @Test
        void jsDialsWeftForPerfOf100MiBEachWay() throws Exception {
            JsPeer.Run up = jsDialer.run("perf", "--upload-bytes", String.valueOf(PERF_BYTES));
            assertTrue(up.ok(), up.toString());
            JsPeer.Run down = jsDialer.run("perf", "--download-bytes", String.valueOf(PERF_BYTES));
            assertTrue(down.ok(), down.toString());
            record("js -> weft", up.number("uploadGbps"), down.number("downloadGbps"));
        }

        @Test
        void jsDialsWeftAndSeesBothResetsWhileTheConnectionSurvives() throws Exception {
            JsPeer.Run run = jsDialer.run("reset");
            assertTrue(run.ok(), run.toString());
            assertEquals("StreamResetError", run.field("remoteReset"));
        }

        @Test
        void jsDialsWeftHalfClosesAndReadsTheEchoWeftWritesAfterItsFin() throws Exception {
            JsPeer.Run run = jsDialer.run("half-close", "--bytes", String.valueOf(1 << 20));
            assertTrue(run.ok(), run.toString());
        }

        // ---- perf numbers, for the record -----------------------------------------------------------------------

        private void record(String direction, double upGbps, double downGbps) throws IOException {
            Files.createDirectories(PERF_LOG.getParent());
            String line = String.format(Locale.ROOT, "%s, %s, 100 MiB: upload %.2f Gbit/s, download %.2f Gbit/s%n",
                    direction, this, upGbps, downGbps);
            Files.writeString(PERF_LOG, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
