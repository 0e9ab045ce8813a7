package weft.transport.webrtc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import weft.ProtocolViolationException;

/**
 * The Data Channel Establishment Protocol (RFC 8832): how one side opens a data channel in band.
 *
 * <p>Section 5.1: DATA_CHANNEL_OPEN is "Message Type (0x03) | Channel Type | Priority | Reliability Parameter |
 * Label Length | Protocol Length | Label | Protocol"; section 5.2: DATA_CHANNEL_ACK is the single byte 0x02. Both
 * travel with SCTP payload protocol identifier 50 (RFC 8831 section 8) on the stream they open. libp2p opens every
 * stream as a reliable, ordered channel with an empty label (webrtc/README.md: "implementations MUST pass an empty
 * string"), and accepts any label.
 */
final class Dcep {
    /** RFC 8831 section 8: payload protocol identifiers. */
    static final int PPID_DCEP = 50;
    static final int PPID_STRING = 51;
    static final int PPID_BINARY = 53;
    static final int PPID_STRING_EMPTY = 56;
    static final int PPID_BINARY_EMPTY = 57;

    static final int OPEN = 0x03;
    static final int ACK = 0x02;
    /** Section 5.1: DATA_CHANNEL_RELIABLE. */
    static final int RELIABLE = 0x00;

    /** A decoded DATA_CHANNEL_OPEN. */
    record Open(int channelType, int priority, int reliability, String label, String protocol) {
        byte[] encode() {
            byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
            byte[] protocolBytes = protocol.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(12 + labelBytes.length + protocolBytes.length)
                    .put((byte) OPEN).put((byte) channelType).putShort((short) priority).putInt(reliability)
                    .putShort((short) labelBytes.length).putShort((short) protocolBytes.length)
                    .put(labelBytes).put(protocolBytes).array();
        }
    }

    /** The OPEN libp2p sends: reliable, ordered, priority 0, empty label and protocol. */
    static final Open LIBP2P_OPEN = new Open(RELIABLE, 0, 0, "", "");

    private Dcep() {
    }

    static byte[] ack() {
        return new byte[] {ACK};
    }

    /** Decodes an OPEN; the caller has checked the first byte. */
    static Open decodeOpen(byte[] message) throws ProtocolViolationException {
        if (message.length < 12) {
            throw new ProtocolViolationException("webrtc: data channel open too short (" + message.length
                    + " < 12 bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(message);
        in.get();
        int channelType = in.get() & 0xff;
        int priority = in.getShort() & 0xffff;
        int reliability = in.getInt();
        int labelLength = in.getShort() & 0xffff;
        int protocolLength = in.getShort() & 0xffff;
        if (labelLength + protocolLength != in.remaining()) {
            throw new ProtocolViolationException("webrtc: data channel open lengths (" + labelLength + " + "
                    + protocolLength + ") do not match its " + in.remaining() + " bytes");
        }
        String label = new String(message, 12, labelLength, StandardCharsets.UTF_8);
        String protocol = new String(message, 12 + labelLength, protocolLength, StandardCharsets.UTF_8);
        return new Open(channelType, priority, reliability, label, protocol);
    }
}
