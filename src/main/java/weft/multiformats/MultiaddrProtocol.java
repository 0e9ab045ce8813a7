package weft.multiformats;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The multiaddr protocols weft knows: name, code and value format, as registered in the multicodec table
 * (multiformats/multicodec {@code table.csv}, tag {@code multiaddr}) and encoded by go-multiaddr
 * ({@code protocols.go}, {@code transcoders.go}).
 *
 * <p>Each value is a fixed number of bytes (an IPv4 address is 4, a port 2), a varint length and that many bytes
 * (a DNS name, a peer ID), or nothing ({@code /tcp/1/ws}). Protocols weft cannot encode (onion, garlic) are
 * missing on purpose: an address that uses them fails to parse with "unknown protocol".
 */
enum MultiaddrProtocol {
    IP4("ip4", 0x04, Value.IP4),
    TCP("tcp", 0x06, Value.PORT),
    DCCP("dccp", 0x21, Value.PORT),
    IP6("ip6", 0x29, Value.IP6),
    IP6ZONE("ip6zone", 0x2a, Value.ZONE),
    IPCIDR("ipcidr", 0x2b, Value.CIDR),
    DNS("dns", 0x35, Value.DOMAIN),
    DNS4("dns4", 0x36, Value.DOMAIN),
    DNS6("dns6", 0x37, Value.DOMAIN),
    DNSADDR("dnsaddr", 0x38, Value.DOMAIN),
    SCTP("sctp", 0x84, Value.PORT),
    UDP("udp", 0x0111, Value.PORT),
    P2P_WEBRTC_STAR("p2p-webrtc-star", 0x0113, Value.NONE),
    P2P_WEBRTC_DIRECT("p2p-webrtc-direct", 0x0114, Value.NONE),
    P2P_STARDUST("p2p-stardust", 0x0115, Value.NONE),
    WEBRTC_DIRECT("webrtc-direct", 0x0118, Value.NONE),
    WEBRTC("webrtc", 0x0119, Value.NONE),
    P2P_CIRCUIT("p2p-circuit", 0x0122, Value.NONE),
    UDT("udt", 0x012d, Value.NONE),
    UTP("utp", 0x012e, Value.NONE),
    UNIX("unix", 0x0190, Value.PATH),
    P2P("p2p", 0x01a5, Value.PEER_ID),
    HTTPS("https", 0x01bb, Value.NONE),
    TLS("tls", 0x01c0, Value.NONE),
    SNI("sni", 0x01c1, Value.DOMAIN),
    NOISE("noise", 0x01c6, Value.NONE),
    QUIC("quic", 0x01cc, Value.NONE),
    QUIC_V1("quic-v1", 0x01cd, Value.NONE),
    WEBTRANSPORT("webtransport", 0x01d1, Value.NONE),
    CERTHASH("certhash", 0x01d2, Value.MULTIHASH),
    WS("ws", 0x01dd, Value.NONE),
    WSS("wss", 0x01de, Value.NONE),
    P2P_WEBSOCKET_STAR("p2p-websocket-star", 0x01df, Value.NONE),
    HTTP("http", 0x01e0, Value.NONE),
    HTTP_PATH("http-path", 0x01e1, Value.PERCENT_ENCODED),
    PLAINTEXTV2("plaintextv2", 0x706c61, Value.NONE);

    /** Multicodec {@code libp2p-key}: the content type of a CID that names a peer (peer-ids spec). */
    static final int LIBP2P_KEY = 0x72;

    private static final Map<String, MultiaddrProtocol> BY_NAME = new HashMap<>();
    private static final Map<Integer, MultiaddrProtocol> BY_CODE = new HashMap<>();

    static {
        for (MultiaddrProtocol p : values()) {
            BY_NAME.put(p.text, p);
            BY_CODE.put(p.code, p);
        }
        // "/ipfs/Qm..." is the name p2p had before 2020; go-multiaddr and js still read it and print "p2p".
        BY_NAME.put("ipfs", P2P);
    }

    final String text;
    final int code;
    final Value value;
    /** The code as it goes on the wire, computed once. */
    private final byte[] varintCode;

    MultiaddrProtocol(String text, int code, Value value) {
        this.text = text;
        this.code = code;
        this.value = value;
        this.varintCode = UnsignedVarint.encode(code);
    }

    static MultiaddrProtocol forName(String name) {
        MultiaddrProtocol p = BY_NAME.get(name);
        if (p == null) {
            throw new MultiformatException("multiaddr: unknown protocol '" + name + "'");
        }
        return p;
    }

