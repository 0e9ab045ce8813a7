package weft.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519KeyTest {
    private static final HexFormat HEX = HexFormat.of();
    /** peer-ids spec, "Test vectors". */
    private static final byte[] PRIVATE = HEX.parseHex("080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9d"
            + "a60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
    private static final byte[] PUBLIC =
            HEX.parseHex("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");

    @Test
    void specVectorsRoundTripByteForByteAndBelongTogether() {
        PrivateKey priv = PrivateKey.unmarshal(PRIVATE);
        PublicKey pub = PublicKey.unmarshal(PUBLIC);
        assertEquals(KeyType.ED25519, priv.type());
        assertArrayEquals(PRIVATE, priv.marshal());
        assertArrayEquals(PUBLIC, pub.marshal());
        assertEquals(pub, priv.publicKey());
        assertEquals("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", priv.peerId().toBase58());
    }

    @Test
    void rfc8032TestVector1SignsToTheKnownSignature() {
        // RFC 8032 §7.1 TEST 1: empty message.
        byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] pub = HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] sig = HEX.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33ba"
                + "cc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
        assertArrayEquals(pub, key.publicKey().raw());
        assertArrayEquals(sig, key.sign(new byte[0]));
        assertTrue(key.publicKey().verify(new byte[0], sig));
    }

    @Test
    void signaturesInteroperateWithTheJdkProvider() throws Exception {
        PrivateKey key = PrivateKey.generate();
        byte[] data = "Libp2p is the _best_!".getBytes(StandardCharsets.UTF_8);
        // The JDK reads an Ed25519 key as X.509: a fixed 12-byte prefix (RFC 8410) and the 32 raw bytes.
        byte[] spki = HEX.parseHex("302a300506032b6570032100" + HEX.formatHex(key.publicKey().raw()));
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(spki)));
        jdk.update(data);
        assertTrue(jdk.verify(key.sign(data)));
    }

    @Test
    void signatureVerifiesOnlyForTheSignedDataAndKey() {
        PrivateKey key = PrivateKey.generate();
        byte[] data = "Libp2p is the _best_!".getBytes(StandardCharsets.UTF_8);
        byte[] sig = key.sign(data);
        assertEquals(64, sig.length);
        assertTrue(key.publicKey().verify(data, sig));
        assertFalse(key.publicKey().verify("other".getBytes(StandardCharsets.UTF_8), sig));
        assertFalse(PrivateKey.generate().publicKey().verify(data, sig));
        sig[10] ^= 1;
        assertFalse(key.publicKey().verify(data, sig));
    }

    @Test
    void malformedSignaturesAreFalseNotExceptions() {
        PublicKey pub = PublicKey.unmarshal(PUBLIC);
        assertFalse(pub.verify(new byte[1], new byte[0]));
        assertFalse(pub.verify(new byte[1], new byte[63]));
        assertFalse(pub.verify(new byte[1], new byte[65]));
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xFF);
        assertFalse(pub.verify(new byte[1], ones));
    }

    @Test
    void legacy96ByteFormIsReadAndWrittenBackAs64Bytes() {
        byte[] data = Arrays.copyOfRange(PRIVATE, 4, 68);
        byte[] legacy = Arrays.copyOf(data, 96);
        System.arraycopy(data, 32, legacy, 64, 32);
        PrivateKey key = Ed25519PrivateKey.decode(legacy);
        assertArrayEquals(PRIVATE, key.marshal());
    }

    @Test
    void legacy96ByteFormWithDifferentPublicCopiesIsRejected() {
        byte[] data = Arrays.copyOfRange(PRIVATE, 4, 68);
        byte[] legacy = Arrays.copyOf(data, 96);
        System.arraycopy(data, 32, legacy, 64, 32);
        legacy[95] ^= 1;
        assertThrows(KeyFormatException.class, () -> Ed25519PrivateKey.decode(legacy));
    }

    @Test
    void privateKeyWhosePublicHalfIsNotItsOwnIsRejected() {
        byte[] tampered = PRIVATE.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(KeyFormatException.class, () -> PrivateKey.unmarshal(tampered));
    }

    @Test
    void wrongLengthsAreRejected() {
        assertThrows(KeyFormatException.class, () -> Ed25519PublicKey.decode(new byte[31]));
        assertThrows(KeyFormatException.class, () -> Ed25519PublicKey.decode(new byte[33]));
        assertThrows(KeyFormatException.class, () -> Ed25519PrivateKey.decode(new byte[32]));
        assertThrows(KeyFormatException.class, () -> Ed25519PrivateKey.decode(new byte[65]));
    }

    @Test
    void publicKeyThatIsNotACurvePointIsRejected() {
        // y = 2 is not the y-coordinate of any point on edwards25519 (x^2 = 3/(4d+1) has no root).
        byte[] notOnCurve = new byte[32];
        notOnCurve[0] = 2;
        assertThrows(KeyFormatException.class, () -> Ed25519PublicKey.decode(notOnCurve));
    }

    @Test
    void privateKeyToStringShowsThePeerIdNotTheSecret() {
        PrivateKey key = PrivateKey.unmarshal(PRIVATE);
        assertTrue(key.toString().contains("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"));
        assertFalse(key.toString().contains("7e0830617c"));
    }
}
