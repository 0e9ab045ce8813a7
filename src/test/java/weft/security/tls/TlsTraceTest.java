package weft.security.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import weft.crypto.KeyType;
import weft.crypto.PrivateKey;
import weft.io.DuplexStream;
import weft.security.SecureConnection;
import weft.testing.MemoryPipe;
import weft.testing.TraceRecorder;

/** Golden test: a TLS handshake traces one summary line on each side (version, suite, ALPN, the peer proved). */
class TlsTraceTest {
    @Test
    void eachSideSummarizesTheHandshakeItFinished() throws Exception {
        PrivateKey clientKey = PrivateKey.generate(KeyType.ED25519);
        PrivateKey serverKey = PrivateKey.generate(KeyType.ECDSA);
        TraceRecorder clientTrace = new TraceRecorder();
        TraceRecorder serverTrace = new TraceRecorder();
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        DuplexStream left = DuplexStream.traced(pipe.left(), clientTrace.trace("c1", ms()));
        DuplexStream right = DuplexStream.traced(pipe.right(), serverTrace.trace("c2", ms()));
        List<String> muxers = List.of("/yamux/1.0.0", "/mplex/6.7.0");
        TlsSecureChannel server = new TlsSecureChannel(serverKey).withMuxers(List.of("/mplex/6.7.0"));
        Future<SecureConnection> inbound = TlsPeers.inBackground(() -> server.secureInbound(right));
        new TlsSecureChannel(clientKey).withMuxers(muxers).secureOutbound(left, serverKey.peerId());
        TlsPeers.await(inbound);

        String common = " · tls secured version=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256 alpn=/mplex/6.7.0"
                + " alpn_offered=[/yamux/1.0.0, /mplex/6.7.0, libp2p]";
        assertEquals(List.of("+0.000ms c1" + common + " peer=" + serverKey.peerId() + " peer_key=ECDSA"),
                clientTrace.lines());
        assertEquals(List.of("+0.000ms c2" + common + " peer=" + clientKey.peerId() + " peer_key=ED25519"),
                serverTrace.lines());
    }

    private static java.util.function.LongSupplier ms() {
        return TraceRecorder.ticking(Duration.ofMillis(1));
    }
}
