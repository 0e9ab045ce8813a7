package weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import weft.crypto.KeyFormatException;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.crypto.PublicKey;

/**
 * The key and peer ID decoders: the public key protobuf a peer sends in its Noise handshake payload and in
 * identify, the private key protobuf of an identity file, and peer IDs in binary ({@code /p2p/} components) and
 * text (base58 or CIDv1).
 */
class CryptoFuzzTest {
    private static final byte[] MESSAGE = "weft fuzz".getBytes(StandardCharsets.UTF_8);

    @FuzzTest
    void publicKeyUnmarshal(byte[] data) {
        PublicKey key;
        try {
            key = PublicKey.unmarshal(data);
        } catch (KeyFormatException expected) {
            return;
        }
        assertArrayEquals(data, key.marshal(), "keys are deterministically encoded");
        assertEquals(key, PublicKey.unmarshal(key.marshal()));
        PeerId id = PeerId.fromPublicKey(key);
        assertTrue(id.matches(key));
    }

    @FuzzTest
    void privateKeyUnmarshal(byte[] data) {
        PrivateKey key;
        try {
            key = PrivateKey.unmarshal(data);
        } catch (KeyFormatException expected) {
            return;
        }
        assertEquals(key, PrivateKey.unmarshal(key.marshal()));
        assertTrue(key.publicKey().verify(MESSAGE, key.sign(MESSAGE)), "a decoded key signs what its public key verifies");
    }

    @FuzzTest
    void peerIdFromBytes(byte[] data) {
        PeerId id;
        try {
            id = PeerId.fromBytes(data);
        } catch (KeyFormatException expected) {
            return;
        }
        assertArrayEquals(data, id.toBytes());
        assertEquals(id, PeerId.parse(id.toBase58()));
        assertEquals(id, PeerId.parse(id.toCid()));
        id.publicKey().ifPresent(key -> assertTrue(id.matches(key)));
    }

    /** The text form, from the fuzzer's bytes as UTF-8 (so seeds are plain text files). */
    @FuzzTest
    void peerIdParse(byte[] data) {
        PeerId id;
        try {
            id = PeerId.parse(new String(data, StandardCharsets.UTF_8));
        } catch (KeyFormatException expected) {
            return;
        }
        assertEquals(id, PeerId.fromBytes(id.toBytes()));
        assertEquals(id, PeerId.parse(id.toBase58()));
    }
}
