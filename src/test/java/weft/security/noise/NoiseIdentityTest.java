package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.security.noise.NoisePeers.await;
import static weft.security.noise.NoisePeers.framed;
import static weft.security.noise.NoisePeers.inBackground;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.crypto.PrivateKey;
import weft.io.DuplexStream;
import weft.security.HandshakeException;
import weft.security.PeerIdMismatchException;
import weft.security.SecureConnection;
import weft.testing.MemoryPipe;

/**
 * Identity verification against a scripted peer that completes the Noise part correctly but sends a payload of
 * our choosing: "the receiver MUST verify the signature ... and terminate the handshake if it is invalid".
 */
@Timeout(30)
class NoiseIdentityTest {
    private final PrivateKey alice = PrivateKey.generate();
    private final PrivateKey bob = PrivateKey.generate();

    /** A payload for {@code staticKey}: built by {@code payload}, which gets the static public key. */
    private interface PayloadFor extends Function<byte[], byte[]> {}

    private PayloadFor valid(PrivateKey identity) {
        return staticKey -> new HandshakePayload(identity.publicKey().marshal(),
                identity.sign(NoiseHandshake.signedData(staticKey)), List.of(), List.of()).encode();
    }

    /** The responder's failure when a scripted initiator sends {@code payload} in message 3. */
    private Exception responderFailureFor(PayloadFor payload) throws Exception {
        MemoryPipe pipe = MemoryPipe.create(NoisePeers.PIPE_CAPACITY);
        CompletableFuture<SecureConnection> responder =
                inBackground(() -> new NoiseSecureChannel(bob).secureInbound(pipe.right()));
        DuplexStream wire = pipe.left();
        HandshakeState initiator = new HandshakeState(true, new byte[0], HandshakeState.generatePrivateKey());
        wire.output().write(framed(initiator.writeMessage(new byte[0])));
        initiator.readMessage(readFramed(wire));
        wire.output().write(framed(initiator.writeMessage(payload.apply(initiator.localStaticKey()))));
        return assertThrows(Exception.class, () -> await(responder));
    }

    /** The initiator's failure when a scripted responder sends {@code payload} in message 2. */
    private Exception initiatorFailureFor(PayloadFor payload) throws Exception {
        MemoryPipe pipe = MemoryPipe.create(NoisePeers.PIPE_CAPACITY);
        CompletableFuture<SecureConnection> initiator =
                inBackground(() -> new NoiseSecureChannel(alice).secureOutbound(pipe.left(), bob.peerId()));
        DuplexStream wire = pipe.right();
        HandshakeState responder = new HandshakeState(false, new byte[0], HandshakeState.generatePrivateKey());
        responder.readMessage(readFramed(wire));
        wire.output().write(framed(responder.writeMessage(payload.apply(responder.localStaticKey()))));
        return assertThrows(Exception.class, () -> await(initiator));
    }

    private static byte[] readFramed(DuplexStream wire) throws IOException {
        byte[] header = wire.input().readNBytes(2);
        return wire.input().readNBytes((header[0] & 0xFF) << 8 | (header[1] & 0xFF));
    }

    private static void assertHandshakeFailure(Exception e, String messagePart) {
        assertEquals(HandshakeException.class, e.getClass(), String.valueOf(e));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void aSignatureOverAnotherStaticKeyIsRejectedByBothRoles() throws Exception {
        PayloadFor otherKey = staticKey -> valid(alice).apply(HandshakeState.publicKey(
                HandshakeState.generatePrivateKey()));
        assertHandshakeFailure(responderFailureFor(otherKey), "signature over its static key is invalid");
        PayloadFor bobOtherKey = staticKey -> valid(bob).apply(HandshakeState.publicKey(
                HandshakeState.generatePrivateKey()));
        assertHandshakeFailure(initiatorFailureFor(bobOtherKey), "signature over its static key is invalid");
    }

    @Test
    void aSignatureByAnotherIdentityIsRejected() throws Exception {
        PayloadFor mixed = staticKey -> new HandshakePayload(alice.publicKey().marshal(),
                bob.sign(NoiseHandshake.signedData(staticKey)), List.of(), List.of()).encode();
        assertHandshakeFailure(responderFailureFor(mixed), "signature over its static key is invalid");
    }

    @Test
    void aPayloadWithoutSignatureOrKeyIsRejected() throws Exception {
        assertHandshakeFailure(responderFailureFor(staticKey -> new HandshakePayload(
                alice.publicKey().marshal(), null, List.of(), List.of()).encode()), "lacks the identity signature");
        assertHandshakeFailure(responderFailureFor(staticKey -> new byte[0]), "lacks the identity key");
    }

    @Test
    void anInvalidIdentityKeyIsRejected() throws Exception {
        PayloadFor badKey = staticKey -> new HandshakePayload(new byte[] {8, 1, 18, 3, 1, 2, 3}, new byte[64],
                List.of(), List.of()).encode();
        assertHandshakeFailure(responderFailureFor(badKey), "identity key is invalid");
    }

    @Test
    void aPayloadThatIsNotProtobufIsRejected() throws Exception {
        assertHandshakeFailure(responderFailureFor(staticKey -> new byte[] {(byte) 0xff, (byte) 0xff}),
                "malformed handshake payload");
    }

    @Test
    void aValidlySignedResponderWithTheWrongIdentityIsAPeerIdMismatch() throws Exception {
        Exception e = initiatorFailureFor(valid(alice)); // alice answers where bob was dialed
        PeerIdMismatchException mismatch = assertInstanceOf(PeerIdMismatchException.class, e);
        assertEquals(bob.peerId(), mismatch.expected());
        assertEquals(alice.peerId(), mismatch.actual());
    }
}
