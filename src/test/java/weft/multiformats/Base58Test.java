package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base58Test {
    /** Bitcoin Core {@code base58_encode_decode.json}, plus the peer-ids spec Ed25519 key. */
    @ParameterizedTest
    @CsvSource({
        "'', ''",
        "61, 2g",
        "626262, a3gV",
        "636363, aPEr",
        "73696d706c792061206c6f6e6720737472696e67, 2cFupjhnEsSn59qHXstmK2ffpLv2",
        "00eb15231dfceb60925886b67d065299925915aeb172c06647, 1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L",
        "516b6fcd0f, ABnLTmg",
        "bf4f89001e670274dd, 3SEo3LWLoPntC",
        "572e4794, 3EFU7m",
        "ecac89cad93923c02321, EJDM8drfXA6uyA",
        "10c8511e, Rt5zm",
        "00000000000000000000, 1111111111",
        "0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e,"
                + " 12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq",
    })
    void encodesAndDecodesKnownVectors(String hex, String text) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertEquals(text, Base58.encode(bytes));
        assertArrayEquals(bytes, Base58.decode(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "O", "I", "l", "abc+", "é", " 2g"})
    void rejectsCharactersOutsideTheAlphabet(String text) {
        assertThrows(MultiformatException.class, () -> Base58.decode(text));
    }

    @Test
    void keepsLeadingZeroBytesAsOnes() {
        assertArrayEquals(new byte[] {0, 0, 1}, Base58.decode("112"));
        assertEquals("112", Base58.encode(new byte[] {0, 0, 1}));
    }
}
