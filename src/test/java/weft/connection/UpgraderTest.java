package weft.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.multistream.MultistreamSelect;
import weft.multistream.ProtocolNotSupportedException;
import weft.mux.MuxedStream;
import weft.mux.yamux.Yamux;
import weft.protocol.echo.Echo;
import weft.security.PeerIdMismatchException;
import weft.security.SecureChannel;
import weft.security.noise.NoiseSecureChannel;
import weft.testing.Background;
import weft.transport.Listener;
import weft.transport.RawConnection;
import weft.transport.tcp.TcpTransport;

class UpgraderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final TcpTransport tcp = new TcpTransport();
    private final PrivateKey dialerKey = PrivateKey.generate();
    private final PrivateKey listenerKey = PrivateKey.generate();
    private final Listener listener;

    UpgraderTest() throws IOException {
        listener = tcp.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
    }

    @AfterEach
    void closeListener() throws IOException {
        listener.close();
    }

    private static Upgrader upgrader(PrivateKey key, boolean earlyMuxer) {
        NoiseSecureChannel noise = new NoiseSecureChannel(key);
        if (earlyMuxer) {
            noise = noise.withMuxers(List.of(Yamux.PROTOCOL_ID));
        }
        return new Upgrader(List.<SecureChannel>of(noise), List.of(new Yamux()), TIMEOUT);
    }

    private Connection[] connect(boolean dialerEarly, boolean listenerEarly) throws Exception {
        Background<Connection> inbound =
                Background.start(() -> upgrader(listenerKey, listenerEarly).upgradeInbound(listener.accept()));
        Multiaddr address = listener.addresses().get(0).encapsulate("/p2p/" + PeerId.fromPublicKey(listenerKey.publicKey()).toBase58());
        RawConnection raw = tcp.dial(address, TIMEOUT);
        Connection outbound = upgrader(dialerKey, dialerEarly).upgradeOutbound(raw, Upgrader.peerIdOf(address).orElseThrow());
        return new Connection[] {outbound, inbound.join()};
    }

    @Test
    void bothSidesLearnEachOthersPeerIdAndAgreeOnNoiseAndYamuxEarly() throws Exception {
        Connection[] c = connect(true, true);
        try (Connection out = c[0]; Connection in = c[1]) {
            assertEquals(PeerId.fromPublicKey(listenerKey.publicKey()), out.remotePeer());
            assertEquals(PeerId.fromPublicKey(dialerKey.publicKey()), in.remotePeer());
            assertEquals(out.localPeer(), in.remotePeer());
            assertEquals("/noise", out.securityProtocol());
            assertEquals("/yamux/1.0.0", in.muxerProtocol());
            assertTrue(out.earlyMuxerNegotiation());
            assertTrue(in.earlyMuxerNegotiation());
            assertTrue(out.isDialer());
            assertFalse(in.isDialer());
            assertEquals(out.localAddress(), in.remoteAddress());
            echoOverAStream(out, in);
        }
    }

    @Test
    void withoutEarlyNegotiationOnEitherSideTheMuxerIsSelectedWithMultistream() throws Exception {
        for (boolean[] early : new boolean[][] {{false, false}, {true, false}, {false, true}}) {
            Connection[] c = connect(early[0], early[1]);
            try (Connection out = c[0]; Connection in = c[1]) {
                assertFalse(out.earlyMuxerNegotiation());
                assertFalse(in.earlyMuxerNegotiation());
                echoOverAStream(out, in);
            }
        }
    }

    @Test
    void dialingTheWrongPeerIdFailsWithPeerIdMismatch() throws Exception {
        Background<Connection> inbound =
                Background.start(() -> upgrader(listenerKey, true).upgradeInbound(listener.accept()));
        PeerId someoneElse = PeerId.fromPublicKey(PrivateKey.generate().publicKey());
        RawConnection raw = tcp.dial(listener.addresses().get(0), TIMEOUT);
        PeerIdMismatchException e = assertThrows(PeerIdMismatchException.class,
                () -> upgrader(dialerKey, true).upgradeOutbound(raw, someoneElse));
        assertEquals(someoneElse, e.expected());
        assertThrows(IOException.class, inbound::join);
    }

    @Test
    void aPeerThatSpeaksNoSecurityProtocolWeKnowIsRefused() throws Exception {
        Background<Connection> inbound =
                Background.start(() -> upgrader(listenerKey, true).upgradeInbound(listener.accept()));
        try (RawConnection raw = tcp.dial(listener.addresses().get(0), TIMEOUT)) {
            assertThrows(ProtocolNotSupportedException.class, () -> MultistreamSelect.select(raw, List.of("/tls/1.0.0")));
        }
        assertThrows(IOException.class, inbound::join);
    }

    @Test
    void garbageInsteadOfMultistreamFailsTheInboundUpgradeWithATypedException() throws Exception {
        Background<Connection> inbound =
                Background.start(() -> upgrader(listenerKey, true).upgradeInbound(listener.accept()));
        try (RawConnection raw = tcp.dial(listener.addresses().get(0), TIMEOUT)) {
            // 'G' reads as a 71-byte multistream message that does not end in '\n'
            raw.output().write(("GET / HTTP/1.1\r\n" + "Host: x\r\n".repeat(20)).getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, raw.input().read(), "the listener closes the connection");
        }
        assertThrows(IOException.class, inbound::join);
    }

    @Test
    void aSilentPeerTimesOutTheUpgradeAndItsConnectionIsClosed() throws Exception {
        Upgrader impatient = new Upgrader(List.of(new NoiseSecureChannel(listenerKey)), List.of(new Yamux()),
                Duration.ofMillis(200));
        Background<Connection> inbound = Background.start(() -> impatient.upgradeInbound(listener.accept()));
        try (RawConnection raw = tcp.dial(listener.addresses().get(0), TIMEOUT)) {
            assertThrows(SocketTimeoutException.class, inbound::join);
            raw.input().readNBytes(20); // the listener's multistream header, if it sent it
            assertEquals(-1, raw.input().read());
        }
    }

    private static void echoOverAStream(Connection out, Connection in) throws Exception {
        Background<Long> server = Background.start(() -> {
            MuxedStream stream = in.acceptStream();
            MultistreamSelect.handle(stream, List.of(Echo.PROTOCOL_ID));
            return Echo.serve(stream);
        });
        MuxedStream stream = out.openStream();
        MultistreamSelect.select(stream, List.of(Echo.PROTOCOL_ID));
        byte[] hello = "hello over tcp, noise and yamux".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hello, Echo.echo(stream, hello));
        assertEquals(hello.length, server.join());
    }
}
