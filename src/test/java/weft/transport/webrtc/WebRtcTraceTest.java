package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.testing.TraceRecorder;
import weft.trace.Trace;
import weft.trace.TraceEvent;
import weft.trace.TraceListener;
import weft.transport.webrtc.dtls.DtlsCertificate;

/**
 * Golden test of WebRTC-direct's wire trace on the listening side, against the in-process {@link TestDialer}: the
 * remote's arrival, DTLS, SCTP, the Noise handshake on channel 0, DCEP and the message frames of one stream. The
 * association's delivery thread and the application threads both emit, so each layer's lines are compared on their
 * own, times left out.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebRtcTraceTest {
    private final PrivateKey identity = PrivateKey.generate();
    private final WebRtcDirectTransport transport = new WebRtcDirectTransport(identity, DtlsCertificate.generate(),
            WebRtcDirectListener.Config.defaults());
    private final TraceRecorder trace = new TraceRecorder();
    /** Counts the FIN_ACKs, one each way: the test closes the connection once both were traced. */
    private final CountDownLatch finAcks = new CountDownLatch(2);
    private final TraceListener counting = event -> {
        trace.event(event);
        if (event.stream() != 0 && "FIN_ACK".equals(event.field("flag"))) {
            finAcks.countDown();
        }
    };

    @AfterEach
    void close() {
        transport.close();
    }

    @Test
    void theListenerTracesEachLayerOfAnAcceptedConnection() throws Exception {
        SecureTransport.Listener listener = transport.listen(Multiaddr.parse("/ip4/127.0.0.1/udp/0/webrtc-direct"),
                () -> Trace.start(counting, "c3"));
        PrivateKey dialerKey = PrivateKey.generate();
        byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor();
                TestDialer dialer = TestDialer.dial(listener.addresses().get(0), dialerKey)) {
            Connection connection = threads.submit(listener::accept).get(10, TimeUnit.SECONDS);
            Future<?> echoed = threads.submit(() -> {
                MuxedStream s = connection.acceptStream();
                byte[] all = s.input().readAllBytes(); // the whole request first: the lines' order is fixed
                s.write(all, 0, all.length);
                s.closeWrite();
                return null;
            });
            MuxedStream s = dialer.connection().openStream();
            s.write(hi, 0, hi.length);
            s.closeWrite();
            assertArrayEquals(hi, s.input().readAllBytes());
            echoed.get(10, TimeUnit.SECONDS);
            assertTrue(finAcks.await(10, TimeUnit.SECONDS), trace.lines()::toString);
            connection.close();

            String port = listener.addresses().get(0).valueOf("udp").orElseThrow();
            String dialerPort = String.valueOf(dialer.socket.getLocalPort());
            List<String> setup = untimed("connection", "dtls");
            assertEquals("c3 · connection inbound local=/ip4/127.0.0.1/udp/" + port
                    + "/webrtc-direct remote=/ip4/127.0.0.1/udp/" + dialerPort + "/webrtc-direct", setup.get(0));
            assertTrue(setup.get(1).matches("c3 · dtls secured version=DTLSv1\\.2"
                    + " cipher=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 fingerprint=([0-9A-F]{2}:){31}[0-9A-F]{2}"),
                    setup.get(1));
            assertEquals(List.of("c3 · sctp association established",
                    "c3 · sctp association closed reason=\"webrtc: connection closed\""), untimed("sctp"));
            List<String> noise = untimed("noise");
            assertTrue(noise.stream().allMatch(l -> l.contains(" stream=0")), noise::toString);
            assertTrue(noise.stream().anyMatch(l -> l.startsWith("c3 · noise secured stream=0 peer="
                    + dialerKey.peerId())), noise::toString);
            List<String> channel = untimed("dcep", "webrtc").stream().filter(l -> !l.contains("stream=0")).toList();
            // a FIN_ACK goes out on the delivery thread, racing the application's next frame: checked apart
            assertEquals(List.of(
                    "c3 ← dcep DATA_CHANNEL_OPEN stream=2 label=\"\"",
                    "c3 → dcep DATA_CHANNEL_ACK stream=2",
                    "c3 ← webrtc Message stream=2 length=2",
                    "c3 ← webrtc Message FIN stream=2 length=0",
                    "c3 → webrtc Message stream=2 length=2",
                    "c3 → webrtc Message FIN stream=2 length=0"),
                    channel.stream().filter(l -> !l.contains("FIN_ACK")).toList());
            assertEquals(List.of("c3 ← webrtc Message FIN_ACK stream=2 length=0",
                    "c3 → webrtc Message FIN_ACK stream=2 length=0"),
                    channel.stream().filter(l -> l.contains("FIN_ACK")).sorted().toList());
        }
    }

    /** The lines of {@code layers}, in the order they came, without their times. */
    private List<String> untimed(String... layers) {
        List<String> wanted = List.of(layers);
        return trace.events().stream().filter(e -> wanted.contains(e.layer())).map(WebRtcTraceTest::untimed).toList();
    }

    private static String untimed(TraceEvent event) {
        String line = event.line(event.nanos());
        return line.substring(line.indexOf(' ') + 1);
    }
}
