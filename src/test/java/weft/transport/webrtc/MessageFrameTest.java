package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.ProtocolViolationException;

class MessageFrameTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void finIsTheFlagFieldAloneBehindItsLength() {
        assertEquals("020800", HEX.formatHex(MessageFrame.flag(MessageFrame.Flag.FIN).encode()));
        assertEquals("020803", HEX.formatHex(MessageFrame.flag(MessageFrame.Flag.FIN_ACK).encode()));
    }

    @Test
    void dataIsFieldTwoBehindItsLength() {
        assertEquals("0412026869", HEX.formatHex(MessageFrame.data("hi".getBytes()).encode()));
    }

    @Test
    void theLargestDataFrameFitsTheSixteenKibLimit() {
        assertTrue(MessageFrame.data(new byte[MessageFrame.MAX_DATA]).encode().length <= 16 * 1024);
    }

    @Test
    void decoderJoinsFramesSplitAcrossMessagesAndSplitsFramesSharingOne() throws Exception {
        byte[] a = MessageFrame.data("hello".getBytes()).encode();
        byte[] b = MessageFrame.flag(MessageFrame.Flag.FIN).encode();
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        MessageFrame.Decoder decoder = new MessageFrame.Decoder();
        assertEquals(List.of(), decoder.feed(java.util.Arrays.copyOf(both, 3)));
        List<MessageFrame> frames = decoder.feed(java.util.Arrays.copyOfRange(both, 3, both.length));
        assertEquals(2, frames.size());
        assertArrayEquals("hello".getBytes(), frames.get(0).message());
        assertNull(frames.get(0).flag());
        assertEquals(MessageFrame.Flag.FIN, frames.get(1).flag());
    }

    @Test
    void aFrameLongerThanSixteenKibIsAViolation() {
        byte[] prefix = {(byte) 0x81, (byte) 0x80, 0x01}; // 16385
        assertThrows(ProtocolViolationException.class, () -> new MessageFrame.Decoder().feed(prefix));
    }

    @Test
    void anUnknownFlagValueIsIgnored() throws Exception {
        List<MessageFrame> frames = new MessageFrame.Decoder().feed(HEX.parseHex("020807"));
        assertNull(frames.get(0).flag());
    }
}
