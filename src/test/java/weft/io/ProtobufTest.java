package weft.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ProtobufTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void writerEncodesTheProtobufGuideExamples() {
        // protobuf "Encoding" guide: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
        assertArrayEquals(hex("089601"), new ProtobufWriter().varint(1, 150).toByteArray());
        assertArrayEquals(hex("120774657374696e67"), new ProtobufWriter().string(2, "testing").toByteArray());
        assertArrayEquals(hex("1a03089601"),
                new ProtobufWriter().message(3, new ProtobufWriter().varint(1, 150)).toByteArray());
    }

    @Test
    void negativeVarintTakesTenBytes() {
        byte[] bytes = new ProtobufWriter().varint(1, -1).toByteArray();
        assertEquals(11, bytes.length);
        ProtobufReader in = new ProtobufReader(bytes);
        assertTrue(in.next());
        assertEquals(-1, in.readVarint());
    }

    @Test
    void readerWalksFieldsInOrderAndSkipsUnknownOnes() {
        byte[] message = new ProtobufWriter()
                .varint(1, 7)
                .bytes(2, new byte[] {1, 2, 3})
                .string(3, "héllo")
                .bool(4, true)
                .toByteArray();
        byte[] withFixed = new byte[message.length + 14];
        System.arraycopy(message, 0, withFixed, 0, message.length);
        withFixed[message.length] = 0x2d; // field 5, I32
        withFixed[message.length + 5] = 0x31; // field 6, I64
        ProtobufReader in = new ProtobufReader(withFixed);
        assertTrue(in.next());
        assertEquals(1, in.field());
        assertEquals(ProtobufReader.VARINT, in.wireType());
        assertEquals(7, in.readVarint());
        assertTrue(in.next());
        assertArrayEquals(new byte[] {1, 2, 3}, in.readBytes());
        assertTrue(in.next());
        assertEquals("héllo", in.readString());
        assertTrue(in.next());
        assertTrue(in.readBool());
        assertTrue(in.next());
        assertEquals(5, in.field());
        assertEquals(ProtobufReader.I32, in.wireType());
        assertTrue(in.next()); // the I32 value is skipped without being read
        assertEquals(6, in.field());
        in.skip();
        assertFalse(in.next());
    }

    @Test
    void embeddedMessagesAreReadInPlace() {
        byte[] message = new ProtobufWriter().message(1, new ProtobufWriter().varint(2, 9)).varint(3, 1).toByteArray();
        ProtobufReader in = new ProtobufReader(message);
        assertTrue(in.next());
        ProtobufReader inner = in.readMessage();
        assertTrue(inner.next());
        assertEquals(2, inner.field());
        assertEquals(9, inner.readVarint());
        assertFalse(inner.next());
        assertTrue(in.next());
        assertEquals(3, in.field());
    }

    @Test
    void readerAcceptsNonMinimalVarintsAsProtobufDoes() {
        ProtobufReader in = new ProtobufReader(hex("088100"));
        assertTrue(in.next());
        assertEquals(1, in.readVarint());
    }

    @Test
    void malformedInputThrowsProtobufException() {
        for (String bad : new String[] {
            "08", // truncated varint value
            "80", // truncated tag
            "0880808080808080808080", // varint longer than 10 bytes
            "08ffffffffffffffffff02", // tenth byte carries more than the 64th bit
            "1205aabb", // length past the end
            "12ffffffffffffffff7f", // length overflows
            "0b", // group start (wire type 3)
            "0c", // group end (wire type 4)
            "0e", // wire type 6
            "00", // field 0
            "2d0102", // truncated I32
            "310102030405" // truncated I64
        }) {
            assertThrows(ProtobufException.class, () -> {
                ProtobufReader in = new ProtobufReader(hex(bad));
                while (in.next()) {
                    in.skip();
                }
            }, bad);
        }
    }

    @Test
    void readingTheWrongWireTypeThrowsProtobufException() {
        ProtobufReader in = new ProtobufReader(hex("0801"));
        in.next();
        assertThrows(ProtobufException.class, in::readBytes);
        ProtobufReader in2 = new ProtobufReader(hex("120101"));
        in2.next();
        assertThrows(ProtobufException.class, in2::readVarint);
    }

    @Test
    void invalidUtf8StringThrowsProtobufException() {
        ProtobufReader in = new ProtobufReader(hex("0a02c328"));
        in.next();
        assertThrows(ProtobufException.class, in::readString);
    }

    @Test
    void readingBeforeNextIsACallerBug() {
        ProtobufReader in = new ProtobufReader(hex("0801"));
        assertThrows(IllegalStateException.class, in::readVarint);
    }

    @Test
    void writerRejectsFieldNumbersOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new ProtobufWriter().varint(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ProtobufWriter().varint(1 << 29, 1));
    }
}
