package weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.multistream.MultistreamSelect;
import weft.mux.MuxedStream;
import weft.protocol.echo.Echo;
import weft.protocol.identify.Identify;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;
import weft.transport.webrtc.WebRtcConnection;
import weft.transport.webrtc.WebRtcDirectListener;
import weft.transport.webrtc.dtls.DtlsCertificate;

/**
 * js-libp2p's {@code @libp2p/webrtc} 6.0.33 (node-datachannel: libdatachannel with usrsctp) dials a weft
 * WebRTC-direct listener: STUN, DTLS, SCTP, DCEP, Noise on channel 0 and the message framing, all against another
 * implementation. The weft side serves identify, echo, ping and perf over multistream-select on each data
 * channel.
 */
@Tag("interop")
class JsWebRtcDirectInteropTest {
    private static final Path DIR = Path.of("src", "test", "interop", "js-webrtc");
    private static final long RUN_LIMIT_SECONDS = 100;

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final PrivateKey key = PrivateKey.generate();
    private WebRtcDirectListener listener;

    @BeforeEach
    void listen() throws IOException {
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            throw new IllegalStateException("interop: run `npm ci --prefix " + DIR + "` first, as .ci/install does");
        }
        listener = WebRtcDirectListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), key,
                DtlsCertificate.generate(), WebRtcDirectListener.Config.defaults());
        threads.submit(() -> {
            while (true) {
                WebRtcConnection connection = listener.accept();
                threads.submit(() -> serve(connection));
            }
        });
    }

    @AfterEach
    void close() {
        listener.close();
        threads.shutdownNow();
    }

    private Void serve(WebRtcConnection connection) throws IOException {
        IdentifyMessage identify = new IdentifyMessage("ipfs/0.1.0", "weft/interop", key.publicKey().marshal(),
                List.of(listener.address().withoutPeerId()), null,
                List.of(Identify.PROTOCOL_ID, Echo.PROTOCOL_ID, Ping.PROTOCOL_ID, Perf.PROTOCOL_ID), null);
        while (true) {
            MuxedStream stream = connection.acceptStream();
            threads.submit(() -> {
                String protocol = MultistreamSelect.handle(stream,
                        List.of(Echo.PROTOCOL_ID, Ping.PROTOCOL_ID, Perf.PROTOCOL_ID, Identify.PROTOCOL_ID));
                switch (protocol) {
                    case Echo.PROTOCOL_ID -> Echo.serve(stream);
                    case Ping.PROTOCOL_ID -> Ping.serve(stream);
                    case Identify.PROTOCOL_ID -> Identify.write(stream, identify);
                    default -> Perf.serve(stream);
                }
                return null;
            });
        }
    }

    private record Run(int exitCode, String json, String log) {
        boolean ok() {
            return exitCode == 0 && json.contains("\"ok\":true");
        }
    }

    private Run dial(String scenario, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "dial.mjs", listener.address().toString(), scenario));
        command.addAll(List.of(options));
        Path output = Files.createTempFile("weft-js-webrtc", ".json");
        Path log = Files.createTempFile("weft-js-webrtc", ".log");
        Process process = null;
        try {
            process = new ProcessBuilder(command).directory(DIR.toFile())
                    .redirectError(log.toFile()).redirectOutput(output.toFile()).start();
            if (!process.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("interop: js webrtc dialer still running after " + RUN_LIMIT_SECONDS + " s");
            }
            return new Run(process.exitValue(), Files.readString(output).trim(), Files.readString(log));
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly(); // also when JUnit's own timeout interrupts the wait
            }
            Files.deleteIfExists(output);
            Files.deleteIfExists(log);
        }
    }

    @Test
    void jsDialsWeftOverWebRtcDirectAndEchoes() throws Exception {
        Run run = dial("echo");
        assertTrue(run.ok(), run.json() + "\n" + run.log());
        assertTrue(run.json().contains(PeerId.fromPublicKey(key.publicKey()).toString()), run.json());
    }

    @Test
    void jsPingsWeftOverWebRtcDirect() throws Exception {
        Run run = dial("ping");
        assertTrue(run.ok(), run.json() + "\n" + run.log());
    }

    @Test
    void twentyParallelStreamsEcho() throws Exception {
        Run run = dial("echo-parallel", "--streams", "20", "--bytes", "20000");
        assertTrue(run.ok(), run.json() + "\n" + run.log());
        assertEquals(0, run.exitCode());
    }

    @Test
    void perfMovesTenMebibytesEachWay() throws Exception {
        Run run = dial("perf", "--upload-bytes", "10485760", "--download-bytes", "10485760");
        assertTrue(run.ok(), run.json() + "\n" + run.log());
    }

    @Test
    void jsIdentifiesWeftOverWebRtcDirect() throws Exception {
        Run run = dial("identify");
        assertTrue(run.ok(), run.json() + "\n" + run.log());
        assertTrue(run.json().contains("weft/interop"), run.json());
    }
}
