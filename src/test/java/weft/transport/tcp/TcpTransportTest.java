package weft.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import weft.multiformats.Multiaddr;
import weft.transport.Listener;
import weft.transport.RawConnection;
import weft.transport.Transport;
import weft.transport.TransportConformanceTest;
import weft.transport.UnsupportedMultiaddrException;

class TcpTransportTest extends TransportConformanceTest {
    private static final String PEER = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

    private final TcpTransport tcp = new TcpTransport();

    @Override
    protected Transport transport() {
        return tcp;
    }

    @Override
    protected Multiaddr loopbackAnyPort() {
        return Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    }

    @ParameterizedTest(name = "{0}: dial {1}, listen {2}")
    @CsvSource({
        "/ip4/192.0.2.7/tcp/4001, true, true",
        "/ip4/192.0.2.7/tcp/4001/p2p/" + PEER + ", true, false",
        "/ip4/0.0.0.0/tcp/0, false, true",
        "/ip6/::1/tcp/4001, true, true",
        "/ip6zone/0/ip6/fe80::1/tcp/4001, true, true",
        "/dns/example.com/tcp/443, true, true",
        "/dns4/example.com/tcp/443, true, true",
        "/dns6/example.com/tcp/443/p2p/" + PEER + ", true, false",
        "/dnsaddr/bootstrap.libp2p.io, false, false",
        "/ip4/192.0.2.7/udp/4001/quic-v1, false, false",
        "/ip4/192.0.2.7/tcp/4001/ws, false, false",
        "/ip4/192.0.2.7, false, false",
        "/tcp/4001, false, false",
        "/p2p/" + PEER + ", false, false",
    })
    void knowsWhichAddressesItCanDialAndListenOn(String address, boolean dial, boolean listen) {
        Multiaddr m = Multiaddr.parse(address);
        assertEquals(dial, tcp.canDial(m), "canDial");
        assertEquals(listen, tcp.canListen(m), "canListen");
    }

    @Test
    void dialingAnAddressOfAnotherTransportThrowsUnsupportedMultiaddr() {
        Multiaddr quic = Multiaddr.parse("/ip4/127.0.0.1/udp/4001/quic-v1");
        UnsupportedMultiaddrException e =
                assertThrows(UnsupportedMultiaddrException.class, () -> tcp.dial(quic, DIAL_TIMEOUT));
        assertEquals(quic, e.address());
        assertTrue(e.getMessage().startsWith("tcp: cannot dial /ip4/127.0.0.1/udp/4001/quic-v1"), e.getMessage());
    }

    @Test
    void listeningOnAnAddressOfAnotherTransportThrowsUnsupportedMultiaddr() {
        Multiaddr ws = Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws");
        assertThrows(UnsupportedMultiaddrException.class, () -> tcp.listen(ws));
    }

    @Test
    void dialsAnAddressThatEndsWithAPeerId() throws Exception {
        try (Listener listener = tcp.listen(loopbackAnyPort());
                RawConnection dialed = tcp.dial(listener.addresses().get(0).encapsulate("/p2p/" + PEER), DIAL_TIMEOUT);
                RawConnection accepted = listener.accept()) {
            dialed.output().write(42);
            assertEquals(42, accepted.input().read());
        }
    }

    @Test
    void dialsADns4NameOverIpv4() throws Exception {
        try (Listener listener = tcp.listen(loopbackAnyPort())) {
            String port = listener.addresses().get(0).valueOf("tcp").orElseThrow();
            try (RawConnection dialed = tcp.dial(Multiaddr.parse("/dns4/localhost/tcp/" + port), DIAL_TIMEOUT);
                    RawConnection accepted = listener.accept()) {
                assertEquals(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port), dialed.remoteAddress());
                assertEquals(dialed.localAddress(), accepted.remoteAddress());
            }
        }
    }

    @Test
    void listensOnIpv6Loopback() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "this machine has no IPv6 loopback");
        try (Listener listener = tcp.listen(Multiaddr.parse("/ip6/::1/tcp/0"));
                RawConnection dialed = tcp.dial(listener.addresses().get(0), DIAL_TIMEOUT);
                RawConnection accepted = listener.accept()) {
            assertTrue(listener.addresses().get(0).toString().startsWith("/ip6/::1/tcp/"), listener.addresses().toString());
            dialed.output().write(6);
            assertEquals(6, accepted.input().read());
        }
    }

    @Test
    void aWildcardListenerReportsTheWildcardWithItsRealPort() throws Exception {
        try (Listener listener = tcp.listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/0"))) {
            Multiaddr bound = listener.addresses().get(0);
            assertEquals("0.0.0.0", bound.valueOf("ip4").orElseThrow());
            assertNotEquals("0", bound.valueOf("tcp").orElseThrow());
            Multiaddr loopback = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + bound.valueOf("tcp").orElseThrow());
            try (RawConnection dialed = tcp.dial(loopback, DIAL_TIMEOUT); RawConnection accepted = listener.accept()) {
                dialed.output().write(1);
                assertEquals(1, accepted.input().read());
            }
        }
    }

    @Test
    void socketsOnBothEndsHaveNoDelayAndKeepAlive() throws Exception {
        try (Listener listener = tcp.listen(loopbackAnyPort());
                TcpConnection dialed = (TcpConnection) tcp.dial(listener.addresses().get(0), DIAL_TIMEOUT);
                TcpConnection accepted = (TcpConnection) listener.accept()) {
            for (Socket s : new Socket[] {dialed.socket(), accepted.socket()}) {
                assertTrue(s.getTcpNoDelay(), "TCP_NODELAY");
                assertTrue(s.getKeepAlive(), "SO_KEEPALIVE");
            }
        }
    }

    @Test
    void theListenerKeepsAcceptingAfterAPeerResetsItsConnection() throws Exception {
        try (Listener listener = tcp.listen(loopbackAnyPort())) {
            Multiaddr bound = listener.addresses().get(0);
            Socket rude = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(bound.valueOf("tcp").orElseThrow()));
            rude.setSoLinger(true, 0);
            rude.close(); // RST
            try (RawConnection first = listener.accept()) {
                assertThrows(IOException.class, () -> {
                    if (first.input().read() != -1) {
                        throw new AssertionError("read data from a reset connection");
                    }
                    throw new IOException("clean end of stream is fine too");
                });
            }
            try (RawConnection dialed = tcp.dial(bound, DIAL_TIMEOUT); RawConnection accepted = listener.accept()) {
                dialed.output().write(9);
                assertEquals(9, accepted.input().read());
            }
        }
    }

    @Test
    void aTimeoutOfZeroMeansNoBound() throws Exception {
        try (Listener listener = tcp.listen(loopbackAnyPort());
                RawConnection dialed = tcp.dial(listener.addresses().get(0), Duration.ZERO);
                RawConnection accepted = listener.accept()) {
            dialed.output().write(3);
            assertEquals(3, accepted.input().read());
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
