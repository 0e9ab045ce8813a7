package weft.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RFC 6455 §5.7 examples, byte for byte, and every header a receiver must reject. */
class FrameTest {
    private static final long BOUND = WebSocketTransport.DEFAULT_MAX_FRAME_PAYLOAD;
    /** §5.7: the masking key of the masked examples. */
    private static final int KEY = 0x37fa213d;
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static Frame read(byte[] bytes, boolean fromClient) throws IOException {
        return Frame.read(new ByteArrayInputStream(bytes), fromClient, BOUND);
    }

    private static byte[] header(boolean fin, int opcode, boolean masked, int key, long length) {
        byte[] out = new byte[Frame.MAX_HEADER_BYTES];
        return Arrays.copyOf(out, Frame.writeHeader(out, 0, fin, opcode, masked, key, length));
    }

    @Test
    void aSingleFrameUnmaskedTextMessageIsTheRfcExample() throws IOException {
        // "0x81 0x05 0x48 0x65 0x6c 0x6c 0x6f (contains "Hello")"
        byte[] wire = hex("81 05 48656c6c6f");
        assertArrayEquals(Arrays.copyOf(wire, 2), header(true, Frame.TEXT, false, 0, 5));
        assertEquals(new Frame(true, Frame.TEXT, false, 0, 5), read(wire, false));
    }

    @Test
    void aSingleFrameMaskedTextMessageIsTheRfcExample() throws IOException {
        // "0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58 (contains "Hello")"
        byte[] wire = hex("81 85 37fa213d 7f9f4d5158");
        assertArrayEquals(Arrays.copyOf(wire, 6), header(true, Frame.TEXT, true, KEY, 5));
        assertEquals(new Frame(true, Frame.TEXT, true, KEY, 5), read(wire, true));
        byte[] payload = HELLO.clone();
        Frame.mask(payload, 0, payload.length, KEY, 0);
        assertArrayEquals(Arrays.copyOfRange(wire, 6, 11), payload);
    }

    @Test
    void aFragmentedUnmaskedTextMessageIsTheRfcExample() throws IOException {
        // "0x01 0x03 0x48 0x65 0x6c (contains "Hel")" then "0x80 0x02 0x6c 0x6f (contains "lo")"
        byte[] first = hex("01 03 48656c");
        byte[] second = hex("80 02 6c6f");
        assertArrayEquals(Arrays.copyOf(first, 2), header(false, Frame.TEXT, false, 0, 3));
        assertArrayEquals(Arrays.copyOf(second, 2), header(true, Frame.CONTINUATION, false, 0, 2));
        assertEquals(new Frame(false, Frame.TEXT, false, 0, 3), read(first, false));
        assertEquals(new Frame(true, Frame.CONTINUATION, false, 0, 2), read(second, false));
    }

    @Test
    void anUnmaskedPingAndAMaskedPongAreTheRfcExamples() throws IOException {
        // "0x89 0x05 0x48 0x65 0x6c 0x6c 0x6f", "0x8a 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58"
        byte[] ping = hex("89 05 48656c6c6f");
        byte[] pong = hex("8a 85 37fa213d 7f9f4d5158");
        assertArrayEquals(Arrays.copyOf(ping, 2), header(true, Frame.PING, false, 0, 5));
        assertArrayEquals(Arrays.copyOf(pong, 6), header(true, Frame.PONG, true, KEY, 5));
        assertTrue(read(ping, false).isControl());
        assertEquals(new Frame(true, Frame.PONG, true, KEY, 5), read(pong, true));
    }

    @Test
    void a256ByteBinaryMessageUsesTheTwoByteLength() throws IOException {
        // "0x82 0x7E 0x0100 [256 bytes of binary data]"
        byte[] wire = hex("82 7e 0100");
        assertArrayEquals(wire, header(true, Frame.BINARY, false, 0, 256));
        assertEquals(new Frame(true, Frame.BINARY, false, 0, 256), read(wire, false));
    }

    @Test
    void a64KiBBinaryMessageUsesTheEightByteLength() throws IOException {
        // "0x82 0x7F 0x0000000000010000 [65536 bytes of binary data]"
        byte[] wire = hex("82 7f 0000000000010000");
        assertArrayEquals(wire, header(true, Frame.BINARY, false, 0, 65536));
        assertEquals(new Frame(true, Frame.BINARY, false, 0, 65536), read(wire, false));
    }

    @ParameterizedTest(name = "{0} bytes: {1}-byte header")
    @CsvSource({"0, 2", "125, 2", "126, 4", "65535, 4", "65536, 10"})
    void theLengthUsesTheMinimalEncoding(long length, int headerBytes) {
        assertEquals(headerBytes, header(true, Frame.BINARY, false, 0, length).length);
        assertEquals(headerBytes + 4, header(true, Frame.BINARY, true, KEY, length).length);
    }

    @Test
    void maskingInPiecesEqualsMaskingAtOnce() {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        byte[] whole = data.clone();
        Frame.mask(whole, 0, whole.length, KEY, 0);
        byte[] pieces = data.clone();
        int[] cuts = {0, 1, 4, 7, 19, 64, 65, 500, 1000};
        for (int i = 0; i + 1 < cuts.length; i++) {
            Frame.mask(pieces, cuts[i], cuts[i + 1] - cuts[i], KEY, cuts[i]);
        }
        assertArrayEquals(whole, pieces);
        Frame.mask(pieces, 0, pieces.length, KEY, 0);
        assertArrayEquals(data, pieces);
    }

    @Test
    void theStreamEndingBeforeAHeaderIsNoFrame() throws IOException {
        assertNull(read(new byte[0], false));
        assertThrows(EOFException.class, () -> read(hex("82"), false));
        assertThrows(EOFException.class, () -> read(hex("82 7f 0000"), false));
        assertThrows(EOFException.class, () -> read(hex("82 85 37fa"), true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "reserved bit 1 set, c2 00, false, reserved bits",
        "reserved bit 3 set, 92 00, false, reserved bits",
        "opcode 3, 83 00, false, unknown opcode 0x3",
        "opcode 0xb, 8b 00, false, unknown opcode 0xb",
        "fragmented ping, 09 00, false, control frame",
        "ping of 126 bytes, 89 7e 007e, false, control frame",
        "unmasked frame from a client, 82 00, true, unmasked frame from a client",
        "masked frame from a server, 82 80 00000000, false, masked frame from a server",
        "64-bit length with the top bit set, 82 7f 8000000000000000, false, most significant bit",
    })
    void aHeaderBreakingARuleIsAProtocolError(String name, String wire, boolean fromClient, String message) {
        WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class, () -> read(hex(wire), fromClient));
        assertEquals(WebSocketProtocolException.PROTOCOL_ERROR, e.closeCode());
        assertTrue(e.getMessage().startsWith("websocket: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aPayloadOverTheBoundIsMessageTooBig() {
        WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class,
                () -> Frame.read(new ByteArrayInputStream(hex("82 7e 0401")), false, 1024));
        assertEquals(WebSocketProtocolException.MESSAGE_TOO_BIG, e.closeCode());
        assertEquals("websocket: frame payload too large (1025 > 1024 bytes)", e.getMessage());
    }
}
