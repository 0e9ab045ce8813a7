package weft.cli.runner;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import weft.ProtocolViolationException;

/**
 * RESP2, the Redis serialization protocol, as much as a client needs (redis.io
 * {@code develop/reference/protocol-spec}):
 * "Clients send commands to a Redis server as an array of bulk strings", and the server answers with one of five
 * types told apart by their first byte: {@code +} simple string, {@code -} error, {@code :} integer, {@code $} bulk
 * string ({@code $-1} is the null bulk string), {@code *} array ({@code *-1} is the null array). "Different parts of
 * the protocol are always terminated with \r\n (CRLF)."
 *
 * <p>Replies come from a server we did not write, so decoding is bounded and total: a malformed or oversized reply
 * throws {@link ProtocolViolationException}, a truncated one {@link EOFException}, nothing else.
 */
final class Resp {
    /** A reply line ({@code +}, {@code -}, {@code :}, or a length) longer than this is refused. */
    static final int MAX_LINE = 64 * 1024;
    /** A bulk string longer than this is refused: the runners only store multiaddrs (Redis allows 512 MB). */
    static final int MAX_BULK = 1 << 20;
    /** An array with more elements than this is refused (BLPOP answers with two). */
    static final int MAX_ARRAY = 1024;
    /** Arrays nested deeper than this are refused (none of our commands nests at all). */
    static final int MAX_DEPTH = 8;

    private Resp() {}

    /** One server reply. */
    sealed interface Reply {}

    /** {@code +OK}. */
    record SimpleString(String text) implements Reply {}

    /** {@code -WRONGTYPE ...}: "clients should treat errors as exceptions". */
    record ErrorReply(String message) implements Reply {}

    /** {@code :3}. */
    record IntegerReply(long value) implements Reply {}

    /** {@code $5\r\nhello}, decoded as UTF-8 (multiaddrs are ASCII). */
    record BulkString(String text) implements Reply {}

    /** {@code *2\r\n...}. */
    record ArrayReply(List<Reply> items) implements Reply {
        ArrayReply {
            items = List.copyOf(items);
        }
    }

    /** The null bulk string {@code $-1} or null array {@code *-1}: no value (GET of a missing key, BLPOP timeout). */
    record NullReply() implements Reply {}

    /** A command as the spec wants it: an array of bulk strings. */
    static byte[] command(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ascii(out, "*" + arguments.length + "\r\n");
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            ascii(out, "$" + bytes.length + "\r\n");
            out.writeBytes(bytes);
            ascii(out, "\r\n");
        }
        return out.toByteArray();
    }

    /** Reads one reply. */
    static Reply read(InputStream in) throws IOException {
        return read(in, 0);
    }

    private static Reply read(InputStream in, int depth) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("redis: connection closed before a reply");
        }
        if ("+-:$*".indexOf(type) < 0) {
            throw new ProtocolViolationException("redis: unknown reply type 0x" + Integer.toHexString(type));
        }
        String line = line(in);
        return switch (type) {
            case '+' -> new SimpleString(line);
            case '-' -> new ErrorReply(line);
            case ':' -> new IntegerReply(number(line));
            case '$' -> bulk(in, number(line));
            case '*' -> array(in, number(line), depth);
            default -> throw new AssertionError(type); // checked above
        };
    }

    private static Reply bulk(InputStream in, long length) throws IOException {
        if (length == -1) {
            return new NullReply();
        }
        if (length < 0 || length > MAX_BULK) {
            throw new ProtocolViolationException("redis: bulk string length " + length + " (0.." + MAX_BULK + ")");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("redis: bulk string ended early (" + bytes.length + " of " + length + " bytes)");
        }
        int cr = in.read();
        if (cr < 0) {
            throw new EOFException("redis: connection closed after a bulk string");
        }
        if (cr != '\r') {
            throw new ProtocolViolationException("redis: bulk string of " + length + " bytes not followed by CRLF");
        }
        crlfRest(in, "a bulk string");
        return new BulkString(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The LF after a CR: its absence is a violation, the end of the input an early end. */
    private static void crlfRest(InputStream in, String where) throws IOException {
        int lf = in.read();
        if (lf < 0) {
            throw new EOFException("redis: connection closed inside the CRLF after " + where);
        }
        if (lf != '\n') {
            throw new ProtocolViolationException("redis: CR without LF after " + where);
        }
    }

    private static Reply array(InputStream in, long count, int depth) throws IOException {
        if (count == -1) {
            return new NullReply();
        }
        if (count < 0 || count > MAX_ARRAY) {
            throw new ProtocolViolationException("redis: array of " + count + " elements (0.." + MAX_ARRAY + ")");
        }
        if (depth >= MAX_DEPTH) {
            throw new ProtocolViolationException("redis: arrays nested deeper than " + MAX_DEPTH);
        }
        List<Reply> items = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            items.add(read(in, depth + 1));
        }
        return new ArrayReply(items);
    }

    /** The rest of a line, without its CRLF; a lone CR or LF inside it is a violation. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("redis: connection closed inside a reply line");
            }
            if (b == '\r') {
                crlfRest(in, "a reply line");
                return sb.toString();
            }
            if (b == '\n') {
                throw new ProtocolViolationException("redis: LF without CR in a reply line");
            }
            if (sb.length() == MAX_LINE) {
                throw new ProtocolViolationException("redis: reply line longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) b); // Latin-1: a simple string "cannot contain CR or LF", so it is one byte per char
        }
    }

    private static long number(String text) throws ProtocolViolationException {
        boolean negative = text.startsWith("-");
        int start = negative ? 1 : 0;
        if (text.length() == start || text.length() - start > 18) {
            throw new ProtocolViolationException("redis: not an integer (\"" + printable(text) + "\")");
        }
        long value = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolViolationException("redis: not an integer (\"" + printable(text) + "\")");
            }
            value = value * 10 + (c - '0');
        }
        return negative ? -value : value;
    }

    private static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
