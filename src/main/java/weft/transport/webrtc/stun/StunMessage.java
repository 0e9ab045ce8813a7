package weft.transport.webrtc.stun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One STUN message (RFC 8489, which obsoletes RFC 5389), decoded from a datagram or built to send.
 *
 * <p>RFC 8489 section 5: "All STUN messages comprise a 20-byte header followed by zero or more attributes. [...]
 * The most significant 2 bits of every STUN message MUST be zeroes. [...] The magic cookie field MUST contain the
 * fixed value 0x2112A442 in network byte order." Section 14: "Each STUN attribute MUST end on a 32-bit boundary"
 * (type, length, value, padding to four bytes; the length excludes the padding).
 *
 * <pre>
 *  0                   1                   2                   3
 * |0 0|     STUN Message Type     |         Message Length        |
 * |                         Magic Cookie                          |
 * |                     Transaction ID (96 bits)                  |
 * </pre>
 *
 * <p>A decoded message keeps its bytes, because MESSAGE-INTEGRITY and FINGERPRINT are computed over the message
 * as it was sent, with the header length rewritten to end at the attribute being checked (sections 14.5, 14.7).
 */
public final class StunMessage {
    static final int HEADER_LENGTH = 20;
    static final int MAGIC_COOKIE = 0x2112A442;

    /** Binding request, success response, error response, indication (RFC 8489 sections 5 and 18.1). */
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    public static final int BINDING_INDICATION = 0x0011;

    /** Attribute types: RFC 8489 section 18.3, RFC 8445 section 16.1 (ICE). */
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    /** RFC 8489 section 14.7: "the CRC-32 of the STUN message [...] XOR'ed with the 32-bit value 0x5354554e". */
    static final int FINGERPRINT_XOR = 0x5354554e;
    private static final int INTEGRITY_LENGTH = 20;

    /** One attribute; {@code offset} is where its header starts in the message bytes. */
    public record Attribute(int type, byte[] value, int offset) {
    }

    private final int type;
    private final byte[] transactionId;
    private final List<Attribute> attributes;
    private final byte[] bytes;

    private StunMessage(int type, byte[] transactionId, List<Attribute> attributes, byte[] bytes) {
        this.type = type;
        this.transactionId = transactionId;
        this.attributes = attributes;
        this.bytes = bytes;
    }

    /**
     * RFC 7983 section 7: a first byte in 0..3 means STUN (20..63 is DTLS). Plus the magic cookie, which RFC 8489
     * section 7.3 names as the way to tell STUN from other protocols on the same port.
     */
    public static boolean isStun(byte[] datagram, int length) {
        return length >= HEADER_LENGTH && (datagram[0] & 0xff) < 4
                && ByteBuffer.wrap(datagram, 4, 4).getInt() == MAGIC_COOKIE;
    }

