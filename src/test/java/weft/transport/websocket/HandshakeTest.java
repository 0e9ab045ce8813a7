package weft.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeTest {
    /** RFC 6455 §1.3's example key. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static final String REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: keep-alive, Upgrade\r\n"
            + "Sec-WebSocket-Key: " + KEY + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "\r\n";

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theAcceptKeyIsTheRfcExample() {
        // §1.3: "the server would return the value "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=""
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.acceptKey(KEY));
    }

    @Test
    void theServerAnswersAnUpgradeWith101AndTheAcceptKeyAndDeclinesExtensions() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Handshake.server(bytes(REQUEST), out);
        assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "\r\n", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void theServerLeavesBytesAfterTheRequestForTheFrameReader() throws IOException {
        InputStream in = bytes(REQUEST + "\u0082\u0000");
        Handshake.server(in, new ByteArrayOutputStream());
        assertEquals(0x82, in.read());
        assertEquals(0x00, in.read());
    }

    @Test
    void theClientSendsAnUpgradeAndAcceptsTheRightAnswer() throws IOException {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Handshake.client(bytes("HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nconnection: upgrade\r\n"
                + "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"), sent, "127.0.0.1:4001", KEY);
        assertEquals("GET / HTTP/1.1\r\n"
                + "Host: 127.0.0.1:4001\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n", sent.toString(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
        "SSH-2.0-OpenSSH_9.6\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nno colon here\r\n\r\n",
    })
    void theClientRejectsAWrongAnswer(String response) {
        WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class,
                () -> Handshake.client(bytes(response), new ByteArrayOutputStream(), "h", KEY));
        assertTrue(e.getMessage().startsWith("websocket: handshake: "), e.getMessage());
        assertEquals(WebSocketProtocolException.NO_CLOSE_FRAME, e.closeCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n",
        "GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n",
        "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n",
        "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
        "\r\n",
        "GET / HTTP/1.1\r\n: no name\r\n\r\n",
    })
    void theServerAnswers400ToARequestThatIsNotAnUpgrade(String request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class,
                () -> Handshake.server(bytes(request), out));
        assertTrue(e.getMessage().startsWith("websocket: handshake: "), e.getMessage());
        assertTrue(out.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 400 Bad Request\r\n"), out.toString());
    }

    @Test
    void theServerAnswers426ToAnotherProtocolVersion() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(WebSocketProtocolException.class,
                () -> Handshake.server(bytes(REQUEST.replace("Version: 13", "Version: 8")), out));
        String response = out.toString(StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response);
        assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
    }

    @Test
    void aHeadLongerThan8KiBIsRejectedWithoutReadingFurther() {
        String request = "GET / HTTP/1.1\r\nX-Padding: " + "a".repeat(Handshake.MAX_HEAD_BYTES) + "\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class,
                () -> Handshake.server(bytes(request), out));
        assertEquals("websocket: handshake: request head longer than 8192 bytes", e.getMessage());
        assertTrue(out.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 400 "));
    }

    @Test
    void aConnectionEndingInsideTheHeadIsAnEof() {
        assertThrows(java.io.EOFException.class,
                () -> Handshake.server(bytes("GET / HTTP/1.1\r\nHost"), new ByteArrayOutputStream()));
    }
}
