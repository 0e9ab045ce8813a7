package weft.security.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.security.tls.TlsPeers.await;
import static weft.security.tls.TlsPeers.handshake;
import static weft.security.tls.TlsPeers.inBackground;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import weft.crypto.KeyType;
import weft.crypto.PrivateKey;
import weft.security.HandshakeException;
import weft.security.PeerIdMismatchException;
import weft.security.SecureConnection;
import weft.testing.MemoryPipe;

@Timeout(30) // a guard against hangs only; nothing here asserts on time
class TlsSecureChannelTest {
    private static final String YAMUX = "/yamux/1.0.0";
    private static final String MPLEX = "/mplex/6.7.0";
    private static final int EXTENSION_SERVER_NAME = 0;
    private static final int EXTENSION_ALPN = 16;
    private static final int EXTENSION_SUPPORTED_VERSIONS = 43;

    private final PrivateKey alice = PrivateKey.generate();
    private final PrivateKey bob = PrivateKey.generate();

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void peersOfEveryKeyTypeCompleteTheHandshakeAndLearnEachOthersIdentity(KeyType type) throws Exception {
        assertHandshakeBetween(PrivateKey.generate(type), PrivateKey.generate(type));
    }

    @Test
    void peersWithDifferentKeyTypesVerifyEachOther() throws Exception {
        assertHandshakeBetween(PrivateKey.generate(KeyType.ED25519), PrivateKey.generate(KeyType.SECP256K1));
        assertHandshakeBetween(PrivateKey.generate(KeyType.ECDSA), PrivateKey.generate(KeyType.RSA));
    }

    private static void assertHandshakeBetween(PrivateKey clientKey, PrivateKey serverKey) throws Exception {
        var pair = handshake(new TlsSecureChannel(clientKey), new TlsSecureChannel(serverKey), serverKey.peerId());

        assertEquals(serverKey.peerId(), pair.client().remotePeer());
        assertEquals(clientKey.peerId(), pair.server().remotePeer());
        assertEquals(clientKey.peerId(), pair.client().localPeer());
        assertEquals(serverKey.peerId(), pair.server().localPeer());
        assertEquals(serverKey.publicKey(), pair.client().remotePublicKey());
        assertEquals(clientKey.publicKey(), pair.server().remotePublicKey());
        assertEquals("/tls/1.0.0", pair.client().protocolId());
        assertEquals(Optional.empty(), pair.client().negotiatedMuxer());
        assertRoundTrip(pair.client(), pair.server(), "hello from the client");
        assertRoundTrip(pair.server(), pair.client(), "hello from the server");
        pair.client().close();
        pair.server().close();
    }

    static void assertRoundTrip(SecureConnection from, SecureConnection to, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        from.output().write(bytes);
        from.output().flush();
        assertArrayEquals(bytes, to.input().readNBytes(bytes.length));
    }

    @Test
    void clientThatExpectsAnotherPeerFailsWithPeerIdMismatchAndTheServerSeesAnAbort() throws Exception {
        PrivateKey someoneElse = PrivateKey.generate();
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        CompletableFuture<SecureConnection> server =
                inBackground(() -> new TlsSecureChannel(bob).secureInbound(pipe.right()));

        PeerIdMismatchException e = assertThrows(PeerIdMismatchException.class,
                () -> new TlsSecureChannel(alice).secureOutbound(pipe.left(), someoneElse.peerId()));

        assertEquals(someoneElse.peerId(), e.expected());
        assertEquals(bob.peerId(), e.actual());
        assertThrows(IOException.class, () -> pipe.left().input().read()); // our end is closed
        HandshakeException serverSide = assertThrows(HandshakeException.class, () -> await(server));
        assertFalse(serverSide instanceof PeerIdMismatchException);
    }

    @Test
    void sharedMuxerIsNegotiatedInTheHandshake() throws Exception {
        var pair = handshake(channel(alice, YAMUX), channel(bob, YAMUX), bob.peerId());

        assertEquals(Optional.of(YAMUX), pair.client().negotiatedMuxer());
        assertEquals(Optional.of(YAMUX), pair.server().negotiatedMuxer());
    }

    @Test
    void serverHonoursTheClientsPreferenceOverItsOwn() throws Exception {
        var pair = handshake(channel(alice, MPLEX, YAMUX), channel(bob, YAMUX, MPLEX), bob.peerId());

        assertEquals(Optional.of(MPLEX), pair.client().negotiatedMuxer());
        assertEquals(Optional.of(MPLEX), pair.server().negotiatedMuxer());
    }

    @Test
    void noSharedMuxerSettlesOnLibp2pAndLeavesTheMuxerToMultistream() throws Exception {
        var pair = handshake(channel(alice, MPLEX), channel(bob, YAMUX), bob.peerId());

        assertEquals(Optional.empty(), pair.client().negotiatedMuxer());
        assertEquals(Optional.empty(), pair.server().negotiatedMuxer());
    }

    @Test
    void clientWithoutMuxersOffersOnlyLibp2p() throws Exception {
        var pair = handshake(new TlsSecureChannel(alice), channel(bob, YAMUX), bob.peerId());

        assertEquals(Optional.empty(), pair.client().negotiatedMuxer());
        assertEquals(Optional.empty(), pair.server().negotiatedMuxer());
    }

