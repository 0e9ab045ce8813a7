package weft.transport.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The RFC 6455 §4 opening handshake: an HTTP/1.1 {@code GET} with {@code Upgrade: websocket}, answered by
 * {@code 101 Switching Protocols}. What proves the server speaks WebSocket is the accept key (§4.2.2): "concatenate
 * [the client's Sec-WebSocket-Key] with the string '258EAFA5-E914-47DA-95CA-C5AB0DC85B11' ..., take the SHA-1 hash
 * of this concatenated value to obtain a 20-byte value and base64-encode".
 *
 * <p>No subprotocol and no extension is ever agreed: js-libp2p's {@code ws} client offers
 * {@code permessage-deflate}, and a server that does not echo it in the response has declined it (RFC 7692 §5).
 * The request target is {@code /}, as js-libp2p's dialer sends ({@code multiaddr-to-uri} gives
 * {@code ws://host:port}); as a server we accept any target, as go-libp2p and js-libp2p do.
 *
 * <p>The head of a request or response is read byte by byte from the connection's buffered input, never past the
 * blank line, so the first frame stays in the buffer; it is bounded by {@link #MAX_HEAD_BYTES}.
 */
final class Handshake {
    /** RFC 6455 §1.3: the GUID appended to the client's key. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** A whole request or response head; go's net/http allows 1 MiB, nginx 8 KiB by default; a libp2p head is ~250 B. */
    static final int MAX_HEAD_BYTES = 8 * 1024;
    /** RFC 6455 §4.1: "The value of this header field MUST be 13". */
    static final String VERSION = "13";

    private Handshake() {}

    /** The {@code Sec-WebSocket-Accept} value for a client's {@code Sec-WebSocket-Key}. */
    static String acceptKey(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** A fresh client key: "a randomly selected 16-byte value that has been base64-encoded" (§4.1). */
    static String newKey(SecureRandom random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * The client's side: sends the upgrade request and checks the response.
     *
     * @param host the {@code Host} header value ("the /host/ ... optionally followed by ':' and the /port/ (when
     *     not using the default port)", §4.1)
     * @throws WebSocketProtocolException when the server did not switch protocols correctly
     */
    static void client(InputStream in, OutputStream out, String host, String key) throws IOException {
        String request = "GET / HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: " + VERSION + "\r\n"
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();

        List<String> head = readHead(in, "response");
        String status = head.get(0);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw handshakeError("not an HTTP/1.1 response ('%s')", printable(status));
        }
        if (!parts[1].equals("101")) {
            throw handshakeError("server answered %s instead of 101 switching protocols", printable(status));
        }
        Map<String, String> headers = headers(head);
        if (!hasToken(headers.get("upgrade"), "websocket") || !hasToken(headers.get("connection"), "upgrade")) {
            throw handshakeError("101 response without upgrade: websocket and connection: upgrade");
        }
        String accept = headers.get("sec-websocket-accept");
        if (accept == null || !accept.equals(acceptKey(key))) {
            throw handshakeError("wrong sec-websocket-accept ('%s', want '%s')", printable(accept), acceptKey(key));
        }
        // §4.1: the client MUST fail the connection for an extension or subprotocol it did not ask for.
        if (headers.containsKey("sec-websocket-extensions") || headers.containsKey("sec-websocket-protocol")) {
            throw handshakeError("server chose an extension or subprotocol we did not offer");
        }
    }

    /**
     * The server's side: reads the upgrade request and answers {@code 101}, or answers {@code 400} (or {@code 426}
     * for another protocol version, §4.4) and throws.
     *
     * @throws WebSocketProtocolException when the request is not a valid WebSocket upgrade
     */
    static void server(InputStream in, OutputStream out) throws IOException {
        List<String> head;
        Map<String, String> headers;
        try {
            head = readHead(in, "request");
            headers = headers(head);
        } catch (WebSocketProtocolException e) {
            reject(out, "400 Bad Request", "");
            throw e;
        }
        String[] line = head.get(0).split(" ", -1);
        String key = headers.get("sec-websocket-key");
        String problem = null;
        if (line.length != 3 || !line[0].equals("GET") || !line[2].startsWith("HTTP/1.") || line[2].equals("HTTP/1.0")) {
            problem = "not an HTTP/1.1 GET ('" + printable(head.get(0)) + "')";
        } else if (!hasToken(headers.get("upgrade"), "websocket") || !hasToken(headers.get("connection"), "upgrade")) {
            problem = "not an upgrade to websocket";
        } else if (key == null || !isNonce(key)) {
            problem = "sec-websocket-key is not 16 bytes in base64 ('" + printable(key) + "')";
        } else if (!VERSION.equals(headers.get("sec-websocket-version"))) {
            reject(out, "426 Upgrade Required", "Sec-WebSocket-Version: " + VERSION + "\r\n");
            throw handshakeError("unsupported sec-websocket-version ('%s')", printable(headers.get("sec-websocket-version")));
        }
        if (problem != null) {
            reject(out, "400 Bad Request", "");
            throw handshakeError("%s", problem);
        }
        String response = "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n"
                + "\r\n";
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void reject(OutputStream out, String status, String extraHeaders) {
        String body = "Only WebSocket connections are supported\n";
        String response = "HTTP/1.1 " + status + "\r\n" + extraHeaders
                + "Connection: close\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        try {
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // the peer is gone or not listening; the caller closes the connection either way
        }
    }

    /**
     * The lines of an HTTP head up to (not including) the empty line; the first is the request or status line.
     * Lines end in CRLF; a bare LF is accepted (RFC 9112 §2.2 allows it).
     */
    static List<String> readHead(InputStream in, String what) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int total = 0; ; total++) {
            if (total == MAX_HEAD_BYTES) {
                throw handshakeError("%s head longer than %d bytes", what, MAX_HEAD_BYTES);
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("websocket: connection ended inside the " + what + " head (" + total + " bytes)");
            }
            if (b != '\n') {
                line.append((char) b);
                continue;
            }
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
                line.setLength(end - 1);
            }
            if (line.isEmpty()) {
                if (lines.isEmpty()) {
                    throw handshakeError("empty %s line", what);
                }
                return lines;
            }
            lines.add(line.toString());
            line.setLength(0);
        }
    }

    /** Header fields by lower-case name; repeated fields joined with ", " (RFC 9110 §5.3). */
    private static Map<String, String> headers(List<String> head) throws WebSocketProtocolException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String field : head.subList(1, head.size())) {
            int colon = field.indexOf(':');
            if (colon <= 0) {
                throw handshakeError("malformed header field ('%s')", printable(field));
            }
            String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = field.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return headers;
    }

    /** True if the comma-separated {@code value} has {@code token}, ignoring case ({@code Connection: keep-alive, Upgrade}). */
    private static boolean hasToken(String value, String token) {
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNonce(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Peer text in an error message: at most 80 characters, control characters as '?'. */
    private static String printable(String s) {
        if (s == null) {
            return "none";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static WebSocketProtocolException handshakeError(String format, Object... args) {
        return new WebSocketProtocolException("websocket: handshake: " + String.format(format, args),
                WebSocketProtocolException.NO_CLOSE_FRAME);
    }
}