    static MultiaddrProtocol forCode(long code) {
        MultiaddrProtocol p = code <= Integer.MAX_VALUE ? BY_CODE.get((int) code) : null;
        if (p == null) {
            throw new MultiformatException("multiaddr: unknown protocol code 0x" + Long.toHexString(code));
        }
        return p;
    }

    boolean hasValue() {
        return value != Value.NONE;
    }

    /** A path protocol takes the rest of the text address as its value, so nothing can follow it. */
    boolean isPath() {
        return value == Value.PATH;
    }

    /** Writes code, length (for variable-size values) and value. */
    void writeTo(ByteArrayOutputStream out, byte[] valueBytes) {
        out.writeBytes(varintCode);
        if (value.size < 0) {
            out.writeBytes(UnsignedVarint.encode(valueBytes.length));
        }
        out.writeBytes(valueBytes);
    }

    /** Text to value bytes, validated. */
    byte[] parseValue(String valueText) {
        try {
            byte[] bytes = decodeText(valueText);
            checkValue(bytes);
            return bytes;
        } catch (MultiformatException e) {
            if (e.getMessage().startsWith("multiaddr:")) {
                throw e;
            }
            // a base58, multibase or varint error: say which component it came from
            throw new MultiformatException("multiaddr: invalid " + text + " value '" + valueText + "': "
                    + e.getMessage(), e);
        }
    }

    private byte[] decodeText(String valueText) {
        return switch (value) {
            case NONE -> new byte[0];
            case IP4 -> IpLiteral.parseIp4(valueText);
            case IP6 -> IpLiteral.parseIp6(valueText);
            case PORT -> parseUnsigned(valueText, 0xFFFF, 2);
            case CIDR -> parseUnsigned(valueText, 0xFF, 1);
            case DOMAIN, ZONE, PATH -> utf8Bytes(valueText);
            case PEER_ID -> parsePeerId(valueText);
            case MULTIHASH -> Multibase.decode(valueText);
            case PERCENT_ENCODED -> PercentEncoding.decode(valueText);
        };
    }

    /** Checks value bytes read from the wire (or just parsed); throws if they have no valid text form. */
    void checkValue(byte[] bytes) {
        if (value.size >= 0 && bytes.length != value.size) {
            throw invalid("must be " + value.size + " bytes, not " + bytes.length);
        }
        if (value.size < 0 && bytes.length == 0) {
            throw invalid("is empty");
        }
        switch (value) {
            case DOMAIN, ZONE -> {
                if (utf8(bytes).indexOf('/') >= 0) {
                    throw invalid("contains '/'");
                }
            }
            case PATH -> {
                String path = utf8(bytes);
                if (path.length() < 2 || path.charAt(0) != '/' || path.endsWith("/")) {
                    throw invalid("must start with '/', not end with one, and name something ('" + path + "')");
                }
            }
            case PEER_ID -> {
                try {
                    Multihash.decode(bytes);
                } catch (MultiformatException e) {
                    throw new MultiformatException("multiaddr: p2p value is not a peer id multihash: "
                            + e.getMessage(), e);
                }
            }
            case MULTIHASH -> checkMultihashShape(bytes);
            default -> {
                // fixed-size values: every bit pattern is valid
            }
        }
    }

