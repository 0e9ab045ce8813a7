package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import weft.crypto.KeyType;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.security.HandshakeException;
import weft.security.SecureConnection;
import weft.testing.MemoryPipe;

/**
 * The handshake payload a peer sends, fuzzed past the encryption: a scripted peer runs its half of Noise XX with
 * its own {@link HandshakeState}, so its messages authenticate, and carries the fuzzer's bytes as its payload
 * (message 3 to our responder, message 2 to our initiator). Our side decodes the protobuf, unmarshals the identity
 * key and checks the signature over the peer's static key; it may succeed or throw {@link HandshakeException},
 * nothing else, and must answer within {@link #BOUND}.
 *
 * <p>The peer's static and identity keys are fixed, so a seed payload with a valid signature stays valid and the
 * fuzzer can mutate what follows it (muxers, certhashes, unknown fields). It lives here rather than in
 * {@code weft.fuzz} because the scripted peer needs the package-private {@link HandshakeState}.
 */
class NoisePayloadFuzzTest {
    private static final long BOUND_SECONDS = 10;
    /** The largest payload that fits message 3: 65535 minus the encrypted static key and the payload's tag. */
    private static final int MAX_PAYLOAD = NoiseSecureChannel.MAX_MESSAGE_LENGTH - HandshakeState.ENCRYPTED_KEY_LENGTH
            - CipherState.TAG_LENGTH;
    /** The scripted peer's X25519 static key: fixed so that seed signatures over it stay valid. */
    static final byte[] PEER_STATIC_KEY =
            HexFormat.of().parseHex("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1");
    /** The scripted peer's identity: the peer-id spec's Ed25519 test vector. */
    static final PrivateKey PEER_IDENTITY = PrivateKey.unmarshal(HexFormat.of().parseHex("080112407e0830617c4a7de8"
            + "3925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d4"
            + "74fce27e"));
    private static final NoiseSecureChannel US =
            new NoiseSecureChannel(PrivateKey.generate(KeyType.ED25519)).withMuxers(List.of("/yamux/1.0.0"));

    /** Our responder reads the scripted initiator's message 3, whose payload is the fuzzer's. */
    @FuzzTest
    void responderReadsPayload(byte[] payload) throws Exception {
        if (payload.length > MAX_PAYLOAD) {
            return;
        }
        MemoryPipe pipe = MemoryPipe.create(128 * 1024);
        CompletableFuture<SecureConnection> ours = NoisePeers.inBackground(() -> US.secureInbound(pipe.left()));
        HandshakeState peer = new HandshakeState(true, new byte[0], PEER_STATIC_KEY);
        try {
            send(pipe.right(), peer.writeMessage(new byte[0]));
            peer.readMessage(receive(pipe.right()));
            send(pipe.right(), peer.writeMessage(payload));
        } catch (IOException ourSideGaveUp) {
            // checked below: our side must have failed with a HandshakeException
        }
        check(ours, pipe);
    }

    /** Our initiator reads the scripted responder's message 2, whose payload is the fuzzer's. */
    @FuzzTest
    void initiatorReadsPayload(byte[] payload) throws Exception {
        if (payload.length > MAX_PAYLOAD) {
            return;
        }
        MemoryPipe pipe = MemoryPipe.create(128 * 1024);
        CompletableFuture<SecureConnection> ours = NoisePeers.inBackground(() -> US.secureOutbound(pipe.left(), null));
        HandshakeState peer = new HandshakeState(false, new byte[0], PEER_STATIC_KEY);
        try {
            peer.readMessage(receive(pipe.right()));
            send(pipe.right(), peer.writeMessage(payload));
            peer.readMessage(receive(pipe.right())); // our message 3, sent only if we accepted the payload
        } catch (IOException ourSideGaveUp) {
            // checked below
        }
        check(ours, pipe);
    }

    private static void check(CompletableFuture<SecureConnection> ours, MemoryPipe pipe) throws Exception {
        try (SecureConnection connection = ours.get(BOUND_SECONDS, TimeUnit.SECONDS)) {
            assertEquals(PeerId.fromPublicKey(PEER_IDENTITY.publicKey()), connection.remotePeer());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof HandshakeException)) {
                throw new AssertionError("handshake failed with " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new AssertionError("handshake neither finished nor failed in " + BOUND_SECONDS + " s");
        } finally {
            pipe.left().close();
            pipe.right().close();
        }
    }

    /** {@code [u16 length][message]}, as the libp2p noise spec frames handshake messages. */
    private static void send(MemoryPipe.End end, byte[] message) throws IOException {
        OutputStream out = end.output();
        out.write(new byte[] {(byte) (message.length >>> 8), (byte) message.length});
        out.write(message);
        out.flush();
    }

    private static byte[] receive(MemoryPipe.End end) throws IOException {
        InputStream in = end.input();
        byte[] header = in.readNBytes(2);
        if (header.length < 2) {
            throw new IOException("ended before a message");
        }
        int length = (header[0] & 0xFF) << 8 | (header[1] & 0xFF);
        byte[] message = in.readNBytes(length);
        if (message.length < length) {
            throw new IOException("ended inside a message");
        }
        return message;
    }
}
