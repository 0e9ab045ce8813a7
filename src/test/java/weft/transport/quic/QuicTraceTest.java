package weft.transport.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.ConnectionClosedException;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.KeyType;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;
import weft.testing.TraceRecorder;
import weft.trace.TraceEvent;

/**
 * Golden test of QUIC's wire trace: a weft-to-weft exchange over loopback, each side's lines pinned. The event loop
 * and the application threads both emit, so each layer's lines are compared on their own, times left out (a
 * connection's layers may interleave differently from run to run; the order within the quic layer may not).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QuicTraceTest {
    private final PrivateKey serverKey = PrivateKey.generate(KeyType.ECDSA);
    private final PrivateKey clientKey = PrivateKey.generate(KeyType.ED25519);
    private final QuicTransport server = new QuicTransport(serverKey, QuicConfig.defaults());
    private final QuicTransport client = new QuicTransport(clientKey, QuicConfig.defaults());
    private final TraceRecorder clientTrace = new TraceRecorder();
    private final TraceRecorder serverTrace = new TraceRecorder();

    @AfterEach
    void closeTransports() {
        client.close();
        server.close();
    }

    @Test
    void bothSidesTraceTheHandshakeEveryStreamFrameAndTheClose() throws Exception {
        try (SecureTransport.Listener listener = server.listen(QuicTransportTest.LOOPBACK,
                () -> serverTrace.trace("c2", System::nanoTime))) {
            Multiaddr address = listener.addresses().get(0);
            Connection out = client.dial(address.encapsulate("/p2p/" + serverKey.peerId()),
                    QuicTransportTest.DIAL_TIMEOUT, clientTrace.trace("c1", System::nanoTime));
            Connection in = listener.accept();
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) { // stream 0: ping, FIN, echoed, FIN
                var echoed = threads.submit(() -> {
                    MuxedStream s = in.acceptStream();
                    byte[] all = s.input().readAllBytes(); // the whole request first: the lines' order is fixed
                    s.write(all, 0, all.length);
                    s.closeWrite();
                    return null;
                });
                MuxedStream s = out.openStream();
                s.write(QuicTransportTest.bytes("ping"), 0, 4);
                s.closeWrite();
                assertArrayEquals(QuicTransportTest.bytes("ping"), s.input().readAllBytes());
                echoed.get();
            }
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) { // stream 4: reset by the server
                var refused = threads.submit(() -> {
                    MuxedStream s = in.acceptStream();
                    s.input().read();
                    s.reset(3);
                    return null;
                });
                MuxedStream s = out.openStream();
                s.write(new byte[] {1}, 0, 1);
                StreamResetException reset = assertThrows(StreamResetException.class, () -> s.input().read());
                assertEquals(3, reset.errorCode());
                refused.get();
            }
            out.close();
            assertThrows(ConnectionClosedException.class, in::acceptStream); // the server heard the close

            String local = out.localAddress().toString();
            assertEquals(List.of(
                    "c1 · connection outbound local=" + local + " remote=" + address,
                    "c1 · tls secured version=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256 alpn=libp2p peer="
                            + serverKey.peerId() + " peer_key=ECDSA"), untimed(clientTrace, "connection", "tls"));
            assertEquals(List.of(
                    "c2 · connection inbound local=" + address + " remote=" + local,
                    "c2 · tls secured version=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256 alpn=libp2p peer="
                            + clientKey.peerId() + " peer_key=ED25519"), untimed(serverTrace, "connection", "tls"));
            assertEquals(List.of(
                    "c1 → quic STREAM opened stream=0",
                    "c1 → quic DATA stream=0 length=4",
                    "c1 → quic FIN stream=0",
                    "c1 ← quic DATA stream=0 length=4",
                    "c1 ← quic FIN stream=0",
                    "c1 → quic STREAM opened stream=4",
                    "c1 → quic DATA stream=4 length=1",
                    "c1 ← quic RESET_STREAM stream=4 code=3",
                    "c1 → quic RESET_STREAM stream=4 code=0",
                    "c1 · quic closed reason=\"quic: connection closed locally\""), untimed(clientTrace, "quic"));
            assertEquals(List.of(
                    "c2 ← quic STREAM accepted stream=0",
                    "c2 ← quic DATA stream=0 length=4",
                    "c2 ← quic FIN stream=0",
                    "c2 → quic DATA stream=0 length=4",
                    "c2 → quic FIN stream=0",
                    "c2 ← quic STREAM accepted stream=4",
                    "c2 ← quic DATA stream=4 length=1",
                    "c2 → quic RESET_STREAM stream=4 code=3",
                    "c2 · quic closed reason=\"quic: connection closed by remote (application error code 0x0)\""),
                    untimed(serverTrace, "quic"));
        }
    }

    @Test
    void anUntracedConnectionGivesItsStreamsNoTrace() throws Exception {
        try (SecureTransport.Listener listener = server.listen(QuicTransportTest.LOOPBACK)) {
            Connection out = client.dial(listener.addresses().get(0), QuicTransportTest.DIAL_TIMEOUT);
            Connection in = listener.accept();
            assertEquals(false, out.trace().on());
            assertEquals(false, in.trace().on());
            assertEquals(false, out.openStream().trace().on());
        }
    }

    @Test
    void aStreamReportsUnderItsConnectionsIdWithItsStreamId() throws IOException {
        try (SecureTransport.Listener listener = server.listen(QuicTransportTest.LOOPBACK)) {
            Connection out = client.dial(listener.addresses().get(0), QuicTransportTest.DIAL_TIMEOUT,
                    clientTrace.trace("c7", System::nanoTime));
            MuxedStream stream = out.openStream();
            assertEquals("trace c7/0", stream.trace().toString());
        }
    }

    /** The lines of {@code layers}, in the order they came, without their times. */
    private static List<String> untimed(TraceRecorder recorder, String... layers) {
        List<String> wanted = List.of(layers);
        return recorder.events().stream().filter(e -> wanted.contains(e.layer())).map(QuicTraceTest::untimed).toList();
    }

    private static String untimed(TraceEvent event) {
        String line = event.line(event.nanos());
        return line.substring(line.indexOf(' ') + 1);
    }
}
