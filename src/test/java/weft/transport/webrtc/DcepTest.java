package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import weft.ProtocolViolationException;

class DcepTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8832 section 5.1 layout: type 3, reliable (0), priority 0, reliability 0, empty label and protocol. */
    @Test
    void libp2pOpenIsAReliableOrderedChannelWithAnEmptyLabel() {
        assertEquals("030000000000000000000000", HEX.formatHex(Dcep.LIBP2P_OPEN.encode()));
    }

    @Test
    void openWithALabelAndProtocolDecodes() throws Exception {
        Dcep.Open open = Dcep.decodeOpen(HEX.parseHex("03000100" + "00000000" + "0003" + "0002" + "616263" + "7870"));
        assertEquals(new Dcep.Open(0, 256, 0, "abc", "xp"), open);
    }

    @Test
    void openWhoseLengthsDisagreeWithItsSizeIsAViolation() {
        assertThrows(ProtocolViolationException.class,
                () -> Dcep.decodeOpen(HEX.parseHex("030000000000000000050000" + "6162")));
    }
}
