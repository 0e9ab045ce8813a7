package weft.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.multiformats.Multiaddr;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.ping.Ping;

/** A host listening on a wildcard address advertises this machine's addresses instead ({@link Listeners}). */
class HostWildcardTest {

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal); // literals only: no lookup
    }

    private static boolean wildcard(Multiaddr a) {
        return a.toString().contains("/0.0.0.0/") || a.toString().contains("/ip6/::/");
    }

    @Test
    void aWildcardListenerIsReportedAsLoopbackWithTheBoundPortAndNoWildcard() throws IOException {
        try (Host host = Host.start(HostConfig.defaults())) {
            Multiaddr tcp = host.listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/0"));
            Multiaddr ws = host.listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/0/ws"));
            assertTrue(wildcard(tcp), "the listener itself stays on the wildcard: " + tcp);
            String id = host.peerId().toBase58();
            List<Multiaddr> addresses = host.addresses();
            assertTrue(addresses.contains(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + tcp.valueOf("tcp").orElseThrow()
                    + "/p2p/" + id)), addresses.toString());
            assertTrue(addresses.contains(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + ws.valueOf("tcp").orElseThrow()
                    + "/ws/p2p/" + id)), addresses.toString());
            assertFalse(addresses.stream().anyMatch(HostWildcardTest::wildcard), addresses.toString());
            assertTrue(addresses.stream().allMatch(a -> a.valueOf("ip4").isPresent()), addresses.toString());
        }
    }

    @Test
    void identifyFromAWildcardListenerCarriesNoWildcardAndItsAddressesDial() throws Exception {
        try (Host server = Host.start(HostConfig.defaults()
                        .withListenAddresses(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/0"))));
                Host client = Host.start(HostConfig.defaults())) {
            LinkedBlockingQueue<IdentifyMessage> learned = new LinkedBlockingQueue<>();
            client.addConnectionListener(new ConnectionListener() {
                @Override
                public void identified(Connection connection, IdentifyMessage message) {
                    learned.add(message);
                }
            });
            Multiaddr loopback = server.addresses().stream()
                    .filter(a -> a.valueOf("ip4").filter("127.0.0.1"::equals).isPresent()).findFirst().orElseThrow();
            Connection connection = client.connect(loopback);
            assertNotNull(Ping.ping(client.newStream(connection, Ping.PROTOCOL_ID)));

            IdentifyMessage id = learned.poll(10, TimeUnit.SECONDS);
            assertNotNull(id, "no identify within 10 s");
            assertEquals(server.addresses().stream().map(Multiaddr::withoutPeerId).toList(), id.listenAddrs());
            assertTrue(id.listenAddrs().contains(loopback.withoutPeerId()), id.listenAddrs().toString());
            assertFalse(id.listenAddrs().stream().anyMatch(HostWildcardTest::wildcard), id.listenAddrs().toString());
            assertTrue(client.addresses(server.peerId()).contains(loopback.withoutPeerId()));
        }
    }

    @Test
    void expansionKeepsThePortAndTheRestAndPutsLoopbackLast() throws IOException {
        List<InetAddress> local = List.of(ip("127.0.0.1"), ip("192.168.1.5"), ip("::1"), ip("2001:db8::7"),
                ip("10.0.0.2"));
        assertEquals(List.of(Multiaddr.parse("/ip4/192.168.1.5/tcp/4001/ws"),
                        Multiaddr.parse("/ip4/10.0.0.2/tcp/4001/ws"), Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/ws")),
                Listeners.expand(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001/ws"), local));
        assertEquals(List.of(Multiaddr.parse("/ip6/2001:db8::7/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/4001")),
                Listeners.expand(Multiaddr.parse("/ip6/::/tcp/4001"), local));
    }

    @Test
    void linkLocalIp6IsUsedOnlyWhenThereIsNothingElseAndThenWithItsZone() throws IOException {
        InetAddress linkLocal = Inet6Address.getByAddress(null, ip("fe80::1").getAddress(), 3);
        assertEquals(List.of(Multiaddr.parse("/ip6/::1/tcp/4001")),
                Listeners.expand(Multiaddr.parse("/ip6/::/tcp/4001"), List.of(linkLocal, ip("::1"))));
        assertEquals(List.of(Multiaddr.parse("/ip6zone/3/ip6/fe80::1/tcp/4001")),
                Listeners.expand(Multiaddr.parse("/ip6/::/tcp/4001"), List.of(linkLocal, ip("127.0.0.1"))));
        assertEquals(List.of(), Listeners.expand(Multiaddr.parse("/ip6/::/tcp/4001"), List.of(ip("127.0.0.1"))));
    }

    @Test
    void onlyTheUnspecifiedAddressesAreWildcards() {
        assertTrue(Listeners.unspecified(Multiaddr.parse("/ip4/0.0.0.0/tcp/1")));
        assertTrue(Listeners.unspecified(Multiaddr.parse("/ip6/::/tcp/1/ws")));
        assertFalse(Listeners.unspecified(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")));
        assertFalse(Listeners.unspecified(Multiaddr.parse("/ip6/::1/tcp/1")));
        assertFalse(Listeners.unspecified(Multiaddr.parse("/dns4/example.com/tcp/1")));
    }
}
