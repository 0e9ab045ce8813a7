package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.security.noise.NoisePeers.await;
import static weft.security.noise.NoisePeers.framed;
import static weft.security.noise.NoisePeers.handshake;
import static weft.security.noise.NoisePeers.inBackground;
import static weft.security.noise.NoisePeers.scripted;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import weft.crypto.KeyType;
import weft.crypto.PrivateKey;
import weft.io.DuplexStream;
import weft.security.HandshakeException;
import weft.security.PeerIdMismatchException;
import weft.security.SecureConnection;
import weft.testing.MemoryPipe;

@Timeout(30) // a guard against hangs only; nothing here asserts on time
class NoiseSecureChannelTest {
    private static final String YAMUX = "/yamux/1.0.0";
    private static final String MPLEX = "/mplex/6.7.0";

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

    private static void assertHandshakeBetween(PrivateKey initiatorKey, PrivateKey responderKey) throws Exception {
        var pair = handshake(new NoiseSecureChannel(initiatorKey), new NoiseSecureChannel(responderKey),
                responderKey.peerId());

        assertEquals(responderKey.peerId(), pair.initiator().remotePeer());
        assertEquals(initiatorKey.peerId(), pair.responder().remotePeer());
        assertEquals(initiatorKey.peerId(), pair.initiator().localPeer());
        assertEquals(responderKey.publicKey(), pair.initiator().remotePublicKey());
        assertEquals(initiatorKey.publicKey(), pair.responder().remotePublicKey());
        assertEquals("/noise", pair.initiator().protocolId());
        assertRoundTrip(pair.initiator(), pair.responder(), "hello from the initiator");
        assertRoundTrip(pair.responder(), pair.initiator(), "hello from the responder");
    }

    @Test
    void initiatorThatExpectsAnotherPeerFailsWithPeerIdMismatchAndClosesTheStream() throws Exception {
        PrivateKey someoneElse = PrivateKey.generate();
        MemoryPipe pipe = MemoryPipe.create(NoisePeers.PIPE_CAPACITY);
        CompletableFuture<SecureConnection> responder =
                inBackground(() -> new NoiseSecureChannel(bob).secureInbound(pipe.right()));

        PeerIdMismatchException e = assertThrows(PeerIdMismatchException.class,
                () -> new NoiseSecureChannel(alice).secureOutbound(pipe.left(), someoneElse.peerId()));

        assertEquals(someoneElse.peerId(), e.expected());
        assertEquals(bob.peerId(), e.actual());
        assertThrows(IOException.class, () -> pipe.left().input().read()); // our end is closed
        assertInstanceOf(HandshakeException.class, assertThrows(Exception.class, () -> await(responder)));
    }

    @Test
    void responderFailsWhenTheInitiatorSendsOnlyMessageOne() throws Exception {
        // What the responder sees after an initiator rejected its identity: message 1, then the stream ends.
        MemoryPipe pipe = MemoryPipe.create(NoisePeers.PIPE_CAPACITY);
        HandshakeState initiator = new HandshakeState(true, new byte[0], HandshakeState.generatePrivateKey());
        pipe.left().output().write(framed(initiator.writeMessage(new byte[0])));
        pipe.left().output().close();

        HandshakeException e = assertThrows(HandshakeException.class,
                () -> new NoiseSecureChannel(bob).secureInbound(pipe.right()));
        assertTrue(e.getMessage().contains("message 3"), e.getMessage());
    }

    @Test
    void aFlippedBitInAnyByteOfMessageOneOrTwoFailsTheInitiatorAndTheResponder() throws Exception {
        for (int message = 1; message <= 2; message++) {
            int length = message == 1 ? 32 : 32 + 48 + payloadLength(bob) + 16;
            for (int index = 0; index < length; index++) {
                Tampered result = tamper(message, index);
                assertInstanceOf(HandshakeException.class, result.initiatorFailure(), "message " + message
                        + " byte " + index);
                assertInstanceOf(HandshakeException.class, result.responderFailure(), "message " + message
                        + " byte " + index);
            }
        }
    }