    @Test
    void clientThatSendsNoAlpnAtAllGetsNoEarlyMuxer() throws Exception {
        var pair = handshake(channel(alice, YAMUX).withAlpnOffer(List.of()), channel(bob, YAMUX), bob.peerId());

        assertEquals(Optional.empty(), pair.server().negotiatedMuxer());
        assertRoundTrip(pair.client(), pair.server(), "still a secure connection");
    }

    @Test
    void serverAbortsWhenTheClientOffersNoProtocolItSupports() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        CompletableFuture<SecureConnection> server =
                inBackground(() -> channel(bob, YAMUX).secureInbound(pipe.right()));

        HandshakeException clientSide = assertThrows(HandshakeException.class,
                () -> new TlsSecureChannel(alice).withAlpnOffer(List.of("/other/1.0.0")).secureOutbound(pipe.left(),
                        bob.peerId()));

        HandshakeException serverSide = assertThrows(HandshakeException.class, () -> await(server));
        assertTrue(serverSide.getMessage().contains("offered no application protocol we support"),
                serverSide.getMessage());
        assertTrue(clientSide.getMessage().contains("no_application_protocol"), clientSide.getMessage());
    }

    @Test
    void clientHelloOffersOnlyTls13TheMuxersThenLibp2pAndNoServerName() throws Exception {
        TlsPeers.Scripted silentServer = TlsPeers.scripted(new byte[0]);
        assertThrows(HandshakeException.class,
                () -> channel(alice, YAMUX, MPLEX).secureOutbound(silentServer, bob.peerId()));

        Map<Integer, byte[]> extensions = clientHelloExtensions(silentServer.written());

        assertFalse(extensions.containsKey(EXTENSION_SERVER_NAME), "the client sent SNI");
        assertEquals(List.of(YAMUX, MPLEX, "libp2p"), alpnNames(extensions.get(EXTENSION_ALPN)));
        assertArrayEquals(new byte[] {2, 0x03, 0x04}, extensions.get(EXTENSION_SUPPORTED_VERSIONS)); // TLS 1.3 only
    }

    /** js-libp2p and rust-libp2p certificates have an empty issuer: the engine must not refuse them. */
    @Test
    void peersWithEmptyIssuerCertificatesAsJsLibp2pSendsCompleteTheHandshake() throws Exception {
        Libp2pCertificate jsShaped = TestCertificates.valid(bob).emptyNames().libp2pExtensionCritical().presentable();
        Libp2pCertificate clientJsShaped = TestCertificates.valid(alice).emptyNames().presentable();

        var pair = handshake(new TlsSecureChannel(alice).withCertificate(clientJsShaped),
                new TlsSecureChannel(bob).withCertificate(jsShaped), bob.peerId());

        assertEquals(bob.peerId(), pair.client().remotePeer());
        assertEquals(alice.peerId(), pair.server().remotePeer());
        assertRoundTrip(pair.client(), pair.server(), "hello from js-shaped certificates");
    }

    @Test
    void serverCertificateWithoutTheExtensionFailsTheClientWithAClearMessage() throws Exception {
        Libp2pCertificate bare = TestCertificates.valid(bob).withoutLibp2pExtension().presentable();
        HandshakeException e = clientFailsAgainst(new TlsSecureChannel(bob).withCertificate(bare));

        assertTrue(e.getMessage().contains("lacks the libp2p public key extension"), e.getMessage());
    }

    @Test
    void serverCertificateWithAnUnknownCriticalExtensionIsRejected() throws Exception {
        Libp2pCertificate odd = TestCertificates.valid(bob).extension("1.2.3.4.5", true, new byte[] {5, 0})
                .presentable();
        HandshakeException e = clientFailsAgainst(new TlsSecureChannel(bob).withCertificate(odd));

        assertTrue(e.getMessage().contains("critical extensions we do not understand"), e.getMessage());
    }

    @Test
    void expiredServerCertificateIsRejected() throws Exception {
        Libp2pCertificate expired = Libp2pCertificate.generate(bob, Instant.now().minus(Duration.ofDays(2)),
                Instant.now().minus(Duration.ofDays(1)));
        HandshakeException e = clientFailsAgainst(new TlsSecureChannel(bob).withCertificate(expired));

        assertTrue(e.getMessage().contains("not valid now"), e.getMessage());
    }

    private HandshakeException clientFailsAgainst(TlsSecureChannel server) {
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        CompletableFuture<SecureConnection> inbound = inBackground(() -> server.secureInbound(pipe.right()));
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> new TlsSecureChannel(alice).secureOutbound(pipe.left(), bob.peerId()));
        assertThrows(HandshakeException.class, () -> await(inbound)); // the server gets our alert
        return e;
    }

    /**
     * "the handshake will appear as having succeeded before the server had the chance to verify the certificate":
     * the client learns of the rejection on its first read.
     */
    @Test
    void expiredClientCertificateFailsTheServerAndTheClientsFirstRead() throws Exception {
        Libp2pCertificate expired = Libp2pCertificate.generate(alice, Instant.now().minus(Duration.ofDays(2)),
                Instant.now().minus(Duration.ofDays(1)));
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        CompletableFuture<SecureConnection> server =
                inBackground(() -> new TlsSecureChannel(bob).secureInbound(pipe.right()));

        SecureConnection client = new TlsSecureChannel(alice).withCertificate(expired)
                .secureOutbound(pipe.left(), bob.peerId());

        HandshakeException serverSide = assertThrows(HandshakeException.class, () -> await(server));
        assertTrue(serverSide.getMessage().contains("not valid now"), serverSide.getMessage());
        IOException e = assertThrows(IOException.class, () -> client.input().read());
        assertTrue(e.getMessage().contains("bad_certificate") || e.getMessage().contains("certificate"),
                e.getMessage());
    }

    @Test
    void garbageInsteadOfAClientHelloFailsTheServerHandshake() {
        byte[] http = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> new TlsSecureChannel(bob).secureInbound(TlsPeers.scripted(http)));
        assertTrue(e.getMessage().startsWith("tls: handshake failed"), e.getMessage());
    }

    @Test
    void streamThatEndsInsideTheHandshakeIsAHandshakeException() {
        byte[] truncatedRecord = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00};
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> new TlsSecureChannel(bob).secureInbound(TlsPeers.scripted(truncatedRecord)));
        assertTrue(e.getMessage().contains("stream ended during the handshake"), e.getMessage());
    }

    @Test
    void stalledPeerHitsTheHandshakeDeadline() {
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY); // nobody ever answers on the right end
        TlsSecureChannel impatient = new TlsSecureChannel(alice).withHandshakeTimeout(Duration.ofMillis(200));

        HandshakeException e = assertThrows(HandshakeException.class,
                () -> impatient.secureOutbound(pipe.left(), bob.peerId()));

        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertInstanceOf(SocketTimeoutException.class, e.getCause());
        assertThrows(IOException.class, () -> pipe.left().input().read()); // the deadline closed the stream
    }

    @Test
    void muxerNamesThatAlpnCannotCarryAreRefused() {
        TlsSecureChannel channel = new TlsSecureChannel(alice);
        assertThrows(IllegalArgumentException.class, () -> channel.withMuxers(List.of("libp2p")));
        assertThrows(IllegalArgumentException.class, () -> channel.withMuxers(List.of("")));
        assertThrows(IllegalArgumentException.class, () -> channel.withMuxers(List.of("/" + "x".repeat(255))));
        assertThrows(IllegalArgumentException.class, () -> channel.withHandshakeTimeout(Duration.ZERO));
    }

    @Test
    void selectionPicksTheClientsFirstSupportedThenLibp2pElseNothing() {
        assertEquals(MPLEX, TlsSecureChannel.selectProtocol(List.of(MPLEX, YAMUX, "libp2p"), List.of(YAMUX, MPLEX)));
        assertEquals("libp2p", TlsSecureChannel.selectProtocol(List.of("/x", "libp2p"), List.of(YAMUX)));
        assertEquals(null, TlsSecureChannel.selectProtocol(List.of("/x"), List.of(YAMUX)));
        assertEquals(Optional.empty(), TlsSecureChannel.muxerOf("libp2p"));
        assertEquals(Optional.empty(), TlsSecureChannel.muxerOf(""));
        assertEquals(Optional.empty(), TlsSecureChannel.muxerOf(null));
        assertEquals(Optional.of(YAMUX), TlsSecureChannel.muxerOf(YAMUX));
    }

    private static TlsSecureChannel channel(PrivateKey key, String... muxers) {
        return new TlsSecureChannel(key).withMuxers(List.of(muxers));
    }

    /** The extensions of the ClientHello at the start of {@code bytes} (RFC 8446 §4.1.2), by type. */
    private static Map<Integer, byte[]> clientHelloExtensions(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(0x16, b.get()); // record: handshake
        b.position(5);
        assertEquals(1, b.get()); // handshake: client_hello
        b.position(b.position() + 3 + 2 + 32); // length, legacy_version, random
        int sessionId = b.get() & 0xFF;
        b.position(b.position() + sessionId); // legacy_session_id
        int cipherSuites = b.getShort() & 0xFFFF;
        b.position(b.position() + cipherSuites);
        int compressionMethods = b.get() & 0xFF;
        b.position(b.position() + compressionMethods);
        int end = (b.getShort() & 0xFFFF) + b.position();
        Map<Integer, byte[]> extensions = new HashMap<>();
        while (b.position() < end) {
            int type = b.getShort() & 0xFFFF;
            byte[] data = new byte[b.getShort() & 0xFFFF];
            b.get(data);
            extensions.put(type, data);
        }
        return extensions;
    }

    /** The names in an ALPN extension's {@code ProtocolNameList} (RFC 7301 §3.1). */
    private static List<String> alpnNames(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        b.getShort();
        List<String> names = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] name = new byte[b.get() & 0xFF];
            b.get(name);
            names.add(new String(name, StandardCharsets.US_ASCII));
        }
        return names;
    }
}
