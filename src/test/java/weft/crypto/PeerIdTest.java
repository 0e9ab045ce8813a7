package weft.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import weft.multiformats.Base58;
import weft.multiformats.Multibase;

class PeerIdTest {
    private static final HexFormat HEX = HexFormat.of();
    /** peer-ids spec, "Test vectors": the Ed25519 public key. */
    private static final byte[] ED25519_PUBLIC =
            HEX.parseHex("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
    private static final String ED25519_ID = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

    @Test
    void ed25519VectorHashesToItsKnownIdentityPeerId() {
        PeerId id = PeerId.fromPublicKey(PublicKey.unmarshal(ED25519_PUBLIC));
        assertEquals(ED25519_ID, id.toBase58());
        assertEquals(ED25519_ID, id.toString());
        byte[] expected = new byte[2 + ED25519_PUBLIC.length];
        expected[1] = (byte) ED25519_PUBLIC.length;
        System.arraycopy(ED25519_PUBLIC, 0, expected, 2, ED25519_PUBLIC.length);
        assertArrayEquals(expected, id.toBytes());
    }

    @Test
    void identityPeerIdCarriesItsPublicKey() {
        PeerId id = PeerId.parse(ED25519_ID);
        assertEquals(PublicKey.unmarshal(ED25519_PUBLIC), id.publicKey().orElseThrow());
        assertTrue(id.matches(PublicKey.unmarshal(ED25519_PUBLIC)));
        assertFalse(id.matches(PrivateKey.generate().publicKey()));
    }

    @Test
    void specSha256ExamplesParseInBothTextForms() {
        PeerId legacy = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        assertEquals("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", legacy.toBase58());
        assertTrue(legacy.publicKey().isEmpty());
        PeerId cid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        assertEquals("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", cid.toCid());
        assertEquals(PeerId.parse(cid.toBase58()), cid);
    }

    @Test
    void cidFormOfAnIdentityPeerIdRoundTripsAndStartsWithBafzaa() {
        PeerId id = PeerId.parse(ED25519_ID);
        String cid = id.toCid();
        assertTrue(cid.startsWith("bafzaa"), cid);
        assertEquals(id, PeerId.parse(cid));
    }

    @Test
    void cidInAnyMultibaseIsAccepted() {
        PeerId id = PeerId.parse(ED25519_ID);
        byte[] cid = Multibase.decode(id.toCid());
        for (Multibase base : Multibase.values()) {
            assertEquals(id, PeerId.parse(base.encode(cid)), base.name());
        }
    }

    @Test
    void cidWithAnotherCodecIsRejectedNamingTheCodec() {
        byte[] cid = Multibase.decode(PeerId.parse(ED25519_ID).toCid());
        cid[1] = 0x70; // dag-pb
        KeyFormatException e = assertThrows(KeyFormatException.class,
                () -> PeerId.parse(Multibase.BASE32.encode(cid)));
        assertTrue(e.getMessage().contains("0x70"), e.getMessage());
        assertTrue(e.getMessage().contains("libp2p-key"), e.getMessage());
    }

    @Test
    void cidVersionOtherThanOneIsRejected() {
        byte[] cid = Multibase.decode(PeerId.parse(ED25519_ID).toCid());
        cid[0] = 2;
        assertThrows(KeyFormatException.class, () -> PeerId.parse(Multibase.BASE32.encode(cid)));
    }

    @Test
    void multihashesOtherThanIdentityAndSha256AreRejected() {
        byte[] sha512 = new byte[66];
        sha512[0] = 0x13;
        sha512[1] = 64;
        assertThrows(KeyFormatException.class, () -> PeerId.fromBytes(sha512));
    }

    @Test
    void identityMultihashMustHoldAValidPublicKey() {
        byte[] garbage = {0x00, 0x03, 1, 2, 3};
        assertThrows(KeyFormatException.class, () -> PeerId.fromBytes(garbage));
        assertThrows(KeyFormatException.class, () -> PeerId.parse(Base58.encode(garbage)));
    }

    @Test
    void identityMultihashLongerThan42BytesIsRejected() {
        byte[] long43 = new byte[45];
        long43[1] = 43;
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> PeerId.fromBytes(long43));
        assertTrue(e.getMessage().contains("42"), e.getMessage());
    }

    @Test
    void textThatIsNeitherFormIsRejected() {
        for (String text : new String[] {"", "hello", "Qm0OIl", "12D3KooW", "x" + ED25519_ID, "bafzbeie5",
                "z" + "1".repeat(200)}) {
            assertThrows(KeyFormatException.class, () -> PeerId.parse(text), text);
        }
    }

    @Test
    void peerIdsAreEqualByMultihash() {
        PrivateKey key = PrivateKey.generate();
        PeerId a = PeerId.fromPublicKey(key.publicKey());
        PeerId b = PeerId.fromBytes(a.toBytes());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, PeerId.fromPublicKey(PrivateKey.generate().publicKey()));
        assertEquals(a, key.peerId());
    }

    @Test
    void toBytesReturnsACopy() {
        PeerId id = PeerId.parse(ED25519_ID);
        id.toBytes()[5] ^= 1;
        assertEquals(ED25519_ID, PeerId.fromBytes(id.toBytes()).toBase58());
    }
}