    @Test
    void aFlippedBitInAnyByteOfMessageThreeFailsTheResponder() throws Exception {
        int length = 48 + payloadLength(alice) + 16;
        for (int index = 0; index < length; index++) {
            Tampered result = tamper(3, index);
            assertInstanceOf(HandshakeException.class, result.responderFailure(), "byte " + index);
            // The initiator finished: in XX it cannot know that its last message was spoiled on the way.
            assertEquals(null, result.initiatorFailure(), "byte " + index);
        }
    }

    @Test
    void ed25519HandshakeMessagesHaveTheSizesTheSpecGives() throws Exception {
        Tampered untouched = tamper(0, 0);
        assertEquals(null, untouched.initiatorFailure());
        assertEquals(null, untouched.responderFailure());
        // 32; 32 + 48 + (104 + 16); 48 + (104 + 16): libp2p-facts §2 "Typical sizes"
        assertEquals(List.of(32, 200, 168), untouched.lengths());
    }

    @Test
    void anEd25519PayloadWithYamuxIsEncodedFieldByFieldAsGoAndJsExpect() {
        byte[] key = alice.publicKey().marshal();
        byte[] signature = new byte[64];
        byte[] encoded = new HandshakePayload(key, signature, List.of(), List.of(YAMUX)).encode();

        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.write(0x0a);
        expected.write(36);
        expected.writeBytes(key);
        expected.write(0x12);
        expected.write(64);
        expected.writeBytes(signature);
        expected.writeBytes(new byte[] {0x22, 0x0e, 0x12, 0x0c});
        expected.writeBytes(YAMUX.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected.toByteArray(), encoded);
        assertEquals(104 + 16, encoded.length);
    }

    @Test
    void theResponderLeavesBytesPipelinedBehindMessageThreeToTheTransport() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(NoisePeers.PIPE_CAPACITY);
        CompletableFuture<SecureConnection> responder =
                inBackground(() -> new NoiseSecureChannel(bob).secureInbound(pipe.right()));
        DuplexStream wire = pipe.left();
        HandshakeState initiator = new HandshakeState(true, new byte[0], HandshakeState.generatePrivateKey());
        wire.output().write(framed(initiator.writeMessage(new byte[0])));
        byte[] header = wire.input().readNBytes(2);
        initiator.readMessage(wire.input().readNBytes((header[0] & 0xFF) << 8 | (header[1] & 0xFF)));
        byte[] signature = alice.sign(NoiseHandshake.signedData(initiator.localStaticKey()));
        byte[] payload = new HandshakePayload(alice.publicKey().marshal(), signature, List.of(), List.of()).encode();
        byte[] messageThree = framed(initiator.writeMessage(payload));
        CipherState sender = initiator.split()[0];
        byte[] early = "sent right behind message 3".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = new byte[early.length + 16];
        sender.encryptWithAd(null, early, 0, early.length, sealed, 0);

        java.io.ByteArrayOutputStream oneWrite = new java.io.ByteArrayOutputStream();
        oneWrite.writeBytes(messageThree);
        oneWrite.writeBytes(framed(sealed));
        wire.output().write(oneWrite.toByteArray());

