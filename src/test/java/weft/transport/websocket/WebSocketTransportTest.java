package weft.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Random;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.multiformats.Multiaddr;
import weft.transport.Listener;
import weft.transport.RawConnection;
import weft.transport.Transport;
import weft.transport.TransportConformanceTest;
import weft.transport.UnsupportedMultiaddrException;

class WebSocketTransportTest extends TransportConformanceTest {
    private static final String PEER = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

    private final WebSocketTransport ws = new WebSocketTransport();

    @Override
    protected Transport transport() {
        return ws;
    }

    @Override
    protected Multiaddr loopbackAnyPort() {
        return Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws");
    }

    @ParameterizedTest(name = "{0}: dial {1}, listen {2}")
    @CsvSource({
        "/ip4/192.0.2.7/tcp/4001/ws, true, true",
        "/ip4/192.0.2.7/tcp/4001/ws/p2p/" + PEER + ", true, false",
        "/ip4/0.0.0.0/tcp/0/ws, false, true",
        "/ip6/::1/tcp/4001/ws, true, true",
        "/dns4/example.com/tcp/443/wss, true, false",
        "/dns/example.com/tcp/443/tls/ws, true, false",
        "/ip4/192.0.2.7/tcp/443/tls/sni/example.com/ws/p2p/" + PEER + ", true, false",
        "/dns6/example.com/tcp/80/ws, true, true",
        "/ip4/192.0.2.7/tcp/4001, false, false",
        "/ip4/192.0.2.7/udp/4001/quic-v1, false, false",
        "/ip4/192.0.2.7/tcp/4001/tls, false, false",
        "/ip4/192.0.2.7/tcp/4001/ws/ws, false, false",
        "/tcp/4001/ws, false, false",
        "/dnsaddr/bootstrap.libp2p.io, false, false",
    })
    void knowsWhichAddressesItCanDialAndListenOn(String address, boolean dial, boolean listen) {
        Multiaddr m = Multiaddr.parse(address);
        assertEquals(dial, ws.canDial(m), "canDial");
        assertEquals(listen, ws.canListen(m), "canListen");
    }

    @ParameterizedTest(name = "{0} -> Host {1}, TLS name {2}")
    @CsvSource({
        "/ip4/127.0.0.1/tcp/4001/ws, 127.0.0.1:4001, ",
        "/ip4/127.0.0.1/tcp/80/ws, 127.0.0.1, ",
        "/ip6/::1/tcp/4001/ws, [::1]:4001, ",
        "/dns4/example.com/tcp/443/wss, example.com, example.com",
        "/dns4/example.com/tcp/8443/tls/ws, example.com:8443, example.com",
        "/ip4/192.0.2.7/tcp/443/tls/sni/example.com/ws, 192.0.2.7, example.com",
    })
    void theHostHeaderAndTlsNameComeFromTheAddress(String address, String host, String serverName) {
        WebSocketAddress parsed = WebSocketAddress.parse(Multiaddr.parse(address));
        assertEquals(host, parsed.host());
        assertEquals(serverName, parsed.serverName());
    }

