package weft.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import weft.multiformats.Multiaddr;

/**
 * Coverage-guided fuzz targets (Jazzer; see {@code weft.fuzz}) for what a WebSocket peer sends: the frame stream as
 * each side reads it, and the HTTP upgrade as each side reads it. Only the typed failures may come out:
 * {@link WebSocketProtocolException} (a rule of RFC 6455 broken, with its close code) and {@link EOFException} (the
 * bytes ran out inside a frame or a head). Here rather than in {@code weft.fuzz} because the connection and the
 * handshake are package-private. Seeds: {@code src/test/resources/weft/transport/websocket/WebSocketFuzzTestInputs/}.
 */
class WebSocketFuzzTest {
    private static final Multiaddr NOWHERE = Multiaddr.parse("/ip4/127.0.0.1/tcp/1/ws");
    /** A small frame bound, so that the fuzzer reaches "frame too large" with short inputs. */
    private static final long MAX_PAYLOAD = 4096;

    /** Our server reads frames from a client (which must mask them, RFC 6455 §5.1). */
    @FuzzTest
    void serverReadsFrames(byte[] wire) throws IOException {
        readAll(wire, false);
    }

    /** Our client reads frames from a server (which must not mask them). */
    @FuzzTest
    void clientReadsFrames(byte[] wire) throws IOException {
        readAll(wire, true);
    }

    /**
     * Reads the whole stream. What a successful read returns is checked against a second read of the same bytes
     * through one-byte reads: the frame decoder must not depend on how the application asks.
     */
    private static void readAll(byte[] wire, boolean client) throws IOException {
        byte[] whole = read(wire, client, false);
        byte[] bytewise = read(wire, client, true);
        if (whole != null || bytewise != null) {
            assertArrayEquals(whole, bytewise, "the same frames read in one go and byte by byte");
        }
    }

    /** The payload bytes read until a clean end, or null after a typed failure. */
    private static byte[] read(byte[] wire, boolean client, boolean bytewise) throws IOException {
        WebSocketConnection connection = new WebSocketConnection(new Socket(), new ByteArrayInputStream(wire),
                new ByteArrayOutputStream(), client, MAX_PAYLOAD, NOWHERE, NOWHERE);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            if (bytewise) {
                for (int b; (b = connection.input().read()) >= 0; ) {
                    got.write(b);
                }
            } else {
                got.writeBytes(connection.input().readAllBytes());
            }
            return got.toByteArray();
        } catch (WebSocketProtocolException | EOFException expected) {
            return null; // the only ways to refuse
        } finally {
            connection.close();
        }
    }

    /** Our server reads a client's upgrade request. */
    @FuzzTest
    void serverHandshake(byte[] request) throws IOException {
        try {
            Handshake.server(new ByteArrayInputStream(request), new ByteArrayOutputStream());
        } catch (WebSocketProtocolException | EOFException expected) {
            // the only ways to refuse
        }
    }

    /** Our client reads a server's answer to its upgrade request (the key the seeds' accept values were made for). */
    @FuzzTest
    void clientHandshake(byte[] response) throws IOException {
        try {
            Handshake.client(new ByteArrayInputStream(response), new ByteArrayOutputStream(), "example.com",
                    "dGhlIHNhbXBsZSBub25jZQ==");
        } catch (WebSocketProtocolException | EOFException expected) {
            // the only ways to refuse
        }
    }
}
