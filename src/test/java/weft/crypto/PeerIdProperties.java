package weft.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import weft.multiformats.Multibase;
import weft.multiformats.Multihash;

class PeerIdProperties {
    @Provide
    Arbitrary<PeerId> peerIds() {
        Arbitrary<PeerId> inline = Arbitraries.of(KeyType.ED25519, KeyType.SECP256K1)
                .map(type -> PeerId.fromPublicKey(PrivateKey.generate(type).publicKey()));
        Arbitrary<PeerId> hashed = Arbitraries.bytes().array(byte[].class).ofSize(32)
                .map(digest -> PeerId.fromBytes(Multihash.of(Multihash.SHA2_256, digest).encode()));
        return Arbitraries.oneOf(inline, hashed);
    }

    @Property(tries = 300)
    void textAndBytesRoundTrip(@ForAll("peerIds") PeerId id, @ForAll Multibase base) {
        assertEquals(id, PeerId.parse(id.toBase58()));
        assertEquals(id, PeerId.parse(id.toCid()));
        assertEquals(id, PeerId.parse(base.encode(Multibase.decode(id.toCid()))));
        assertEquals(id, PeerId.fromBytes(id.toBytes()));
        assertEquals(id.toBase58(), id.toString());
        id.publicKey().ifPresent(key -> assertArrayEquals(Multihash.identity(key.marshal()).encode(), id.toBytes()));
    }

    @Property
    void arbitraryBytesAreAPeerIdOrAKeyFormatException(@ForAll @Size(max = 80) byte[] bytes) {
        try {
            assertArrayEquals(bytes, PeerId.fromBytes(bytes).toBytes());
        } catch (KeyFormatException expected) {
            // the one typed failure
        }
    }

    @Property
    void arbitraryTextIsAPeerIdOrAKeyFormatException(@ForAll("texts") String text) {
        try {
            PeerId.parse(text);
        } catch (KeyFormatException expected) {
            // the one typed failure
        }
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(140);
        Arbitrary<String> likely = Arbitraries.strings()
                .withChars("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0=-_+/")
                .ofMaxLength(100);
        Arbitrary<String> prefixed = Arbitraries.of("1", "Qm", "12D3KooW", "b", "bafz", "z", "f0172", "F", "m", "u",
                "B").flatMap(prefix -> likely.map(rest -> prefix + rest));
        return Arbitraries.oneOf(anything, likely, prefixed);
    }
}
