package weft.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.List;
import weft.crypto.KeyType;
import weft.crypto.PrivateKey;
import weft.security.HandshakeException;
import weft.security.SecureConnection;
import weft.security.noise.NoiseSecureChannel;

/**
 * The Noise XX handshake fed the fuzzer's bytes as everything the remote sends, on each side. Both sides may only
 * fail with {@link HandshakeException}: a short or oversized frame, a truncated message, a low-order X25519 key, a
 * ciphertext that does not authenticate. (Random bytes never authenticate, so these targets cover framing and the
 * unencrypted {@code e} of messages 1 and 2; {@code weft.security.noise.NoisePayloadFuzzTest} gets past the
 * encryption with a scripted peer and fuzzes the payloads.)
 */
class NoiseFuzzTest {
    private static final NoiseSecureChannel CHANNEL =
            new NoiseSecureChannel(PrivateKey.generate(KeyType.ED25519)).withMuxers(List.of("/yamux/1.0.0"));

    @FuzzTest
    void responder(byte[] remoteSends) throws IOException {
        try (SecureConnection connection = CHANNEL.secureInbound(new PeerBytes(remoteSends))) {
            throw new AssertionError("handshake completed with unauthenticated bytes: " + connection);
        } catch (HandshakeException expected) {
            // the only way to refuse
        }
    }

    @FuzzTest
    void initiator(byte[] remoteSends) throws IOException {
        try (SecureConnection connection = CHANNEL.secureOutbound(new PeerBytes(remoteSends), null)) {
            throw new AssertionError("handshake completed with unauthenticated bytes: " + connection);
        } catch (HandshakeException expected) {
            // the only way to refuse
        }
    }
}
