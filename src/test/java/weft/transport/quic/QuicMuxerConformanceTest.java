package weft.transport.quic;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedConnection;
import weft.mux.MuxerConformanceTest;
import weft.mux.StreamMuxer;

/** The muxer suite yamux and mplex pass, over the streams of a real QUIC connection on loopback. */
class QuicMuxerConformanceTest extends MuxerConformanceTest {
    private static QuicTransport server;
    private static QuicTransport client;
    private static SecureTransport.Listener listening;

    @BeforeAll
    static void startTransports() throws IOException {
        server = new QuicTransport(PrivateKey.generate(), QuicConfig.defaults());
        client = new QuicTransport(PrivateKey.generate(), QuicConfig.defaults());
        listening = server.listen(Multiaddr.parse("/ip4/127.0.0.1/udp/0/quic-v1"));
    }

    @AfterAll
    static void stopTransports() {
        client.close();
        server.close();
    }

    @Override
    protected StreamMuxer muxer() {
        throw new UnsupportedOperationException("QUIC has its own streams: see startPair");
    }

    @Override
    protected MuxedConnection[] startPair() throws IOException {
        Connection dialed = client.dial(listening.addresses().get(0), Duration.ofSeconds(10));
        Connection accepted = listening.accept();
        return new MuxedConnection[] {dialed.muxedConnection(), accepted.muxedConnection()};
    }
}
