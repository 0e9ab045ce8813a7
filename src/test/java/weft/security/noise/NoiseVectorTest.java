package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import weft.ProtocolViolationException;

/**
 * The cacophony test vector for {@code Noise_XX_25519_ChaChaPoly_SHA256}: fixed keys must give exactly the
 * handshake messages, handshake hash and transport messages of the vector (see the README beside the vector file).
 */
class NoiseVectorTest {
    private static final HexFormat HEX = HexFormat.of();
    private static String json;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = NoiseVectorTest.class.getResourceAsStream(
                "/weft/security/noise/cacophony-Noise_XX_25519_ChaChaPoly_SHA256.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] field(String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \"([0-9a-f]*)\"").matcher(json);
        assertTrue(m.find(), name);
        return HEX.parseHex(m.group(1));
    }

    private static List<byte[][]> messages() {
        Matcher m = Pattern.compile("\"payload\": \"([0-9a-f]*)\",\\s*\"ciphertext\": \"([0-9a-f]*)\"").matcher(json);
        List<byte[][]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new byte[][] {HEX.parseHex(m.group(1)), HEX.parseHex(m.group(2))});
        }
        return out;
    }

    private static HandshakeState initiator() {
        return new HandshakeState(true, field("init_prologue"), field("init_static"), field("init_ephemeral"));
    }

    private static HandshakeState responder() {
        return new HandshakeState(false, field("resp_prologue"), field("resp_static"), field("resp_ephemeral"));
    }

    @Test
    void vectorKeysProduceTheExactHandshakeAndTransportMessages() throws IOException {
        List<byte[][]> messages = messages();
        assertEquals(6, messages.size());
        HandshakeState init = initiator();
        HandshakeState resp = responder();

        for (int i = 0; i < 3; i++) {
            HandshakeState writer = i % 2 == 0 ? init : resp;
            HandshakeState reader = i % 2 == 0 ? resp : init;
            byte[] wire = writer.writeMessage(messages.get(i)[0]);
            assertArrayEquals(messages.get(i)[1], wire, "handshake message " + (i + 1));
            assertArrayEquals(messages.get(i)[0], reader.readMessage(wire), "payload " + (i + 1));
        }
        assertTrue(init.isComplete() && resp.isComplete());
        assertArrayEquals(field("handshake_hash"), init.handshakeHash());
        assertArrayEquals(field("handshake_hash"), resp.handshakeHash());
        assertArrayEquals(HandshakeState.publicKey(field("resp_static")), init.remoteStaticKey());
        assertArrayEquals(HandshakeState.publicKey(field("init_static")), resp.remoteStaticKey());

        CipherState[] initCs = init.split(); // initiator sends with [0], receives with [1]
        CipherState[] respCs = resp.split();
        for (int i = 3; i < messages.size(); i++) {
            boolean fromInitiator = i % 2 == 0;
            CipherState send = fromInitiator ? initCs[0] : respCs[1];
            CipherState receive = fromInitiator ? respCs[0] : initCs[1];
            byte[] plaintext = messages.get(i)[0];
            byte[] wire = new byte[plaintext.length + CipherState.TAG_LENGTH];
            send.encryptWithAd(null, plaintext, 0, plaintext.length, wire, 0);
            assertArrayEquals(messages.get(i)[1], wire, "transport message " + (i + 1));
            byte[] opened = new byte[plaintext.length];
            assertEquals(plaintext.length, receive.decryptWithAd(null, wire, 0, wire.length, opened, 0));
            assertArrayEquals(plaintext, opened);
        }
    }

    @Test
    void aFlippedBitInTheVectorsSecondMessageFailsTheInitiatorsRead() throws IOException {
        List<byte[][]> messages = messages();
        HandshakeState init = initiator();
        init.writeMessage(messages.get(0)[0]);
        for (int bit = 0; bit < messages.get(1)[1].length * 8; bit += 7) {
            HandshakeState fresh = initiator();
            fresh.writeMessage(messages.get(0)[0]);
            byte[] tampered = messages.get(1)[1].clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(weft.security.HandshakeException.class, () -> fresh.readMessage(tampered), "bit " + bit);
        }
    }

    @Test
    void aTransportMessageWithAFlippedBitFailsAuthenticationAndKeepsTheNonce() throws IOException {
        CipherState send = new CipherState();
        CipherState receive = new CipherState();
        byte[] key = new byte[32];
        send.initializeKey(key);
        receive.initializeKey(key);
        byte[] wire = new byte[5 + 16];
        send.encryptWithAd(null, "hello".getBytes(StandardCharsets.US_ASCII), 0, 5, wire, 0);
        wire[3] ^= 1;
        byte[] out = new byte[5];
        assertThrows(ProtocolViolationException.class, () -> receive.decryptWithAd(null, wire, 0, wire.length, out, 0));
        assertEquals(0, receive.nonce());
    }

    @Test
    void theLastNonceIsRefusedInBothDirections() throws IOException {
        CipherState send = new CipherState();
        CipherState receive = new CipherState();
        send.initializeKey(new byte[32]);
        receive.initializeKey(new byte[32]);
        send.setNonce(-2L); // 2^64-2: the last usable nonce
        receive.setNonce(-2L);
        byte[] wire = new byte[16];
        send.encryptWithAd(null, new byte[0], 0, 0, wire, 0);
        assertEquals(0, receive.decryptWithAd(null, wire, 0, 16, new byte[0], 0));
        assertThrows(NonceExhaustedException.class, () -> send.encryptWithAd(null, new byte[0], 0, 0, wire, 0));
        assertThrows(NonceExhaustedException.class, () -> receive.decryptWithAd(null, wire, 0, 16, new byte[0], 0));
    }
}
