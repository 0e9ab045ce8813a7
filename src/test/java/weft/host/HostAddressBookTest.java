package weft.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.multistream.ProtocolNotSupportedException;
import weft.mux.yamux.YamuxSession;
import weft.protocol.echo.Echo;
import weft.protocol.identify.IdentifyMessage;
import weft.transport.UnsupportedMultiaddrException;

/** The host's address book ({@link Host#addresses(PeerId)}, {@link Host#connect(PeerId)}) and {@link HostStream}. */
class HostAddressBookTest {
    private static final List<Multiaddr> LOOPBACK = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
    /** No TCP: the host's transport refuses it at once, without touching the network. */
    private static final Multiaddr UNDIALABLE = Multiaddr.parse("/ip4/127.0.0.1/udp/4001/quic");

    private final Host server;
    private final Host client;

    HostAddressBookTest() throws IOException {
        server = Host.start(HostConfig.defaults().withListenAddresses(LOOPBACK).withEcho(true));
        client = Host.start(HostConfig.defaults().withListenAddresses(LOOPBACK));
    }

    @AfterEach
    void closeHosts() {
        client.close();
        server.close();
    }

    private static PeerId randomPeer() {
        return PeerId.fromPublicKey(PrivateKey.generate().publicKey());
    }

    @Test
    void identifyFillsTheBookWithThePeersListenAddresses() throws Exception {
        CountDownLatch identified = new CountDownLatch(1);
        server.addConnectionListener(new ConnectionListener() {
            @Override
            public void identified(Connection connection, IdentifyMessage message) {
                identified.countDown();
            }
        });
        client.connect(server.addresses().get(0));
        assertTrue(identified.await(10, TimeUnit.SECONDS));
        // the server never dialed the client: the only way it knows where the client listens is identify
        assertEquals(List.of(client.addresses().get(0).withoutPeerId()), server.addresses(client.peerId()));
    }

    @Test
    void aSuccessfulDialIsRemembered() throws Exception {
        client.connect(server.addresses().get(0));
        assertTrue(client.addresses(server.peerId()).contains(server.addresses().get(0).withoutPeerId()));
    }

    @Test
    void connectByPeerIdDialsAnAddedAddressAndThenReusesTheConnection() throws Exception {
        client.addAddresses(server.peerId(), server.addresses());
        Connection first = client.connect(server.peerId());
        assertEquals(server.peerId(), first.remotePeer());
        assertSame(first, client.connect(server.peerId()));
        byte[] hi = "by peer id".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(new String(hi), new String(Echo.echo(client.newStream(server.peerId(), Echo.PROTOCOL_ID), hi)));
    }

    @Test
    void connectByPeerIdSkipsAnAddressThatFailsAndMovesTheWorkingOneFirst() throws Exception {
        Multiaddr good = server.addresses().get(0).withoutPeerId();
        client.addAddresses(server.peerId(), List.of(UNDIALABLE, good));
        assertEquals(List.of(UNDIALABLE, good), client.addresses(server.peerId()));
        assertEquals(server.peerId(), client.connect(server.peerId()).remotePeer());
        assertEquals(List.of(good, UNDIALABLE), client.addresses(server.peerId()));
    }

    @Test
    void connectByPeerIdThrowsTheLastFailureWhenEveryAddressFails() {
        PeerId nobody = randomPeer();
        Multiaddr other = Multiaddr.parse("/ip4/127.0.0.1/udp/4002/quic");
        client.addAddresses(nobody, List.of(UNDIALABLE, other));
        UnsupportedMultiaddrException e = assertThrows(UnsupportedMultiaddrException.class,
                () -> client.connect(nobody));
        assertTrue(e.getMessage().contains("4002"), e.getMessage());
        assertEquals(1, e.getSuppressed().length);
    }

    @Test
    void anUnknownPeerHasNoAddressAndConnectSaysSo() {
        PeerId stranger = randomPeer();
        assertEquals(List.of(), client.addresses(stranger));
        NoAddressException e = assertThrows(NoAddressException.class, () -> client.connect(stranger));
        assertEquals(stranger, e.peer());
        assertThrows(NoAddressException.class, () -> client.newStream(stranger, Echo.PROTOCOL_ID));
    }

    @Test
    void addedAddressesLoseTheirPeerIdAndDuplicatesMoveUp() {
        PeerId peer = randomPeer();
        Multiaddr a = Multiaddr.parse("/ip4/10.0.0.1/tcp/1");
        Multiaddr b = Multiaddr.parse("/ip4/10.0.0.2/tcp/2");
        client.addAddresses(peer, List.of(a.encapsulate("/p2p/" + peer.toBase58()), b));
        assertEquals(List.of(a, b), client.addresses(peer));
        client.addAddresses(peer, List.of(b));
        assertEquals(List.of(b, a), client.addresses(peer));
    }

