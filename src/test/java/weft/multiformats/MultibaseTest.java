package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultibaseTest {
    private static final byte[] YES_MANI = "yes mani !".getBytes(StandardCharsets.US_ASCII);

    /** multiformats/multibase {@code tests/basic.csv}: "yes mani !" in each base. */
    @ParameterizedTest
    @CsvSource({
        "BASE16, f796573206d616e692021",
        "BASE16_UPPER, F796573206D616E692021",
        "BASE32, bpfsxgidnmfxgsibb",
        "BASE32_UPPER, BPFSXGIDNMFXGSIBB",
        "BASE36, k2lcpzo5yikidynfl",
        "BASE36_UPPER, K2LCPZO5YIKIDYNFL",
        "BASE58BTC, z7paNL19xttacUY",
        "BASE64, meWVzIG1hbmkgIQ",
        "BASE64URL, ueWVzIG1hbmkgIQ",
    })
    void encodesAndDecodesSpecVectors(Multibase base, String text) {
        assertEquals(text, base.encode(YES_MANI));
        assertArrayEquals(YES_MANI, Multibase.decode(text));
        assertEquals(base, Multibase.forPrefix(text.charAt(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "x1234", "f1", "fzz", "b1", "bpfsxgidnmfxgsib9", "bpf", "k!", "z0", "m*", "u+", "m====a"
    })
    void rejectsBadTextWithTheTypedException(String text) {
        assertThrows(MultiformatException.class, () -> Multibase.decode(text));
    }

    @Test
    void base32RejectsLengthsNoByteCountProduces() {
        assertThrows(MultiformatException.class, () -> Multibase.decode("baaa"));
    }

    @Test
    void emptyInputEncodesToThePrefixAlone() {
        for (Multibase base : Multibase.values()) {
            assertEquals(String.valueOf(base.prefix()), base.encode(new byte[0]));
            assertArrayEquals(new byte[0], Multibase.decode(String.valueOf(base.prefix())));
        }
    }
}
