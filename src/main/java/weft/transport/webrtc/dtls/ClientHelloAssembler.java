package weft.transport.webrtc.dtls;

import java.util.BitSet;

/**
 * Puts together a ClientHello that arrives in fragments, before the cookie check, for one remote.
 *
 * <p>RFC 6347 section 4.2.3: "When transmitting the handshake message, the sender divides the message into a series
 * of N contiguous data ranges. These ranges MUST NOT be larger than max_handshake_message_len [...] the receiver
 * MUST buffer the received fragments until it has the complete message." Chromium's ClientHello (BoringSSL, with a
 * post-quantum key share: about 1.5 KB) does not fit its 1200-byte DTLS MTU, so it comes as two records in two
 * datagrams, both the first time and with the cookie. Bouncy Castle's stateless {@code DTLSVerifier} takes only a
 * ClientHello that is whole in one record ({@code DTLSReliableHandshake.readClientRequest}: "TODO Support the
 * possibility of a fragmented ClientHello datagram"), and dropped Chromium's silently.
 *
 * <p>{@link #add} therefore collects the fragments of the latest ClientHello (highest {@code message_seq}) and hands
 * back one record that holds it whole, with the header fields section 4.2.6 prescribes for the handshake hash
 * ("as if each handshake message had been sent as a single fragment": offset 0, fragment length = length), the
 * record version of the fragments and the record sequence number of the first fragment (section 4.2.1: the
 * HelloVerifyRequest reuses the ClientHello's). The verifier and the handshake read it as if it had come that way.
 *
 * <p>Bounds: one message per remote, at most {@link #MAX_LENGTH} bytes, kept only while the remote has no DTLS state
 * (the listener admitted it with a valid STUN check first). Anything else is ignored, never thrown: this reads
 * unauthenticated input. Not thread-safe: the listener's socket loop is its only caller.
 */
public final class ClientHelloAssembler {
    /** RFC 6347 section 4.1: type, version, epoch, sequence_number, length. */
    private static final int RECORD_HEADER = 13;
    /** RFC 6347 section 4.2.2: msg_type, length, message_seq, fragment_offset, fragment_length. */
    private static final int HANDSHAKE_HEADER = 12;
    /**
     * The record plaintext limit, 2^14 (RFC 6347 section 4.3.1; Bouncy Castle's {@code MAX_FRAGMENT_LENGTH}, which
     * its verifier enforces), less the handshake header: the longest ClientHello we put together.
     */
    static final int MAX_LENGTH = (1 << 14) - HANDSHAKE_HEADER;
    private static final int CONTENT_HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;

    private int messageSeq = -1;
    private byte[] body;
    private BitSet received;
    private int receivedBytes;
    private int recordVersion;
    private long recordSeq;

    /**
     * Takes one datagram from a remote without DTLS state. Returns a datagram that holds a whole ClientHello in its
     * first record: {@code datagram} itself when it already does, an assembled one when this fragment completed a
     * message, otherwise null (fragments missing, or no ClientHello fragment at all).
     */
    public byte[] add(byte[] datagram) {
        for (int at = 0; at + RECORD_HEADER <= datagram.length; ) {
            int end = at + RECORD_HEADER + u16(datagram, at + 11);
            if (end > datagram.length) {
                return null;
            }
            if ((datagram[at] & 0xff) == CONTENT_HANDSHAKE && u16(datagram, at + 3) == 0) { // epoch 0: plaintext
                byte[] whole = fragment(datagram, at, end);
                if (whole != null) {
                    return whole;
                }
            }
            at = end;
        }
        return null;
    }

    /** One record's handshake fragment; the whole-message datagram when there is one, else null. */
    private byte[] fragment(byte[] datagram, int recordStart, int recordEnd) {
        int h = recordStart + RECORD_HEADER;
        if (recordEnd - h < HANDSHAKE_HEADER || (datagram[h] & 0xff) != CLIENT_HELLO) {
            return null;
        }
        int length = u24(datagram, h + 1);
        int seq = u16(datagram, h + 4);
        int offset = u24(datagram, h + 6);
        int fragmentLength = u24(datagram, h + 9);
        if (length > MAX_LENGTH || fragmentLength > recordEnd - h - HANDSHAKE_HEADER
                || offset + fragmentLength > length) {
            return null;
        }
        if (offset == 0 && fragmentLength == length) {
            reset();
            return recordStart == 0 ? datagram : whole(u16(datagram, recordStart + 1), u48(datagram, recordStart + 5),
                    seq, datagram, h + HANDSHAKE_HEADER, length);
        }
        if (seq < messageSeq) {
            return null; // a retransmission of a hello we already answered
        }
        if (seq > messageSeq || body == null || body.length != length) {
            messageSeq = seq;
            body = new byte[length];
            received = new BitSet(length);
            receivedBytes = 0;
            recordVersion = u16(datagram, recordStart + 1);
            recordSeq = u48(datagram, recordStart + 5);
        }
        if (offset == 0) {
            recordSeq = u48(datagram, recordStart + 5);
        }
        System.arraycopy(datagram, h + HANDSHAKE_HEADER, body, offset, fragmentLength);
        receivedBytes += fragmentLength - received.get(offset, offset + fragmentLength).cardinality();
        received.set(offset, offset + fragmentLength);
        if (receivedBytes < length) {
            return null;
        }
        byte[] whole = whole(recordVersion, recordSeq, seq, body, 0, length);
        reset();
        return whole;
    }

    /** A datagram of one record holding the ClientHello {@code src[bodyAt, bodyAt + length)} unfragmented. */
    private static byte[] whole(int version, long sequence, int messageSeq, byte[] src, int bodyAt, int length) {
        byte[] out = new byte[RECORD_HEADER + HANDSHAKE_HEADER + length];
        out[0] = CONTENT_HANDSHAKE;
        put(out, 1, version, 2);
        put(out, 3, 0, 2); // epoch
        put(out, 5, sequence, 6);
        put(out, 11, HANDSHAKE_HEADER + length, 2);
        out[RECORD_HEADER] = CLIENT_HELLO;
        put(out, RECORD_HEADER + 1, length, 3);
        put(out, RECORD_HEADER + 4, messageSeq, 2);
        put(out, RECORD_HEADER + 6, 0, 3); // fragment_offset
        put(out, RECORD_HEADER + 9, length, 3); // fragment_length
        System.arraycopy(src, bodyAt, out, RECORD_HEADER + HANDSHAKE_HEADER, length);
        return out;
    }

    private void reset() {
        body = null;
        received = null;
        receivedBytes = 0;
    }

    private static void put(byte[] out, int at, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out[at + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xff) << 16 | u16(b, at + 1);
    }

    private static long u48(byte[] b, int at) {
        return (long) u16(b, at) << 32 | (u16(b, at + 2) & 0xffffL) << 16 | u16(b, at + 4);
    }
}