    @Test
    void dialingAnAddressOfAnotherTransportThrowsUnsupportedMultiaddr() {
        Multiaddr tcp = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
        UnsupportedMultiaddrException e = assertThrows(UnsupportedMultiaddrException.class, () -> ws.dial(tcp, DIAL_TIMEOUT));
        assertEquals(tcp, e.address());
        assertTrue(e.getMessage().startsWith("websocket: cannot dial /ip4/127.0.0.1/tcp/4001 "), e.getMessage());
        assertThrows(UnsupportedMultiaddrException.class, () -> ws.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/wss")));
    }

    @Test
    void socketsOnBothEndsHaveNoDelay() throws Exception {
        try (Listener listener = ws.listen(loopbackAnyPort());
                WebSocketConnection dialed = (WebSocketConnection) ws.dial(listener.addresses().get(0), DIAL_TIMEOUT);
                WebSocketConnection accepted = (WebSocketConnection) listener.accept()) {
            assertTrue(dialed.socket().getTcpNoDelay());
            assertTrue(accepted.socket().getTcpNoDelay());
        }
    }

    @Test
    void writesLargerThanOneFrameArriveWhole() throws Exception {
        byte[] data = new byte[3 * WebSocketConnection.MAX_WRITE_PAYLOAD + 17];
        new Random(1).nextBytes(data);
        try (Listener listener = ws.listen(loopbackAnyPort());
                RawConnection dialed = ws.dial(listener.addresses().get(0), DIAL_TIMEOUT);
                RawConnection accepted = listener.accept()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    dialed.output().write(data);
                    accepted.output().write(data);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertArrayEquals(data, accepted.input().readNBytes(data.length));
            assertArrayEquals(data, dialed.input().readNBytes(data.length));
            writer.join();
        }
    }

    // ---- a scripted client against our listener ---------------------------------------------------------------

    /** A client that speaks raw frames: handshake done, then bytes as the test writes them. */
    private record RawClient(Socket socket, InputStream in, OutputStream out) implements AutoCloseable {
        static RawClient connect(Listener listener) throws IOException {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port(listener));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Handshake.client(in, socket.getOutputStream(), "127.0.0.1", "dGhlIHNhbXBsZSBub25jZQ==");
            return new RawClient(socket, in, socket.getOutputStream());
        }

        /** Sends one masked frame (key 0x37fa213d, as RFC 6455 §5.7). */
        void send(boolean fin, int opcode, byte[] payload) throws IOException {
            byte[] frame = new byte[Frame.MAX_HEADER_BYTES + payload.length];
            int header = Frame.writeHeader(frame, 0, fin, opcode, true, 0x37fa213d, payload.length);
            System.arraycopy(payload, 0, frame, header, payload.length);
            Frame.mask(frame, header, payload.length, 0x37fa213d, 0);
            out.write(frame, 0, header + payload.length);
        }

        /** Reads one unmasked server frame: its header and payload. */
        byte[] receive(int opcode) throws IOException {
            Frame frame = Frame.read(in, false, 1 << 20);
            assertEquals(opcode, frame.opcode(), "opcode");
            return in.readNBytes((int) frame.length());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static int port(Listener listener) {
        return Integer.parseInt(listener.addresses().get(0).valueOf("tcp").orElseThrow());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void fragmentedAndTextMessagesArriveAsOneByteStream() throws Exception {
        try (Listener listener = ws.listen(loopbackAnyPort()); RawClient client = RawClient.connect(listener);
                RawConnection accepted = listener.accept()) {
            client.send(false, Frame.BINARY, bytes("Hel"));
            client.send(false, Frame.CONTINUATION, new byte[0]);
            client.send(true, Frame.CONTINUATION, bytes("lo "));
            client.send(true, Frame.TEXT, bytes("world"));
            assertArrayEquals(bytes("Hello world"), accepted.input().readNBytes(11));
        }
    }

    @Test
    void aPingBetweenFragmentsIsAnsweredWithAPongOfTheSamePayload() throws Exception {
        try (Listener listener = ws.listen(loopbackAnyPort()); RawClient client = RawClient.connect(listener);
                RawConnection accepted = listener.accept()) {
            client.send(false, Frame.BINARY, bytes("ab"));
            client.send(true, Frame.PING, bytes("are you there"));
            client.send(true, Frame.PONG, bytes("unsolicited"));
            client.send(true, Frame.CONTINUATION, bytes("cd"));
            assertArrayEquals(bytes("abcd"), accepted.input().readNBytes(4));
            assertArrayEquals(bytes("are you there"), client.receive(Frame.PONG));
            accepted.output().write(bytes("after"));
            assertArrayEquals(bytes("after"), client.receive(Frame.BINARY));
        }
    }

    @Test
    void pongsSentByTheReaderNeverInterleaveWithTheWritersFrames() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(11).nextBytes(data);
        int pings = 200;
        try (Listener listener = ws.listen(loopbackAnyPort()); RawClient client = RawClient.connect(listener);
                RawConnection accepted = listener.accept()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int off = 0; off < data.length; off += 100_000) {
                        accepted.output().write(data, off, Math.min(100_000, data.length - off));
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            // Our reader answers pings while it waits for data.
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    assertEquals('!', accepted.input().read());
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            Thread pinger = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < pings; i++) {
                        client.send(true, Frame.PING, new byte[] {(byte) (i >>> 8), (byte) i});
                    }
                    client.send(true, Frame.BINARY, bytes("!"));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            // Every frame must parse: a Pong cut into a data frame would break the framing here.
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            int lastPong = -1;
            while (received.size() < data.length || lastPong != pings - 1) {
                Frame frame = Frame.read(client.in(), false, 1 << 20);
                byte[] payload = client.in().readNBytes((int) frame.length());
                if (frame.opcode() == Frame.PONG) {
                    int n = (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
                    assertTrue(n > lastPong, "pongs answer pings in order (" + n + " after " + lastPong + ")");
                    lastPong = n;
                } else {
                    assertEquals(Frame.BINARY, frame.opcode());
                    received.writeBytes(payload);
                }
            }
            assertArrayEquals(data, received.toByteArray());
            writer.join();
            pinger.join();
            reader.join();
        }
    }

    @Test
    void aCloseFrameIsAnsweredWithTheSameCodeAndEndsTheInput() throws Exception {
        try (Listener listener = ws.listen(loopbackAnyPort()); RawClient client = RawClient.connect(listener);
                RawConnection accepted = listener.accept()) {
            client.send(true, Frame.BINARY, bytes("last"));
            client.send(true, Frame.CLOSE, new byte[] {0x03, (byte) 0xE9, 'b', 'y', 'e'}); // 1001 going away
            assertArrayEquals(bytes("last"), accepted.input().readAllBytes());
            assertEquals(-1, accepted.input().read());
            assertArrayEquals(new byte[] {0x03, (byte) 0xE9}, client.receive(Frame.CLOSE));
            assertThrows(IOException.class, () -> accepted.output().write(1), "no data after our close frame");
        }
    }

    @Test
    void anUnmaskedClientFrameFailsTheConnectionWithCloseCode1002() throws Exception {
        try (Listener listener = ws.listen(loopbackAnyPort()); RawClient client = RawClient.connect(listener);
                RawConnection accepted = listener.accept()) {
            client.out().write(new byte[] {(byte) 0x82, 0x01, 42});
            WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class, () -> accepted.input().read());
            assertEquals(1002, e.closeCode());
            assertEquals("websocket: unmasked frame from a client (opcode 0x2)", e.getMessage());
            assertArrayEquals(new byte[] {0x03, (byte) 0xEA}, client.receive(Frame.CLOSE));
            assertThrows(WebSocketProtocolException.class, () -> accepted.input().read(), "the failure sticks");
        }
    }

    @Test
    void aFrameOverTheBoundFailsTheConnectionWithCloseCode1009() throws Exception {
        WebSocketTransport small = ws.withMaxFramePayload(1024);
        try (Listener listener = small.listen(loopbackAnyPort()); RawClient client = RawClient.connect(listener);
                RawConnection accepted = listener.accept()) {
            client.send(true, Frame.BINARY, new byte[1024]);
            client.send(true, Frame.BINARY, new byte[1025]);
            assertEquals(1024, accepted.input().readNBytes(1024).length);
            WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class, () -> accepted.input().read());
            assertEquals(WebSocketProtocolException.MESSAGE_TOO_BIG, e.closeCode());
            assertArrayEquals(new byte[] {0x03, (byte) 0xF1}, client.receive(Frame.CLOSE));
        }
    }

