package weft.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import weft.io.ProtobufWriter;

class KeyProperties {
    private static final Map<String, byte[]> SPEC = TestVectors.load("spec-vectors.txt");
    private static final Map<String, byte[]> GO = TestVectors.load("go-fixtures.txt");
    private static final List<byte[]> VALID = new ArrayList<>();

    static {
        VALID.addAll(SPEC.values());
        GO.forEach((name, bytes) -> {
            if (!name.endsWith(".sig")) {
                VALID.add(bytes);
            }
        });
    }

    @Property(tries = 200)
    void keysOfEveryFastTypeRoundTripAndSign(@ForAll("fastTypes") KeyType type, @ForAll byte[] data) {
        roundTripAndSign(PrivateKey.generate(type), data);
    }

    @Property(tries = 3)
    void rsaKeysRoundTripAndSign(@ForAll @Size(max = 100) byte[] data) {
        roundTripAndSign(PrivateKey.generate(KeyType.RSA), data);
    }

    private static void roundTripAndSign(PrivateKey key, byte[] data) {
        PrivateKey decoded = PrivateKey.unmarshal(key.marshal());
        assertEquals(key, decoded);
        assertArrayEquals(key.marshal(), decoded.marshal());
        PublicKey pub = PublicKey.unmarshal(key.publicKey().marshal());
        assertEquals(key.publicKey(), pub);
        assertEquals(key.publicKey().hashCode(), pub.hashCode());
        byte[] signature = decoded.sign(data);
        assertTrue(pub.verify(data, signature));
        byte[] other = data.clone();
        if (other.length == 0) {
            other = new byte[] {0};
        } else {
            other[0] ^= 1;
        }
        assertFalse(pub.verify(other, signature));
    }

    @Provide
    Arbitrary<KeyType> fastTypes() {
        return Arbitraries.of(KeyType.ED25519, KeyType.SECP256K1, KeyType.ECDSA);
    }

    @Property
    void arbitraryBytesAreAKeyOrAKeyFormatException(@ForAll @Size(max = 200) byte[] bytes) {
        decodeBoth(bytes);
    }

    @Property
    void arbitraryDataOfEveryTypeIsAKeyOrAKeyFormatException(
            @ForAll @IntRange(min = 0, max = 5) int type, @ForAll @Size(max = 200) byte[] data) {
        decodeBoth(new ProtobufWriter().varint(1, type).bytes(2, data).toByteArray());
    }

    @Property
    void damagedValidKeysAreAKeyOrAKeyFormatException(@ForAll("damagedKeys") byte[] bytes) {
        decodeBoth(bytes);
    }

    @Provide
    Arbitrary<byte[]> damagedKeys() {
        Arbitrary<byte[]> valid = Arbitraries.of(VALID);
        Arbitrary<byte[]> flipped = Combinators.combine(valid, Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(1, 255)).as((key, at, mask) -> {
                    byte[] copy = key.clone();
                    copy[at % copy.length] ^= mask.byteValue();
                    return copy;
                });
        Arbitrary<byte[]> truncated = Combinators.combine(valid, Arbitraries.integers().between(0, 10_000))
                .as((key, at) -> java.util.Arrays.copyOf(key, at % key.length));
        Arbitrary<byte[]> rewrapped = Combinators.combine(valid, Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(1, 255))
                .as((key, type, at, mask) -> { // the Data of one key, damaged, under any type
                    byte[] data = PrivateKeyData.of(key);
                    data[at % data.length] ^= mask.byteValue();
                    return new ProtobufWriter().varint(1, type).bytes(2, data).toByteArray();
                });
        return Arbitraries.oneOf(flipped, truncated, rewrapped);
    }

    @Property(tries = 300)
    void arbitrarySignaturesVerifyFalseWithoutThrowing(@ForAll("validPublicKeys") PublicKey key,
            @ForAll @Size(max = 600) byte[] signature, @ForAll @Size(max = 20) byte[] data) {
        assertFalse(key.verify(data, signature));
    }

    @Provide
    Arbitrary<PublicKey> validPublicKeys() {
        return Arbitraries.of(SPEC.get("ed25519-public-key"), SPEC.get("secp256k1-public-key"),
                SPEC.get("ecdsa-public-key"), SPEC.get("rsa-public-key"), GO.get("0.pub")).map(PublicKey::unmarshal);
    }

    private static void decodeBoth(byte[] bytes) {
        try {
            PublicKey key = PublicKey.unmarshal(bytes);
            assertArrayEquals(bytes, key.marshal()); // anything accepted is canonical
        } catch (KeyFormatException expected) {
            // the one typed failure
        }
        try {
            PrivateKey.unmarshal(bytes);
        } catch (KeyFormatException expected) {
            // the one typed failure
        }
    }

    /** The {@code Data} field of a valid key message. */
    private static final class PrivateKeyData {
        static byte[] of(byte[] message) {
            weft.io.ProtobufReader in = new weft.io.ProtobufReader(message);
            while (in.next()) {
                if (in.field() == 2) {
                    return in.readBytes();
                }
            }
            throw new AssertionError("no Data");
        }
    }
}
