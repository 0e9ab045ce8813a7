package weft.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import weft.ProtocolViolationException;

class LengthPrefixedTest {
    @Test
    void writesTheLengthAsAVarintThenTheBytesInOneWrite() throws IOException {
        CountingOutput out = new CountingOutput();
        LengthPrefixed.write(out, "hello".getBytes());
        assertEquals("0568656c6c6f", HexFormat.of().formatHex(out.toByteArray()));
        assertEquals(1, out.writes);
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        LengthPrefixed.write(big, new byte[300]);
        assertEquals("ac02", HexFormat.of().formatHex(big.toByteArray(), 0, 2));
    }

    @Test
    void readsExactlyOneMessageAndLeavesTheRest() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(HexFormat.of().parseHex("0568656c6c6f0000ff"));
        assertArrayEquals("hello".getBytes(), LengthPrefixed.read(in, 8));
        assertArrayEquals(new byte[0], LengthPrefixed.read(in, 8));
        assertEquals(0, in.read());
        assertEquals(0xff, in.read());
    }

    @Test
    void returnsNullAtACleanEndOfStream() throws IOException {
        assertNull(LengthPrefixed.read(new ByteArrayInputStream(new byte[0]), 8));
    }

    @Test
    void throwsEofWhenTheStreamEndsInsideLengthOrMessage() {
        assertThrows(EOFException.class, () -> LengthPrefixed.read(stream("80"), 8));
        assertThrows(EOFException.class, () -> LengthPrefixed.read(stream("050102"), 8));
    }

    @Test
    void rejectsAMessageLongerThanTheLimitWithoutReadingIt() {
        ByteArrayInputStream in = new ByteArrayInputStream(HexFormat.of().parseHex("0901020304050607080900"));
        ProtocolViolationException e =
                assertThrows(ProtocolViolationException.class, () -> LengthPrefixed.read(in, 8));
        assertEquals("length-prefixed: message too long (9 > 8 bytes)", e.getMessage());
        assertEquals(1, in.read());
    }

    @Test
    void rejectsANonMinimalOrOverlongLength() {
        assertThrows(ProtocolViolationException.class, () -> LengthPrefixed.read(stream("8100"), 8));
        assertThrows(ProtocolViolationException.class, () -> LengthPrefixed.read(stream("ffffffffffffffffff01"), 8));
    }

    private static ByteArrayInputStream stream(String hex) {
        return new ByteArrayInputStream(HexFormat.of().parseHex(hex));
    }

    private static final class CountingOutput extends ByteArrayOutputStream {
        int writes;

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            super.write(b, off, len);
        }
    }
}