    /** Decodes {@code datagram[0, length)}, which must be exactly one STUN message. */
    public static StunMessage decode(byte[] datagram, int length) throws StunException {
        if (length < HEADER_LENGTH) {
            throw new StunException("stun: datagram shorter than the header (" + length + " < 20 bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(datagram, 0, length);
        int type = in.getShort() & 0xffff;
        int bodyLength = in.getShort() & 0xffff;
        if ((type & 0xc000) != 0) {
            throw new StunException("stun: top two bits of the type must be zero (0x" + Integer.toHexString(type) + ")");
        }
        if (in.getInt() != MAGIC_COOKIE) {
            throw new StunException("stun: bad magic cookie");
        }
        if (bodyLength % 4 != 0 || HEADER_LENGTH + bodyLength != length) {
            throw new StunException("stun: length field " + bodyLength + " does not match the datagram ("
                    + length + " bytes)");
        }
        byte[] transactionId = new byte[12];
        in.get(transactionId);
        List<Attribute> attributes = new ArrayList<>();
        while (in.hasRemaining()) {
            int offset = in.position();
            if (in.remaining() < 4) {
                throw new StunException("stun: truncated attribute header at " + offset);
            }
            int attributeType = in.getShort() & 0xffff;
            int valueLength = in.getShort() & 0xffff;
            int padded = (valueLength + 3) & ~3;
            if (padded > in.remaining()) {
                throw new StunException("stun: attribute 0x" + Integer.toHexString(attributeType) + " runs past the end ("
                        + valueLength + " > " + in.remaining() + " bytes)");
            }
            byte[] value = new byte[valueLength];
            in.get(value);
            in.position(in.position() + padded - valueLength);
            attributes.add(new Attribute(attributeType, value, offset));
        }
        return new StunMessage(type, transactionId, List.copyOf(attributes),
                Arrays.copyOf(datagram, length));
    }

    public int type() {
        return type;
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    public List<Attribute> attributes() {
        return attributes;
    }

    /** The message as it travels. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The first attribute of {@code attributeType}. */
    public Optional<Attribute> attribute(int attributeType) {
        return attributes.stream().filter(a -> a.type() == attributeType).findFirst();
    }

    /** The USERNAME attribute as UTF-8 text (RFC 8489 section 14.3). */
    public Optional<String> username() {
        return attribute(USERNAME).map(a -> new String(a.value(), StandardCharsets.UTF_8));
    }

    /**
     * Checks MESSAGE-INTEGRITY with the short-term credential {@code password} (RFC 8489 section 9.1.1: the key is
     * the password itself). RFC 8489 section 14.5: "The text used as input to HMAC is the STUN message, up to and
     * including the attribute preceding the MESSAGE-INTEGRITY attribute. The Length field of the STUN message
     * header is adjusted to point to the end of the MESSAGE-INTEGRITY attribute."
     */
    public boolean hasValidIntegrity(byte[] password) {
        Optional<Attribute> integrity = attribute(MESSAGE_INTEGRITY);
        if (integrity.isEmpty() || integrity.get().value().length != INTEGRITY_LENGTH) {
            return false;
        }
        int offset = integrity.get().offset();
        byte[] expected = hmacSha1(password, bytes, offset, offset + 4 + INTEGRITY_LENGTH - HEADER_LENGTH);
        return MessageDigest.isEqual(expected, integrity.get().value());
    }

    /**
     * Checks FINGERPRINT, which RFC 8489 section 14.7 puts last: "the CRC-32 of the STUN message up to (but
     * excluding) the FINGERPRINT attribute itself, XOR'ed with the 32-bit value 0x5354554e".
     */
    public boolean hasValidFingerprint() {
        if (attributes.isEmpty()) {
            return false;
        }
        Attribute last = attributes.get(attributes.size() - 1);
        if (last.type() != FINGERPRINT || last.value().length != 4) {
            return false;
        }
        int expected = fingerprint(bytes, last.offset(), last.offset() + 8 - HEADER_LENGTH);
        return ByteBuffer.wrap(last.value()).getInt() == expected;
    }

    /** XOR-MAPPED-ADDRESS (RFC 8489 section 14.2), the address the peer saw this request come from. */
    public Optional<InetSocketAddress> xorMappedAddress() throws StunException {
        Optional<Attribute> attribute = attribute(XOR_MAPPED_ADDRESS);
        if (attribute.isEmpty()) {
            return Optional.empty();
        }
        byte[] value = attribute.get().value();
        int family = value.length >= 2 ? value[1] : -1;
        int addressLength = family == 1 ? 4 : family == 2 ? 16 : -1;
        if (addressLength < 0 || value.length != 4 + addressLength) {
            throw new StunException("stun: bad xor-mapped-address (family " + family + ", " + value.length + " bytes)");
        }
        byte[] mask = xorMask();
        int port = ((value[2] & 0xff) << 8 | (value[3] & 0xff)) ^ (MAGIC_COOKIE >>> 16);
        byte[] address = new byte[addressLength];
        for (int i = 0; i < addressLength; i++) {
            address[i] = (byte) (value[4 + i] ^ mask[i]);
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(address), port));
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes always make an address", e);
        }
    }

    private byte[] xorMask() {
        return ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
    }

    @Override
    public String toString() {
        return "stun type 0x" + Integer.toHexString(type) + " tx " + HexFormat.of().formatHex(transactionId)
                + " attributes " + attributes.stream().map(a -> Integer.toHexString(a.type())).toList();
    }

    /** A new message of {@code type}; add attributes, then {@link Builder#encode} with or without integrity. */
    public static Builder builder(int type, byte[] transactionId) {
        return new Builder(type, transactionId);
    }

    /** Writes a message attribute by attribute; MESSAGE-INTEGRITY and FINGERPRINT are added by {@link #encode}. */
    public static final class Builder {
        private final int type;
        private final byte[] transactionId;
        private final ByteBuffer body = ByteBuffer.allocate(1024);

        private Builder(int type, byte[] transactionId) {
            if (transactionId.length != 12) {
                throw new IllegalArgumentException("stun: a transaction id has 12 bytes, not " + transactionId.length);
            }
            this.type = type;
            this.transactionId = transactionId.clone();
        }

        /** Adds an attribute, padded with zeros to a four-byte boundary. */
        public Builder add(int attributeType, byte[] value) {
            body.putShort((short) attributeType).putShort((short) value.length).put(value);
            body.put(new byte[((value.length + 3) & ~3) - value.length]);
            return this;
        }

        /** Adds XOR-MAPPED-ADDRESS: port XOR the cookie's top half, address XOR cookie || transaction id. */
        public Builder addXorMappedAddress(InetSocketAddress address) {
            byte[] ip = address.getAddress().getAddress();
            byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
            ByteBuffer value = ByteBuffer.allocate(4 + ip.length);
            value.put((byte) 0).put((byte) (address.getAddress() instanceof Inet4Address ? 1 : 2));
            value.putShort((short) (address.getPort() ^ (MAGIC_COOKIE >>> 16)));
            for (int i = 0; i < ip.length; i++) {
                value.put((byte) (ip[i] ^ mask[i]));
            }
            return add(XOR_MAPPED_ADDRESS, value.array());
        }

        /**
         * The message bytes: the attributes added so far, then MESSAGE-INTEGRITY keyed by {@code password} when it
         * is not null, then FINGERPRINT when asked, each computed as sections 14.5 and 14.7 say.
         */
        public byte[] encode(byte[] password, boolean withFingerprint) {
            int attributesLength = body.position() + (password != null ? 24 : 0) + (withFingerprint ? 8 : 0);
            ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + attributesLength);
            out.putShort((short) type).putShort((short) attributesLength).putInt(MAGIC_COOKIE).put(transactionId);
            out.put(body.array(), 0, body.position());
            byte[] bytes = out.array();
            if (password != null) {
                int offset = out.position();
                byte[] mac = hmacSha1(password, bytes, offset, offset + 24 - HEADER_LENGTH);
                out.putShort((short) MESSAGE_INTEGRITY).putShort((short) INTEGRITY_LENGTH).put(mac);
            }
            if (withFingerprint) {
                int offset = out.position();
                int crc = fingerprint(bytes, offset, offset + 8 - HEADER_LENGTH);
                out.putShort((short) FINGERPRINT).putShort((short) 4).putInt(crc);
            }
            return bytes;
        }
    }

    /** HMAC-SHA1 over {@code message[0, end)} with the header length field set to {@code lengthField}. */
    static byte[] hmacSha1(byte[] key, byte[] message, int end, int lengthField) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA1"));
            mac.update(message, 0, 2);
            mac.update((byte) (lengthField >>> 8));
            mac.update((byte) lengthField);
            mac.update(message, 4, end - 4);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new AssertionError("every JDK has HmacSHA1", e);
        }
    }

    /** CRC-32 over {@code message[0, end)} with the header length set to {@code lengthField}, XOR 0x5354554e. */
    static int fingerprint(byte[] message, int end, int lengthField) {
        CRC32 crc = new CRC32();
        crc.update(message, 0, 2);
        crc.update(lengthField >>> 8);
        crc.update(lengthField);
        crc.update(message, 4, end - 4);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }
}
