package weft.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.multiformats.Multihash;

/**
 * The peer-ids spec's key vectors, and go-libp2p's {@code core/crypto/test_data} fixtures (a key pair and a
 * signature of "Libp2p is the _best_!" per type).
 */
class KeyVectorsTest {
    private static final Map<String, byte[]> SPEC = TestVectors.load("spec-vectors.txt");
    private static final Map<String, byte[]> GO = TestVectors.load("go-fixtures.txt");
    private static final byte[] GO_MESSAGE = "Libp2p is the _best_!".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @CsvSource({
        "ed25519,   ED25519,   12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq",
        "secp256k1, SECP256K1, 16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY",
        "ecdsa,     ECDSA,     QmVMT29id3TUASyfZZ6k9hmNyc2nYabCo4uMSpDw4zrgDk",
        "rsa,       RSA,       ''"
    })
    void specVectorsRoundTripByteForByteAndDeriveTheirPeerId(String name, KeyType type, String peerId) {
        byte[] privateBytes = SPEC.get(name + "-private-key");
        byte[] publicBytes = SPEC.get(name + "-public-key");
        PrivateKey priv = PrivateKey.unmarshal(privateBytes);
        PublicKey pub = PublicKey.unmarshal(publicBytes);
        assertEquals(type, priv.type());
        assertEquals(type, pub.type());
        assertArrayEquals(privateBytes, priv.marshal());
        assertArrayEquals(publicBytes, pub.marshal());
        // "Implementations SHOULD check that they can produce the provided public key from the private key."
        assertEquals(pub, priv.publicKey());

        PeerId id = PeerId.fromPublicKey(pub);
        if (publicBytes.length <= 42) {
            assertArrayEquals(Multihash.identity(publicBytes).encode(), id.toBytes());
            assertEquals(pub, id.publicKey().orElseThrow());
        } else {
            assertArrayEquals(Multihash.sha256(publicBytes).encode(), id.toBytes());
            assertTrue(id.publicKey().isEmpty());
        }
        if (!peerId.isEmpty()) {
            assertEquals(peerId, id.toBase58());
        }
        assertEquals(id, PeerId.parse(id.toBase58()));
        assertEquals(id, PeerId.parse(id.toCid()));
        assertTrue(id.matches(pub));
    }

    @ParameterizedTest
    @CsvSource({"ed25519", "secp256k1", "ecdsa", "rsa"})
    void specVectorKeysSignAndVerify(String name) {
        PrivateKey priv = PrivateKey.unmarshal(SPEC.get(name + "-private-key"));
        PublicKey pub = PublicKey.unmarshal(SPEC.get(name + "-public-key"));
        byte[] signature = priv.sign(GO_MESSAGE);
        assertTrue(pub.verify(GO_MESSAGE, signature));
    }

    @ParameterizedTest
    @CsvSource({"0, RSA", "2, SECP256K1", "3, ECDSA"})
    void goFixturesRoundTripAndTheirSignaturesVerify(int code, KeyType type) {
        byte[] privateBytes = GO.get(code + ".priv");
        byte[] publicBytes = GO.get(code + ".pub");
        PrivateKey priv = PrivateKey.unmarshal(privateBytes);
        PublicKey pub = PublicKey.unmarshal(publicBytes);
        assertEquals(type, pub.type());
        assertArrayEquals(privateBytes, priv.marshal());
        assertArrayEquals(publicBytes, pub.marshal());
        assertEquals(pub, priv.publicKey());
        assertTrue(pub.verify(GO_MESSAGE, GO.get(code + ".sig")));
    }

    @ParameterizedTest
    @CsvSource({"0", "2"})
    void deterministicSignaturesMatchGoByteForByte(int code) {
        // go-libp2p's fixture test marks RSA (PKCS#1 v1.5) and secp256k1 (RFC 6979) as sigDeterministic.
        PrivateKey priv = PrivateKey.unmarshal(GO.get(code + ".priv"));
        assertArrayEquals(GO.get(code + ".sig"), priv.sign(GO_MESSAGE));
    }
}