    /** Value bytes to canonical text; the bytes must have passed {@link #checkValue}. */
    String formatValue(byte[] bytes) {
        return switch (value) {
            case NONE -> "";
            case IP4 -> IpLiteral.formatIp4(bytes, 0);
            case IP6 -> IpLiteral.formatIp6(bytes);
            case PORT -> Integer.toString(((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF));
            case CIDR -> Integer.toString(bytes[0] & 0xFF);
            case DOMAIN, ZONE, PATH -> utf8(bytes);
            case PEER_ID -> Base58.encode(bytes);
            // go-multiaddr prints certhashes in base64url (certHashBtS in transcoders.go)
            case MULTIHASH -> Multibase.BASE64URL.encode(bytes);
            case PERCENT_ENCODED -> PercentEncoding.encode(bytes);
        };
    }

    private MultiformatException invalid(String what) {
        return new MultiformatException("multiaddr: " + text + " value " + what);
    }

    private byte[] parseUnsigned(String digits, int max, int size) {
        if (digits.isEmpty()) {
            throw invalid("is empty");
        }
        int v = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid("'" + digits + "' is not a decimal number");
            }
            v = v * 10 + (c - '0');
            if (v > max) {
                throw invalid("'" + digits + "' is out of range (> " + max + ")");
            }
        }
        return size == 2 ? new byte[] {(byte) (v >>> 8), (byte) v} : new byte[] {(byte) v};
    }

    /**
     * A peer ID in text is either the legacy base58btc multihash ({@code Qm...}, {@code 12D3KooW...}) or a CIDv1
     * with the {@code libp2p-key} codec in any multibase ({@code bafz...}); both decode to the same multihash.
     * The test is the one go-multiaddr uses ({@code p2pStB}): base58 when it starts with {@code Qm} or {@code 1}.
     */
    private byte[] parsePeerId(String text) {
        if (text.startsWith("Qm") || text.startsWith("1")) {
            return Base58.decode(text);
        }
        byte[] cid = Multibase.decode(text);
        UnsignedVarint.Decoded version = UnsignedVarint.decode(cid, 0, cid.length);
        if (version.value() != 1) {
            throw invalid("'" + text + "' is neither a base58 multihash nor a CIDv1 (version " + version.value() + ")");
        }
        UnsignedVarint.Decoded codec = UnsignedVarint.decode(cid, version.length(), cid.length);
        if (codec.value() != LIBP2P_KEY) {
            throw invalid("'" + text + "' is a CID with codec 0x" + Long.toHexString(codec.value())
                    + ", not libp2p-key (0x72)");
        }
        int start = version.length() + codec.length();
        byte[] multihash = new byte[cid.length - start];
        System.arraycopy(cid, start, multihash, 0, multihash.length);
        return multihash;
    }

    /**
     * A certhash may use any hash function (md5, sha2-256, ...), so only the multihash shape is checked:
     * {@code varint(code) || varint(length) || length bytes}, as go-multiaddr's {@code validateCertHash} does.
     */
    private void checkMultihashShape(byte[] bytes) {
        UnsignedVarint.Decoded fn;
        UnsignedVarint.Decoded length;
        try {
            fn = UnsignedVarint.decode(bytes, 0, bytes.length);
            length = UnsignedVarint.decode(bytes, fn.length(), bytes.length);
        } catch (MultiformatException e) {
            throw invalid("is not a multihash: " + e.getMessage());
        }
        long present = bytes.length - fn.length() - length.length();
        if (length.value() != present) {
            throw invalid("is not a multihash: length says " + length.value() + " digest bytes, " + present
                    + " present");
        }
    }

    /**
     * Strict UTF-8: a lone surrogate is an error, where {@code String.getBytes} would silently write {@code '?'}.
     */
    static byte[] utf8Bytes(String text) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new MultiformatException("multiaddr: value has a lone surrogate, not valid unicode ('" + text + "')");
        }
    }

    private String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid("is not valid UTF-8");
        }
    }

    /** How a protocol's value is written; {@code size} is the byte length, -1 for varint-length-prefixed. */
    enum Value {
        NONE(0),
        IP4(4),
        IP6(16),
        PORT(2),
        CIDR(1),
        DOMAIN(-1),
        ZONE(-1),
        PATH(-1),
        PEER_ID(-1),
        MULTIHASH(-1),
        PERCENT_ENCODED(-1);

        final int size;

        Value(int size) {
            this.size = size;
        }
    }

    /**
     * The text form of {@code http-path}: URL query escaping as Go's {@code url.QueryEscape} does it (what
     * go-multiaddr uses): letters, digits and {@code -_.~} stay, a space becomes {@code +}, every other byte
     * {@code %XX} in upper-case hex.
     */
    static final class PercentEncoding {
        private static final String HEX = "0123456789ABCDEF";

        private PercentEncoding() {}

        static String encode(byte[] bytes) {
            StringBuilder sb = new StringBuilder(bytes.length * 3);
            for (byte b : bytes) {
                int c = b & 0xFF;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_' || c == '.' || c == '~') {
                    sb.append((char) c);
                } else if (c == ' ') {
                    sb.append('+');
                } else {
                    sb.append('%').append(HEX.charAt(c >>> 4)).append(HEX.charAt(c & 0xF));
                }
            }
            return sb.toString();
        }

        static byte[] decode(String text) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '%') {
                    int hi = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                    int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                    if (hi < 0 || lo < 0 || text.charAt(i + 1) > 'f' || text.charAt(i + 2) > 'f') {
                        throw new MultiformatException("multiaddr: http-path value has a bad escape at " + i
                                + " ('" + text + "')");
                    }
                    out.write((hi << 4) | lo);
                    i += 2;
                } else if (c == '+') {
                    out.write(' ');
                } else {
                    int codePoint = text.codePointAt(i);
                    out.writeBytes(utf8Bytes(Character.toString(codePoint)));
                    i += Character.charCount(codePoint) - 1;
                }
            }
            return out.toByteArray();
        }
    }
}