        SecureConnection connection = await(responder);
        assertEquals(alice.peerId(), connection.remotePeer());
        assertArrayEquals(early, connection.input().readNBytes(early.length));
    }

    @Test
    void aStreamThatEndsInsideAHandshakeMessageFailsWithHandshakeException() throws Exception {
        byte[] truncatedMessageOne = Arrays.copyOf(framed(new byte[32]), 2 + 17);
        HandshakeException responder = assertThrows(HandshakeException.class,
                () -> new NoiseSecureChannel(bob).secureInbound(scripted(truncatedMessageOne)));
        assertTrue(responder.getMessage().contains("17 of 32 bytes"), responder.getMessage());

        assertThrows(HandshakeException.class,
                () -> new NoiseSecureChannel(bob).secureInbound(scripted(new byte[] {0})));
        assertThrows(HandshakeException.class,
                () -> new NoiseSecureChannel(alice).secureOutbound(scripted(new byte[] {0, (byte) 200, 1, 2}), null));
        assertThrows(HandshakeException.class,
                () -> new NoiseSecureChannel(alice).secureOutbound(scripted(new byte[0]), null));
    }

    @Test
    void aMessageOneShorterThanAnEphemeralKeyIsRejected() {
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> new NoiseSecureChannel(bob).secureInbound(scripted(framed(new byte[31]))));
        assertTrue(e.getMessage().contains("too short (31 < 32 bytes)"), e.getMessage());
    }

    @Test
    void aPayloadTooLargeForOneNoiseMessageFailsTheHandshake() {
        List<String> muxers = java.util.stream.IntStream.range(0, 700)
                .mapToObj(i -> "/muxer/" + "x".repeat(90) + i).toList();
        MemoryPipe pipe = MemoryPipe.create(NoisePeers.PIPE_CAPACITY);
        inBackground(() -> new NoiseSecureChannel(bob).secureInbound(pipe.right()));
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> new NoiseSecureChannel(alice).withMuxers(muxers).secureOutbound(pipe.left(), null));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
    }

    @Test
    void aStalledResponderMakesTheInitiatorTimeOut() {
        MemoryPipe pipe = MemoryPipe.create(NoisePeers.PIPE_CAPACITY); // nobody answers on the right end
        NoiseSecureChannel initiator = new NoiseSecureChannel(alice).withHandshakeTimeout(Duration.ofMillis(50));

        HandshakeException e =
                assertThrows(HandshakeException.class, () -> initiator.secureOutbound(pipe.left(), null));

        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertInstanceOf(SocketTimeoutException.class, e.getCause());
    }

    @Test
    void anInitiatorThatStallsAfterMessageOneMakesTheResponderTimeOut() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(NoisePeers.PIPE_CAPACITY);
        HandshakeState initiator = new HandshakeState(true, new byte[0], HandshakeState.generatePrivateKey());
        pipe.left().output().write(framed(initiator.writeMessage(new byte[0])));
        NoiseSecureChannel responder = new NoiseSecureChannel(bob).withHandshakeTimeout(Duration.ofMillis(50));

        HandshakeException e = assertThrows(HandshakeException.class, () -> responder.secureInbound(pipe.right()));

        assertTrue(e.getMessage().contains("timed out"), e.getMessage()); // at message 2 or 3: the deadline is short
        assertInstanceOf(SocketTimeoutException.class, e.getCause());
    }

    @Test
    void differentProloguesFailTheHandshake() throws Exception {
        Exception e = assertThrows(Exception.class, () -> handshake(
                new NoiseSecureChannel(alice).withPrologue("a".getBytes(StandardCharsets.UTF_8)),
                new NoiseSecureChannel(bob).withPrologue("b".getBytes(StandardCharsets.UTF_8)), null));
        assertInstanceOf(HandshakeException.class, e);
    }

    @Test
    void matchingNonEmptyProloguesAndFixedStaticKeysWork() throws Exception {
        byte[] prologue = "weft".getBytes(StandardCharsets.UTF_8);
        var pair = handshake(
                new NoiseSecureChannel(alice).withPrologue(prologue).withStaticKey(HandshakeState.generatePrivateKey()),
                new NoiseSecureChannel(bob).withPrologue(prologue).withStaticKey(HandshakeState.generatePrivateKey()),
                bob.peerId());
        assertRoundTrip(pair.initiator(), pair.responder(), "prologue");
    }

    @Test
    void earlyMuxerNegotiationPicksTheFirstOfTheInitiatorsMuxersThatTheResponderSupports() throws Exception {
        assertMuxer(List.of(MPLEX, YAMUX), List.of(YAMUX, MPLEX), Optional.of(MPLEX));
        assertMuxer(List.of(YAMUX, MPLEX), List.of(MPLEX, YAMUX), Optional.of(YAMUX));
        assertMuxer(List.of("/other/1", YAMUX), List.of(YAMUX), Optional.of(YAMUX));
    }

    @Test
    void earlyMuxerNegotiationWithoutOverlapFallsBackToMultistreamOnBothSides() throws Exception {
        assertMuxer(List.of(YAMUX), List.of(MPLEX), Optional.empty());
    }

    @Test
    void earlyMuxerNegotiationWithAnEmptyListOnEitherSideFallsBackToMultistream() throws Exception {
        assertMuxer(List.of(), List.of(YAMUX), Optional.empty());
        assertMuxer(List.of(YAMUX), List.of(), Optional.empty());
        assertMuxer(List.of(), List.of(), Optional.empty());
    }

    @Test
    void aSixteenMebibyteWriteRoundTrips() throws Exception {
        var pair = handshake(new NoiseSecureChannel(alice), new NoiseSecureChannel(bob), null);
        byte[] data = new byte[16 * 1024 * 1024];
        new java.util.Random(7).nextBytes(data);
        CompletableFuture<Void> writer = inBackground(() -> {
            pair.initiator().output().write(data);
            pair.initiator().output().flush();
            return null;
        });
        byte[] received = pair.responder().input().readNBytes(data.length);
        await(writer);
        assertArrayEquals(data, received);
    }

    private void assertMuxer(List<String> initiatorMuxers, List<String> responderMuxers, Optional<String> expected)
            throws Exception {
        var pair = handshake(new NoiseSecureChannel(alice).withMuxers(initiatorMuxers),
                new NoiseSecureChannel(bob).withMuxers(responderMuxers), bob.peerId());
        assertEquals(expected, pair.initiator().negotiatedMuxer(), "initiator " + initiatorMuxers);
        assertEquals(expected, pair.responder().negotiatedMuxer(), "responder " + responderMuxers);
    }

    private static void assertRoundTrip(SecureConnection from, SecureConnection to, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        from.output().write(bytes);
        from.output().flush();
        assertArrayEquals(bytes, to.input().readNBytes(bytes.length));
    }

    private static int payloadLength(PrivateKey identity) {
        return new HandshakePayload(identity.publicKey().marshal(), new byte[64], List.of(), List.of())
                .encode().length;
    }

    /** The failures (or null) of both sides when one bit of byte {@code index} of handshake message {@code n} flips. */
    private record Tampered(Exception initiatorFailure, Exception responderFailure, List<Integer> lengths) {}

    /**
     * Runs alice (initiator) and bob (responder) through a relay that forwards the three framed handshake messages
     * and flips bit {@code index % 8} of byte {@code index} of message {@code target}'s body.
     */
    private Tampered tamper(int target, int index) throws Exception {
        MemoryPipe toInitiator = MemoryPipe.create(NoisePeers.PIPE_CAPACITY);
        MemoryPipe toResponder = MemoryPipe.create(NoisePeers.PIPE_CAPACITY);
        CompletableFuture<SecureConnection> initiator =
                inBackground(() -> new NoiseSecureChannel(alice).secureOutbound(toInitiator.left(), bob.peerId()));
        CompletableFuture<SecureConnection> responder =
                inBackground(() -> new NoiseSecureChannel(bob).secureInbound(toResponder.right()));
        DuplexStream initiatorSide = toInitiator.right();
        DuplexStream responderSide = toResponder.left();
        List<Integer> lengths = new java.util.ArrayList<>();
        try {
            for (int message = 1; message <= 3; message++) {
                DuplexStream from = message % 2 == 1 ? initiatorSide : responderSide;
                DuplexStream to = message % 2 == 1 ? responderSide : initiatorSide;
                byte[] header = from.input().readNBytes(2);
                if (header.length < 2) {
                    break; // that side gave up
                }
                byte[] body = from.input().readNBytes((header[0] & 0xFF) << 8 | (header[1] & 0xFF));
                lengths.add(body.length);
                if (message == target) {
                    body[index] ^= (byte) (1 << (index % 8));
                }
                to.output().write(header);
                to.output().write(body);
            }
        } catch (IOException closed) {
            // a side failed and closed its end
        }
        Exception initiatorFailure = failure(initiator);
        initiatorSide.close();
        responderSide.close();
        return new Tampered(initiatorFailure, failure(responder), lengths);
    }

    private static Exception failure(CompletableFuture<SecureConnection> side) {
        try {
            await(side);
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
