package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultihashTest {
    @Test
    void sha256OfNothingIsTheKnownDigestBehindCode0x12AndLength32() {
        byte[] encoded = Multihash.sha256(new byte[0]).encode();
        assertEquals("1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(encoded));
        assertEquals(Multihash.sha256(new byte[0]), Multihash.decode(encoded));
    }

    @Test
    void identityInlinesAnEd25519PublicKeyAsThePeerIdsSpecSays() {
        byte[] key = HexFormat.of()
                .parseHex("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
        Multihash mh = Multihash.identity(key);
        assertEquals("0024" + HexFormat.of().formatHex(key), HexFormat.of().formatHex(mh.encode()));
        assertEquals(Multihash.IDENTITY, Multihash.decode(mh.encode()).code());
        assertArrayEquals(key, Multihash.decode(mh.encode()).digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "12", "1220", "1221" + "00", "122000", "d50110" + "00000000000000000000000000000000",
        "00030102", "000201", "1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85500", "8000",
        "ffffffffffffffffff0100"
    })
    void rejectsMalformedOrUnsupportedMultihashes(String hex) {
        assertThrows(MultiformatException.class, () -> Multihash.decode(HexFormat.of().parseHex(hex)));
    }

    @Test
    void sha256DigestMustBe32Bytes() {
        assertThrows(MultiformatException.class, () -> Multihash.of(Multihash.SHA2_256, new byte[31]));
    }
}
