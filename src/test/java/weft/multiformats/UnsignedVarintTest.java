package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnsignedVarintTest {
    /** multiformats/unsigned-varint README examples, and the 9-byte maximum. */
    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "1, 01",
        "127, 7f",
        "128, 8001",
        "255, ff01",
        "300, ac02",
        "16384, 808001",
        "9223372036854775807, ffffffffffffffff7f",
    })
    void encodesAndDecodesSpecExamples(long value, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertArrayEquals(bytes, UnsignedVarint.encode(value));
        assertEquals(value, UnsignedVarint.decode(bytes));
        assertEquals(bytes.length, UnsignedVarint.size(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8000", "ff00", "808000"})
    void rejectsNonMinimalEncodings(String hex) {
        assertThrows(MultiformatException.class, () -> UnsignedVarint.decode(HexFormat.of().parseHex(hex)));
    }

    @Test
    void rejectsATenthByte() {
        byte[] tooLong = HexFormat.of().parseHex("ffffffffffffffffff01");
        assertThrows(MultiformatException.class, () -> UnsignedVarint.decode(tooLong));
    }

    @Test
    void rejectsTruncatedAndTrailingBytes() {
        assertThrows(MultiformatException.class, () -> UnsignedVarint.decode(new byte[] {(byte) 0x80}));
        assertThrows(MultiformatException.class, () -> UnsignedVarint.decode(new byte[0]));
        assertThrows(MultiformatException.class, () -> UnsignedVarint.decode(new byte[] {1, 2}));
    }

    @Test
    void decodeAtOffsetReportsLength() {
        UnsignedVarint.Decoded d = UnsignedVarint.decode(new byte[] {9, (byte) 0xac, 0x02, 7}, 1, 4);
        assertEquals(300, d.value());
        assertEquals(2, d.length());
    }

    @Test
    void readTakesOnlyTheVarintFromAStream() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {(byte) 0xac, 0x02, 42});
        assertEquals(300, UnsignedVarint.read(in));
        assertEquals(42, in.read());
    }

    @Test
    void readReturnsMinusOneAtCleanEndAndThrowsEofInsideAVarint() throws IOException {
        assertEquals(-1, UnsignedVarint.read(new ByteArrayInputStream(new byte[0])));
        assertThrows(EOFException.class, () -> UnsignedVarint.read(new ByteArrayInputStream(new byte[] {(byte) 0x80})));
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UnsignedVarint.write(1L << 40, out);
        assertEquals(1L << 40, UnsignedVarint.read(new ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void negativeValuesAreACallerBug() {
        assertThrows(IllegalArgumentException.class, () -> UnsignedVarint.encode(-1));
    }
}
