package weft.transport.webrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SctpPacketTest {
    private static final HexFormat HEX = HexFormat.of();

    /** pion/sctp packet_test.go: a header-only packet, ports 5000, tag 0, CRC32c 0x06a900e1 as sent. */
    private static final byte[] HEADER_ONLY = HEX.parseHex("1388138800000000" + "06a900e1");

    /** pion/sctp packet_test.go: an INIT as a browser sends it (forward-TSN, supported extensions, AUTH params). */
    private static final byte[] BROWSER_INIT = HEX.parseHex("""
            13881388000000008146 9dfc01000056 55b964a5 00020000 04000800 e86d1030
            c0000004 80080009 c00fc180 82000000 80020024 9febbb5c 50c9bf75 9cb12c57 4fa45a51
            ba601778 27945c31 e65d5b09 47e22206 80040006 00010000 80030006 80c10000"""
            .replaceAll("\\s", ""));

    @Test
    void headerOnlyPacketMatchesPionChecksumBothWays() throws Exception {
        SctpPacket packet = SctpPacket.decode(HEADER_ONLY, HEADER_ONLY.length);
        assertEquals(5000, packet.sourcePort());
        assertEquals(5000, packet.destinationPort());
        assertEquals(0, packet.verificationTag());
        assertTrue(packet.chunks().isEmpty());
        assertArrayEquals(HEADER_ONLY, new SctpPacket(5000, 5000, 0, List.of()).encode());
    }

    @Test
    void browserInitDecodesWithItsFixedFieldsAndParameters() throws Exception {
        SctpPacket packet = SctpPacket.decode(BROWSER_INIT, BROWSER_INIT.length);
        Chunk.Init init = assertInstanceOf(Chunk.Init.class, packet.chunks().get(0));
        assertEquals(1, packet.chunks().size());
        assertEquals(0x55b964a5, init.initiateTag());
        assertEquals(0x20000, init.arwnd());
        assertEquals(1024, init.outboundStreams());
        assertEquals(2048, init.inboundStreams());
        assertEquals(0xe86d1030, init.initialTsn());
        assertEquals(List.of(0xC000, 0x8008, 0x8002, 0x8004, 0x8003),
                init.params().stream().map(Chunk.Param::type).toList());
        assertArrayEquals(HEX.parseHex("c00fc18082"), init.param(Chunk.Param.SUPPORTED_EXTENSIONS).orElseThrow());
    }

    @Test
    void aFlippedBitFailsTheCrc32c() {
        byte[] tampered = BROWSER_INIT.clone();
        tampered[40] ^= 0x10;
        SctpException e = assertThrows(SctpException.class, () -> SctpPacket.decode(tampered, tampered.length));
        assertTrue(e.getMessage().startsWith("sctp: bad crc32c"), e.getMessage());
    }

    @Test
    void dataChunkFlagsAndFieldsSurviveARoundTrip() throws Exception {
        Chunk.Data data = new Chunk.Data(true, true, false, 0xfffffffe, 7, 65535, 51, new byte[] {1, 2, 3});
        byte[] bytes = new SctpPacket(5000, 5000, 42, List.of(data)).encode();
        assertEquals(12 + 20, bytes.length); // 16-byte header + 3 bytes + 1 padding
        assertEquals(0x06, bytes[12 + 1]); // U and B
        Chunk.Data back = assertInstanceOf(Chunk.Data.class, SctpPacket.decode(bytes, bytes.length).chunks().get(0));
        assertEquals(data.tsn(), back.tsn());
        assertEquals(data.ssn(), back.ssn());
        assertEquals(data.ppid(), back.ppid());
        assertTrue(back.unordered() && back.beginning() && !back.ending());
        assertArrayEquals(data.payload(), back.payload());
    }

    @Test
    void chunkLongerThanThePacketIsRejected() {
        byte[] broken = BROWSER_INIT.clone();
        broken[12 + 2] = 0x7f;
        byte[] resealed = reseal(broken);
        assertThrows(SctpException.class, () -> SctpPacket.decode(resealed, resealed.length));
    }

    @Test
    void sackShorterThanItsBlockCountsIsRejected() {
        byte[] sack = new SctpPacket(5000, 5000, 1, List.of(new Chunk.Sack(5, 1000,
                List.of(new Chunk.GapBlock(2, 3)), List.of()))).encode();
        sack[12 + 12] = 0; // the gap block count: claim nine blocks
        sack[12 + 13] = 9;
        byte[] resealed = reseal(sack);
        assertThrows(SctpException.class, () -> SctpPacket.decode(resealed, resealed.length));
    }

    static byte[] reseal(byte[] packet) {
        java.nio.ByteBuffer.wrap(packet, 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(SctpPacket.checksum(packet, packet.length));
        return packet;
    }
}