    @Test
    void wildcardAddressesAreNotKept() {
        PeerId peer = randomPeer();
        client.addAddresses(peer,
                List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"), Multiaddr.parse("/ip6/::/tcp/4001")));
        assertEquals(List.of(), client.addresses(peer));
    }

    @Test
    void theBookKeepsAtMostSixtyFourAddressesPerPeerDroppingTheOldest() {
        AddressBook book = new AddressBook();
        PeerId peer = randomPeer();
        List<Multiaddr> all = new ArrayList<>();
        for (int i = 0; i < AddressBook.MAX_ADDRESSES_PER_PEER + 10; i++) {
            all.add(Multiaddr.parse("/ip4/10.0.0.1/tcp/" + (1000 + i)));
            book.add(peer, List.of(all.get(i)));
        }
        List<Multiaddr> kept = book.addresses(peer);
        assertEquals(AddressBook.MAX_ADDRESSES_PER_PEER, kept.size());
        assertEquals(all.get(all.size() - 1), kept.get(0));
        assertTrue(!kept.contains(all.get(0)) && kept.contains(all.get(10)));
    }

    @Test
    void theBookForgetsTheLeastRecentlyUsedPeerBeyondItsBound() {
        AddressBook book = new AddressBook();
        Multiaddr address = Multiaddr.parse("/ip4/10.0.0.1/tcp/1");
        PeerId first = randomPeer();
        PeerId second = randomPeer();
        book.add(first, List.of(address));
        book.add(second, List.of(address));
        assertEquals(List.of(address), book.addresses(first)); // first is now more recent than second
        for (int i = 0; i < AddressBook.MAX_PEERS - 1; i++) {
            book.add(PeerId.fromPublicKey(PrivateKey.generate().publicKey()), List.of(address));
        }
        assertEquals(List.of(), book.addresses(second));
        assertEquals(List.of(address), book.addresses(first));
    }

    // ---- several proposals ----------------------------------------------------------------------------------

    @Test
    void theStreamNamesTheSecondProposalWhenThePeerSpeaksOnlyThat() throws Exception {
        server.setStreamHandler("/chat/1.0.0", (stream, connection) -> stream.output().write(1));
        HostStream s = client.newStream(server.addresses().get(0), "/chat/2.0.0", "/chat/1.0.0");
        assertEquals("/chat/1.0.0", s.protocol());
        assertEquals(server.peerId(), s.connection().remotePeer());
        assertEquals(1, s.input().read());
        assertEquals(-1, s.input().read());
    }

    @Test
    void theFirstProposalWinsWhenThePeerSpeaksBoth() throws Exception {
        server.setStreamHandler("/chat/1.0.0", (stream, connection) -> { });
        server.setStreamHandler("/chat/2.0.0", (stream, connection) -> { });
        client.connect(server.addresses().get(0));
        HostStream s = client.newStream(server.peerId(), "/chat/2.0.0", "/chat/1.0.0");
        assertEquals("/chat/2.0.0", s.protocol());
        s.close();
    }

    @Test
    void noSupportedProposalThrowsAndResetsTheStream() throws Exception {
        Connection connection = client.connect(server.addresses().get(0));
        YamuxSession session = (YamuxSession) connection.muxedConnection();
        awaitNoStreams(session); // identify's streams leave the session once identify is done both ways
        ProtocolNotSupportedException e = assertThrows(ProtocolNotSupportedException.class,
                () -> client.newStream(connection, "/a/1.0.0", "/b/1.0.0"));
        assertEquals(List.of("/a/1.0.0", "/b/1.0.0"), e.offered());
        assertEquals(0, session.streamCount()); // reset by us, at once: not left for the peer's negotiation timeout
        byte[] hi = "still fine".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(new String(hi), new String(Echo.echo(client.newStream(connection, Echo.PROTOCOL_ID), hi)));
    }

    /** Polls a condition (no assertion on timing); nothing opens streams in these tests once identify is done. */
    private static void awaitNoStreams(YamuxSession session) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (session.streamCount() != 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        assertEquals(0, session.streamCount(), "identify streams still open");
    }

    @Test
    void noProtocolAtAllIsAnArgumentError() throws Exception {
        Connection connection = client.connect(server.addresses().get(0));
        assertThrows(IllegalArgumentException.class, () -> client.newStream(connection));
    }
}
