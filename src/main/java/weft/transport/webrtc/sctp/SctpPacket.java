package weft.transport.webrtc.sctp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One SCTP packet: the common header and its chunks (RFC 9260 section 3).
 *
 * <pre>
 * |     Source Port Number        |     Destination Port Number   |
 * |                      Verification Tag                         |
 * |                           Checksum                            |
 * |                      Chunk #1 ... Chunk #n                    |
 * </pre>
 *
 * <p>The checksum is CRC32c (section 6.8, Appendix A) over the whole packet with the checksum field zeroed. The
 * Appendix A reference code stores the CRC's low byte first, so the four bytes go on the wire little-endian.
 * WebRTC runs SCTP over DTLS (RFC 8261) with port 5000 on both sides (RFC 8841 section 5, the SDP default
 * {@code a=sctp-port:5000}).
 */
record SctpPacket(int sourcePort, int destinationPort, int verificationTag, List<Chunk> chunks) {
    static final int HEADER_LENGTH = 12;
    /** RFC 8841 section 5: "If the SDP sctp-port attribute is not present, the default value is 5000." */
    static final int WEBRTC_PORT = 5000;

    /** The encoded packet, checksum included. */
    byte[] encode() {
        int length = HEADER_LENGTH;
        for (Chunk chunk : chunks) {
            length += Chunk.paddedLength(chunk);
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.putShort((short) sourcePort).putShort((short) destinationPort).putInt(verificationTag).putInt(0);
        chunks.forEach(c -> Chunk.write(c, out));
        byte[] bytes = out.array();
        ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(checksum(bytes, bytes.length));
        return bytes;
    }

    /** Decodes a packet after checking its CRC32c; a packet that fails the check is never looked at further. */
    static SctpPacket decode(byte[] bytes, int length) throws SctpException {
        if (length < HEADER_LENGTH) {
            throw new SctpException("sctp: packet shorter than the common header (" + length + " < 12 bytes)");
        }
        int sent = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int computed = checksum(bytes, length);
        if (sent != computed) {
            throw new SctpException("sctp: bad crc32c (0x" + Integer.toHexString(sent) + " != 0x"
                    + Integer.toHexString(computed) + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        int source = in.getShort() & 0xffff;
        int destination = in.getShort() & 0xffff;
        int tag = in.getInt();
        in.getInt();
        List<Chunk> chunks = new ArrayList<>();
        while (in.hasRemaining()) {
            chunks.add(Chunk.read(in));
        }
        return new SctpPacket(source, destination, tag, List.copyOf(chunks));
    }

    /** CRC32c of {@code bytes[0, length)} with the checksum field (bytes 8..11) taken as zeros. */
    static int checksum(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 8);
        crc.update(new byte[4]);
        crc.update(bytes, HEADER_LENGTH, length - HEADER_LENGTH);
        return (int) crc.getValue();
    }
}
