package weft.transport.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;

/** A QUIC listener on the IPv4 wildcard says so (its dual-stack socket reports {@code ::}), and is dialable. */
class QuicWildcardListenTest {
    @Test
    void listenerOnIpv4WildcardReportsIpv4WildcardWithItsPortAndAcceptsIpv4Dials() throws IOException {
        QuicTransport server = new QuicTransport(PrivateKey.generate(), QuicConfig.defaults());
        QuicTransport client = new QuicTransport(PrivateKey.generate(), QuicConfig.defaults());
        try {
            SecureTransport.Listener listener = server.listen(Multiaddr.parse("/ip4/0.0.0.0/udp/0/quic-v1"));
            Multiaddr reported = listener.addresses().get(0);
            assertTrue(reported.toString().matches("/ip4/0\\.0\\.0\\.0/udp/[1-9][0-9]*/quic-v1"), reported.toString());
            String port = reported.valueOf("udp").orElseThrow();
            Connection dialed = client.dial(Multiaddr.parse("/ip4/127.0.0.1/udp/" + port + "/quic-v1"),
                    Duration.ofSeconds(10));
            Connection accepted = listener.accept();
            assertEquals(dialed.remotePeer(), accepted.localPeer());
        } finally {
            client.close();
            server.close();
        }
    }
}
