package weft.multiformats;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Multibase: a one-character prefix that names the base of the text after it
 * (multiformats/multibase {@code multibase.csv}). CIDv1 peer IDs use base32 ({@code b...}), certhashes use
 * base64url ({@code u...}).
 */
public enum Multibase {
    /** {@code f}: hexadecimal, lower case. */
    BASE16('f'),
    /** {@code F}: hexadecimal, upper case. */
    BASE16_UPPER('F'),
    /** {@code b}: RFC 4648 base32, lower case, no padding. The default for CIDv1. */
    BASE32('b'),
    /** {@code B}: RFC 4648 base32, upper case, no padding. */
    BASE32_UPPER('B'),
    /** {@code k}: base36, lower case: how IPNS names and go-multiaddr tests write libp2p-key CIDs ({@code k51...}). */
    BASE36('k'),
    /** {@code K}: base36, upper case. */
    BASE36_UPPER('K'),
    /** {@code z}: base58, Bitcoin alphabet. */
    BASE58BTC('z'),
    /** {@code m}: RFC 4648 base64, no padding. */
    BASE64('m'),
    /** {@code u}: RFC 4648 base64url, no padding. */
    BASE64URL('u');

    private static final String BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final BaseX BASE36_CODEC =
            new BaseX("base36", "0123456789abcdefghijklmnopqrstuvwxyz").caseInsensitive();

    private final char prefix;

    Multibase(char prefix) {
        this.prefix = prefix;
    }

    public char prefix() {
        return prefix;
    }

    /** Encodes {@code data} with this base, prefix included. */
    public String encode(byte[] data) {
        String body = switch (this) {
            case BASE16 -> HexFormat.of().formatHex(data);
            case BASE16_UPPER -> HexFormat.of().withUpperCase().formatHex(data);
            case BASE32 -> base32(data);
            case BASE32_UPPER -> base32(data).toUpperCase(Locale.ROOT);
            case BASE36 -> BASE36_CODEC.encode(data);
            case BASE36_UPPER -> BASE36_CODEC.encode(data).toUpperCase(Locale.ROOT);
            case BASE58BTC -> Base58.encode(data);
            case BASE64 -> Base64.getEncoder().withoutPadding().encodeToString(data);
            case BASE64URL -> Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        };
        return prefix + body;
    }

    /** Decodes multibase text: the first character picks the base. */
    public static byte[] decode(String text) {
        if (text.isEmpty()) {
            throw new MultiformatException("multibase: empty string");
        }
        Multibase base = forPrefix(text.charAt(0));
        String body = text.substring(1);
        try {
            return switch (base) {
                case BASE16, BASE16_UPPER -> HexFormat.of().parseHex(body);
                case BASE32 -> unbase32(body);
                case BASE32_UPPER -> unbase32(body.toLowerCase(Locale.ROOT));
                case BASE36, BASE36_UPPER -> BASE36_CODEC.decode(body);
                case BASE58BTC -> Base58.decode(body);
                case BASE64 -> Base64.getDecoder().decode(stripPadding(body));
                case BASE64URL -> Base64.getUrlDecoder().decode(stripPadding(body));
            };
        } catch (IllegalArgumentException e) {
            if (e instanceof MultiformatException me) {
                throw me;
            }
            throw new MultiformatException("multibase: invalid " + base + " text: " + e.getMessage(), e);
        }
    }

    public static Multibase forPrefix(char prefix) {
        for (Multibase b : values()) {
            if (b.prefix == prefix) {
                return b;
            }
        }
        throw new MultiformatException("multibase: unsupported prefix '" + prefix + "'");
    }

    private static String stripPadding(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String base32(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32_ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    private static byte[] unbase32(String text) {
        String s = stripPadding(text);
        int rem = s.length() % 8;
        if (rem == 1 || rem == 3 || rem == 6) {
            throw new MultiformatException("multibase: base32 text has an impossible length " + s.length());
        }
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int o = 0;
        for (int i = 0; i < s.length(); i++) {
            int v = BASE32_ALPHABET.indexOf(s.charAt(i));
            if (v < 0) {
                throw new MultiformatException("multibase: invalid base32 character '" + s.charAt(i) + "' at " + i);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[o++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new MultiformatException("multibase: base32 text has non-zero trailing bits");
        }
        return out;
    }
}