    @Test
    void aContinuationWithoutAMessageIsAProtocolError() throws Exception {
        try (Listener listener = ws.listen(loopbackAnyPort()); RawClient client = RawClient.connect(listener);
                RawConnection accepted = listener.accept()) {
            client.send(true, Frame.CONTINUATION, bytes("x"));
            WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class, () -> accepted.input().read());
            assertEquals("websocket: continuation frame with no message to continue", e.getMessage());
        }
    }

    // ---- bad clients never stop the listener ------------------------------------------------------------------

    @Test
    void theListenerAnswers400ToPlainHttpAndKeepsAccepting() throws Exception {
        try (Listener listener = ws.listen(loopbackAnyPort())) {
            try (Socket http = new Socket(InetAddress.getLoopbackAddress(), port(listener))) {
                http.getOutputStream().write(bytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
                String response = new String(http.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
            }
            assertCarriesBytes(listener);
        }
    }

    @Test
    void theListenerKeepsAcceptingAfterGarbageResetsAndSilentClients() throws Exception {
        try (Listener listener = ws.listen(loopbackAnyPort());
                Socket silent = new Socket(InetAddress.getLoopbackAddress(), port(listener))) {
            try (Socket garbage = new Socket(InetAddress.getLoopbackAddress(), port(listener))) {
                byte[] noise = new byte[20_000];
                new Random(7).nextBytes(noise);
                garbage.getOutputStream().write(noise);
            } catch (IOException e) {
                // the listener may reset us once it has seen enough: fine
            }
            Socket rude = new Socket(InetAddress.getLoopbackAddress(), port(listener));
            rude.setSoLinger(true, 0);
            rude.close(); // RST
            assertFalse(silent.isClosed());
            // The silent client holds only its own handshake thread: a good client gets through meanwhile.
            assertCarriesBytes(listener);
        }
    }

    @Test
    void aClientThatSaysNothingIsDroppedAfterTheHandshakeTimeout() throws Exception {
        try (Listener listener = ws.withHandshakeTimeout(Duration.ofMillis(200)).listen(loopbackAnyPort());
                Socket silent = new Socket(InetAddress.getLoopbackAddress(), port(listener))) {
            assertEquals(-1, silent.getInputStream().read(), "the listener closes the connection");
            assertCarriesBytes(listener);
        }
    }

    @Test
    void closeReturnsOnlyOnceThePortRefusesConnectionsEvenRightAfterListen() throws Exception {
        // The accept thread starts blocking in accept() just as close() runs: the race that once let a dial in.
        for (int i = 0; i < 50; i++) {
            Multiaddr gone;
            try (Listener listener = ws.listen(loopbackAnyPort())) {
                gone = listener.addresses().get(0);
            }
            assertThrows(java.net.ConnectException.class, () -> ws.dial(gone, DIAL_TIMEOUT).close(), gone.toString());
        }
    }

    private void assertCarriesBytes(Listener listener) throws Exception {
        try (RawConnection dialed = ws.dial(listener.addresses().get(0), DIAL_TIMEOUT);
                RawConnection accepted = listener.accept()) {
            dialed.output().write(9);
            assertEquals(9, accepted.input().read());
        }
    }

    // ---- a scripted server against our dialer ------------------------------------------------------------------

    @Test
    void theDialerRejectsAServerThatDoesNotSwitchProtocols() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    Handshake.readHead(s.getInputStream(), "request");
                    s.getOutputStream().write(bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // the test checks the dialer's side
                }
            });
            Multiaddr address = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + server.getLocalPort() + "/ws");
            WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class, () -> ws.dial(address, DIAL_TIMEOUT));
            assertEquals("websocket: handshake: server answered HTTP/1.1 404 Not Found instead of 101 switching protocols",
                    e.getMessage());
        }
    }

    @Test
    void theDialerRejectsAMaskedServerFrameWithCloseCode1002() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            byte[][] closeFrame = new byte[1][];
            Thread peer = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    Handshake.server(in, s.getOutputStream());
                    s.getOutputStream().write(new byte[] {(byte) 0x82, (byte) 0x81, 1, 2, 3, 4, 5});
                    Frame close = Frame.read(in, true, 125);
                    byte[] payload = in.readNBytes((int) close.length());
                    Frame.mask(payload, 0, payload.length, close.maskKey(), 0);
                    closeFrame[0] = payload;
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            Multiaddr address = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + server.getLocalPort() + "/ws");
            try (RawConnection dialed = ws.dial(address, DIAL_TIMEOUT)) {
                WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class, () -> dialed.input().read());
                assertEquals("websocket: masked frame from a server (opcode 0x2)", e.getMessage());
            }
            peer.join();
            assertArrayEquals(new byte[] {0x03, (byte) 0xEA}, closeFrame[0]);
        }
    }

    // ---- wss ----------------------------------------------------------------------------------------------------

    private static final char[] STORE_PASSWORD = "weft-test".toCharArray();

    /** A context with the test certificate for {@code localhost} as its key and as its only trust anchor. */
    private static SSLContext localhostTls() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = WebSocketTransportTest.class.getResourceAsStream("localhost.p12")) {
            store.load(in, STORE_PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void wssDialsAListenerWhoseCertificateNamesTheDnsName() throws Exception {
        WebSocketTransport wss = ws.withTls(localhostTls());
        try (Listener listener = wss.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/wss"))) {
            assertTrue(listener.addresses().get(0).toString().endsWith("/wss"), listener.addresses().toString());
            Multiaddr byName = Multiaddr.parse("/dns4/localhost/tcp/" + port(listener) + "/wss/p2p/" + PEER);
            try (RawConnection dialed = wss.dial(byName, DIAL_TIMEOUT); RawConnection accepted = listener.accept()) {
                assertEquals(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port(listener) + "/wss"), dialed.remoteAddress());
                byte[] data = new byte[200_000];
                new Random(5).nextBytes(data);
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        dialed.output().write(data);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
                assertArrayEquals(data, accepted.input().readNBytes(data.length));
                writer.join();
            }
        }
    }

    @Test
    void wssRefusesACertificateForAnotherNameOrFromAnUntrustedIssuer() throws Exception {
        WebSocketTransport wss = ws.withTls(localhostTls());
        try (Listener listener = wss.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/tls/ws"))) {
            // The certificate names DNS:localhost only, not the IP address.
            Multiaddr byIp = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port(listener) + "/wss");
            assertThrows(SSLHandshakeException.class, () -> wss.dial(byIp, DIAL_TIMEOUT).close());
            // The JDK's default trust store does not know our self-signed certificate.
            Multiaddr byName = Multiaddr.parse("/dns4/localhost/tcp/" + port(listener) + "/wss");
            assertThrows(SSLHandshakeException.class, () -> ws.dial(byName, DIAL_TIMEOUT).close());
            try (RawConnection dialed = wss.dial(byName, DIAL_TIMEOUT); RawConnection accepted = listener.accept()) {
                accepted.output().write(bytes("still here"));
                assertArrayEquals(bytes("still here"), dialed.input().readNBytes(10));
            }
        }
    }

    @Test
    void closeSendsANormalClosureFrame() throws Exception {
        try (Listener listener = ws.listen(loopbackAnyPort()); RawClient client = RawClient.connect(listener);
                RawConnection accepted = listener.accept()) {
            accepted.output().write(bytes("bye"));
            accepted.close();
            assertArrayEquals(bytes("bye"), client.receive(Frame.BINARY));
            assertArrayEquals(new byte[] {0x03, (byte) 0xE8}, client.receive(Frame.CLOSE));
        }
    }
}
