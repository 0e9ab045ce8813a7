package weft.multiformats;

/**
 * IPv4 and IPv6 address literals, parsed and printed by hand so that no text ever reaches
 * {@code InetAddress.getByName} (which would resolve a name through DNS when the text is not a literal).
 *
 * <p>Parsing follows RFC 4291 §2.2 (hex groups, one {@code ::}, an optional dotted-quad tail) and rejects what
 * Go's {@code net.ParseIP} rejects: leading zeros in an IPv4 part, zones ({@code %eth0}, which multiaddr carries
 * in its own {@code ip6zone} component), more than eight groups. Printing follows RFC 5952 §4 (lower case, the
 * longest run of two or more zero groups becomes {@code ::}, the first one on a tie) and, as go-multiaddr does,
 * prints IPv4-mapped addresses as {@code ::ffff:a.b.c.d}.
 */
final class IpLiteral {
    private IpLiteral() {}

    static byte[] parseIp4(String text) {
        byte[] out = new byte[4];
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw bad("ip4", text);
        }
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) parseIp4Part(parts[i], text);
        }
        return out;
    }

    private static int parseIp4Part(String part, String text) {
        if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
            throw bad("ip4", text);
        }
        int value = 0;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                throw bad("ip4", text);
            }
            value = value * 10 + (c - '0');
        }
        if (value > 255) {
            throw bad("ip4", text);
        }
        return value;
    }

    static String formatIp4(byte[] ip, int offset) {
        return (ip[offset] & 0xFF) + "." + (ip[offset + 1] & 0xFF) + "." + (ip[offset + 2] & 0xFF) + "."
                + (ip[offset + 3] & 0xFF);
    }

    static byte[] parseIp6(String text) {
        // The longest literal is 8 groups of 4 hex digits and 7 colons, or 6 groups and a dotted quad (45 chars).
        if (text.isEmpty() || text.length() > 45) {
            throw bad("ip6", text);
        }
        int ellipsis = text.indexOf("::");
        if (ellipsis >= 0 && text.indexOf("::", ellipsis + 1) >= 0) {
            throw bad("ip6", text);
        }
        int[] head = new int[8];
        int[] tail = new int[8];
        int headCount;
        int tailCount = 0;
        if (ellipsis < 0) {
            headCount = parseGroups(text, head, true, text);
            if (headCount != 8) {
                throw bad("ip6", text);
            }
        } else {
            headCount = parseGroups(text.substring(0, ellipsis), head, false, text);
            tailCount = parseGroups(text.substring(ellipsis + 2), tail, true, text);
            // "::" stands for at least one zero group (Go's parseIPv6 rejects an ellipsis that stands for none).
            if (headCount + tailCount > 7) {
                throw bad("ip6", text);
            }
        }
        byte[] out = new byte[16];
        for (int i = 0; i < headCount; i++) {
            out[2 * i] = (byte) (head[i] >>> 8);
            out[2 * i + 1] = (byte) head[i];
        }
        int start = 8 - tailCount;
        for (int i = 0; i < tailCount; i++) {
            out[2 * (start + i)] = (byte) (tail[i] >>> 8);
            out[2 * (start + i) + 1] = (byte) tail[i];
        }
        return out;
    }

    /** Parses colon-separated groups into {@code groups}; returns how many 16-bit groups they made. */
    private static int parseGroups(String part, int[] groups, boolean dottedQuadAllowed, String text) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] pieces = part.split(":", -1);
        int count = 0;
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            boolean last = i == pieces.length - 1;
            if (piece.indexOf('.') >= 0) {
                if (!last || !dottedQuadAllowed || count > 6) {
                    throw bad("ip6", text);
                }
                byte[] v4 = parseIp4(piece);
                groups[count++] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
                groups[count++] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
                continue;
            }
            if (piece.isEmpty() || piece.length() > 4 || count == 8) {
                throw bad("ip6", text);
            }
            int value = 0;
            for (int j = 0; j < piece.length(); j++) {
                int digit = Character.digit(piece.charAt(j), 16);
                if (digit < 0 || piece.charAt(j) > 'f') {
                    throw bad("ip6", text);
                }
                value = (value << 4) | digit;
            }
            groups[count++] = value;
        }
        return count;
    }

    static String formatIp6(byte[] ip) {
        if (isIp4Mapped(ip)) {
            return "::ffff:" + formatIp4(ip, 12);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is never compressed (RFC 5952 §4.2.2)
        for (int i = 0; i < 8; ) {
            if (group(ip, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(ip, j) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(ip, i)));
        }
        return sb.toString();
    }

    private static boolean isIp4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return (ip[10] & 0xFF) == 0xFF && (ip[11] & 0xFF) == 0xFF;
    }

    private static int group(byte[] ip, int index) {
        return ((ip[2 * index] & 0xFF) << 8) | (ip[2 * index + 1] & 0xFF);
    }

    private static MultiformatException bad(String kind, String text) {
        return new MultiformatException("multiaddr: invalid " + kind + " address '" + text + "'");
    }
}
