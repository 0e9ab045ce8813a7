package weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.crypto.PeerId;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;
import weft.protocol.echo.Echo;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;

/**
 * js-libp2p's {@code @libp2p/webrtc} 6.0.33 (node-datachannel: libdatachannel with usrsctp) dials a weft
 * {@link Host} at the {@code /udp/N/webrtc-direct/certhash/.../p2p/<id>} address the host advertises: STUN, DTLS,
 * SCTP, DCEP, Noise on channel 0 and the message framing, all against another implementation, and above them the
 * host's own ping, identify, echo and perf handlers on each data channel.
 *
 * <p>And the other way: the host dials js-libp2p's webrtc-direct listener in Node ({@code listen.mjs}), where the
 * server is a full ICE agent (libjuice) that checks back, the DTLS server is OpenSSL's and weft is DTLS client,
 * SCTP initiator and Noise responder.
 */
@Tag("interop")
class JsWebRtcDirectInteropTest {
    private static final Path DIR = Path.of("src", "test", "interop", "js-webrtc");
    private static final long RUN_LIMIT_SECONDS = 100;

    private Host host;
    private Multiaddr address;

    @BeforeEach
    void listen() throws IOException {
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            throw new IllegalStateException("interop: run `npm ci --prefix " + DIR + "` first, as .ci/install does");
        }
        host = Host.start(HostConfig.defaults()
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/udp/0/webrtc-direct")))
                .withAgentVersion("weft/interop").withEcho(true).withPerf(true));
        address = host.addresses().get(0);
    }

    @AfterEach
    void close() {
        host.close();
    }

    private JsPeer.Run dial(String scenario, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "dial.mjs", address.toString(), scenario));
        command.addAll(List.of(options));
        return JsPeer.run(DIR, command, RUN_LIMIT_SECONDS);
    }

    @Test
    void jsDialsWeftOverWebRtcDirectAndEchoes() throws Exception {
        JsPeer.Run run = dial("echo");
        assertTrue(run.ok(), run.json() + "\n" + run.log());
        assertTrue(run.json().contains("\"remotePeer\":\"" + host.peerId().toBase58() + "\""), run.json());
    }

    @Test
    void jsPingsWeftOverWebRtcDirect() throws Exception {
        JsPeer.Run run = dial("ping");
        assertTrue(run.ok(), run.json() + "\n" + run.log());
    }

    @Test
    void twentyParallelStreamsEcho() throws Exception {
        JsPeer.Run run = dial("echo-parallel", "--streams", "20", "--bytes", "20000");
        assertTrue(run.ok(), run.json() + "\n" + run.log());
        assertEquals(0, run.exitCode());
    }

    @Test
    void perfMovesTenMebibytesEachWay() throws Exception {
        JsPeer.Run run = dial("perf", "--upload-bytes", "10485760", "--download-bytes", "10485760");
        assertTrue(run.ok(), run.json() + "\n" + run.log());
    }

    @Test
    void jsIdentifiesWeftOverWebRtcDirect() throws Exception {
        JsPeer.Run run = dial("identify");
        assertTrue(run.ok(), run.json() + "\n" + run.log());
        assertTrue(run.json().contains("\"agentVersion\":\"weft/interop\""), run.json());
        for (String protocol : host.protocols()) { // identify, push, ping, echo, perf
            assertTrue(run.json().contains("\"" + protocol + "\""), protocol + " missing in " + run.json());
        }
    }

    @Test
    void weftDialsJsOverWebRtcDirectAndPings() throws Exception {
        try (JsPeer js = JsPeer.listenWebRtcDirect()) {
            Connection connection = host.connect(js.address());
            assertTrue(connection.isDialer());
            assertEquals(PeerId.fromBytes(js.address().peerIdBytes().orElseThrow()), connection.remotePeer());
            for (int i = 0; i < 3; i++) {
                assertFalse(Ping.ping(host.newStream(connection, Ping.PROTOCOL_ID)).isNegative());
            }
        }
    }

    @Test
    void weftDialsJsOverWebRtcDirectAndIdentifiesIt() throws Exception {
        try (JsPeer js = JsPeer.listenWebRtcDirect()) {
            Connection connection = host.connect(js.address());
            IdentifyMessage told = host.identifyOf(connection.remotePeer()).orElseThrow();
            assertTrue(told.protocols().containsAll(List.of(Ping.PROTOCOL_ID, Echo.PROTOCOL_ID)),
                    told.protocols().toString());
            assertTrue(told.listenAddrs().contains(js.address().withoutPeerId()), told.listenAddrs().toString());
            // js reports what its listener saw: our address, our certificate's certhash and our peer id after it
            assertTrue(told.observedAddr().toString().startsWith(connection.localAddress() + "/certhash/"),
                    told.observedAddr().toString());
        }
    }

    @Test
    void weftDialsJsOverWebRtcDirectAndEchoes() throws Exception {
        try (JsPeer js = JsPeer.listenWebRtcDirect()) {
            Connection connection = host.connect(js.address());
            byte[] hello = "Hello from weft over webrtc-direct".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertArrayEquals(hello, Echo.echo(host.newStream(connection, Echo.PROTOCOL_ID), hello));
        }
    }

    @Test
    void weftDialsJsOverWebRtcDirectAndTwentyParallelStreamsEcho() throws Exception {
        try (JsPeer js = JsPeer.listenWebRtcDirect();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Connection connection = host.connect(js.address());
            List<Future<byte[]>> echoes = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] payload = new byte[20_000];
                for (int k = 0; k < payload.length; k++) {
                    payload[k] = (byte) (i * 31 + k);
                }
                sent.add(payload);
                echoes.add(threads.submit(() -> Echo.echo(host.newStream(connection, Echo.PROTOCOL_ID), payload)));
            }
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), echoes.get(i).get(60, TimeUnit.SECONDS), "stream " + i);
            }
        }
    }

    @Test
    void weftDialsJsOverWebRtcDirectAndPerfMovesFourMebibytesEachWay() throws Exception {
        try (JsPeer js = JsPeer.listenWebRtcDirect()) {
            Connection connection = host.connect(js.address());
            Perf.Result result = Perf.run(host.newStream(connection, Perf.PROTOCOL_ID), 4 << 20, 4 << 20,
                    Perf.Progress.NONE);
            assertEquals(4 << 20, result.uploadedBytes());
            assertEquals(4 << 20, result.downloadedBytes());
        }
    }
}
