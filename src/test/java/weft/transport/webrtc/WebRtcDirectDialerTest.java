package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.security.PeerIdMismatchException;
import weft.transport.webrtc.dtls.DtlsCertificate;

/**
 * weft dials weft over webrtc-direct: the client role ({@link WebRtcDirectDialer}) against the listener, through
 * the transport, and the ways a dial must fail (wrong certhash, wrong peer, nobody there, nobody answering).
 */
class WebRtcDirectDialerTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/udp/0/webrtc-direct");

    private final PrivateKey serverKey = PrivateKey.generate();
    private final PrivateKey clientKey = PrivateKey.generate();
    private final WebRtcDirectTransport server = new WebRtcDirectTransport(serverKey, DtlsCertificate.generate(),
            WebRtcDirectListener.Config.defaults());
    private final WebRtcDirectTransport client = new WebRtcDirectTransport(clientKey, DtlsCertificate.generate(),
            WebRtcDirectListener.Config.defaults());
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        client.close();
        server.close();
        threads.shutdownNow();
    }

    private SecureTransport.Listener listen() throws IOException {
        SecureTransport.Listener listener = server.listen(LOOPBACK);
        closeables.add(listener);
        return listener;
    }

    private Multiaddr dialable(SecureTransport.Listener listener) {
        return listener.addresses().get(0).encapsulate("/p2p/" + PeerId.fromPublicKey(serverKey.publicKey()));
    }

    /** Accepts one connection and echoes every stream on it, each on its own thread. */
    private Future<Connection> acceptAndEcho(SecureTransport.Listener listener) {
        return threads.submit(() -> {
            Connection connection = listener.accept();
            closeables.add(connection);
            threads.submit(() -> {
                while (true) {
                    MuxedStream stream = connection.acceptStream();
                    threads.submit(() -> {
                        stream.input().transferTo(stream.output());
                        stream.closeWrite();
                        return null;
                    });
                }
            });
            return connection;
        });
    }

    private static byte[] echo(Connection connection, byte[] bytes) throws IOException {
        MuxedStream stream = connection.openStream();
        stream.output().write(bytes);
        stream.closeWrite();
        return stream.input().readAllBytes();
    }

    @Test
    void weftDialsWeftAndBothSidesKnowEachOther() throws Exception {
        SecureTransport.Listener listener = listen();
        Future<Connection> accepted = acceptAndEcho(listener);
        Connection dialed = client.dial(dialable(listener), Duration.ofSeconds(10));
        closeables.add(dialed);
        Connection inbound = accepted.get(10, TimeUnit.SECONDS);
        assertEquals(PeerId.fromPublicKey(serverKey.publicKey()), dialed.remotePeer());
        assertEquals(PeerId.fromPublicKey(clientKey.publicKey()), inbound.remotePeer());
        assertTrue(dialed.isDialer());
        assertEquals(WebRtcDirectTransport.PROTOCOL, dialed.securityProtocol());
        assertEquals(listener.addresses().get(0), dialed.remoteAddress());
        assertEquals(inbound.remoteAddress(), dialed.localAddress());
        byte[] hello = "hello from the dialing side".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hello, echo(dialed, hello));
    }

    @Test
    void theDialerOpensEvenDataChannelsAndManyRunAtOnce() throws Exception {
        SecureTransport.Listener listener = listen();
        acceptAndEcho(listener);
        Connection dialed = client.dial(dialable(listener), Duration.ofSeconds(10));
        closeables.add(dialed);
        List<Future<byte[]>> echoes = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] payload = new byte[50_000];
            for (int k = 0; k < payload.length; k++) {
                payload[k] = (byte) (i * 31 + k);
            }
            sent.add(payload);
            echoes.add(threads.submit(() -> echo(dialed, payload)));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), echoes.get(i).get(30, TimeUnit.SECONDS), "stream " + i);
        }
        MuxedStream stream = dialed.openStream();
        assertEquals(0, stream.id() % 2, "the DTLS client uses even stream ids");
        stream.reset();
    }

    @Test
    void aCerthashOfAnotherCertificateFailsTheDialWithCerthashMismatch() throws Exception {
        SecureTransport.Listener listener = listen();
        Fingerprint other = DtlsCertificate.generate().fingerprint();
        Multiaddr wrong = Multiaddr.parse(listener.addresses().get(0).toString()
                .replaceAll("/certhash/[^/]+", "/certhash/" + other.certhash()));
        CerthashMismatchException e = assertThrows(CerthashMismatchException.class,
                () -> client.dial(wrong, Duration.ofSeconds(10)));
        assertEquals(List.of(other), e.expected());
        assertEquals(listener.addresses().get(0).valueOf("certhash").orElseThrow(), e.actual().certhash());
        assertTrue(e.getMessage().startsWith("webrtc: server certificate "), e.getMessage());
    }

    @Test
    void anAddressNamingAnotherPeerFailsTheDialWithPeerIdMismatch() throws Exception {
        SecureTransport.Listener listener = listen();
        PeerId someoneElse = PeerId.fromPublicKey(PrivateKey.generate().publicKey());
        Multiaddr wrong = listener.addresses().get(0).encapsulate("/p2p/" + someoneElse);
        PeerIdMismatchException e = assertThrows(PeerIdMismatchException.class,
                () -> client.dial(wrong, Duration.ofSeconds(10)));
        assertEquals(someoneElse, e.expected());
        assertEquals(PeerId.fromPublicKey(serverKey.publicKey()), e.actual());
    }

    @Test
    void aPortNobodyAnswersOnTimesOut() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Multiaddr target = Multiaddr.parse("/ip4/127.0.0.1/udp/" + silent.getLocalPort()
                    + "/webrtc-direct/certhash/" + DtlsCertificate.generate().fingerprint().certhash());
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> client.dial(target, Duration.ofMillis(600)));
            assertTrue(e.getMessage().startsWith("webrtc: dialing /127.0.0.1:"), e.getMessage());
        }
    }

    @Test
    void aClosedPortFailsTheDialOrTimesOut() throws Exception {
        int port;
        try (DatagramSocket gone = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = gone.getLocalPort();
        }
        Multiaddr target = Multiaddr.parse("/ip4/127.0.0.1/udp/" + port + "/webrtc-direct/certhash/"
                + DtlsCertificate.generate().fingerprint().certhash());
        IOException e = assertThrows(IOException.class, () -> client.dial(target, Duration.ofSeconds(2)));
        // ICMP port unreachable where the system reports it (Linux on loopback), else the deadline
        assertTrue(e instanceof ConnectException || e instanceof SocketTimeoutException, e.toString());
    }

    @Test
    void anInterruptedDialEndsWithInterruptedIoException() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Multiaddr target = Multiaddr.parse("/ip4/127.0.0.1/udp/" + silent.getLocalPort()
                    + "/webrtc-direct/certhash/" + DtlsCertificate.generate().fingerprint().certhash());
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            Thread dialing = Thread.ofVirtual().start(() -> {
                try {
                    client.dial(target, Duration.ofSeconds(60)).close();
                    ended.complete(null);
                } catch (Throwable e) {
                    ended.complete(e);
                }
            });
            silent.receive(new DatagramPacket(new byte[1500], 1500)); // the first check: the dial is under way
            dialing.interrupt();
            Throwable e = ended.get(10, TimeUnit.SECONDS);
            assertTrue(e instanceof InterruptedIOException, String.valueOf(e));
        }
    }

    @Test
    void closingTheTransportClosesTheConnectionsItDialed() throws Exception {
        SecureTransport.Listener listener = listen();
        Future<Connection> accepted = acceptAndEcho(listener);
        Connection dialed = client.dial(dialable(listener), Duration.ofSeconds(10));
        Connection inbound = accepted.get(10, TimeUnit.SECONDS);
        client.close();
        assertTrue(dialed.isClosed());
        assertThrows(IOException.class, inbound::acceptStream); // the listener's side ends too (SCTP shutdown)
    }

    @Test
    void weftDialsWeftOverIpv6Loopback() throws Exception {
        SecureTransport.Listener listener;
        try {
            listener = server.listen(Multiaddr.parse("/ip6/::1/udp/0/webrtc-direct"));
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e);
            return;
        }
        closeables.add(listener);
        acceptAndEcho(listener);
        Connection dialed = client.dial(dialable(listener), Duration.ofSeconds(10));
        closeables.add(dialed);
        assertTrue(dialed.localAddress().toString().startsWith("/ip6/::1/udp/"), dialed.localAddress().toString());
        byte[] hello = "over ipv6".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hello, echo(dialed, hello));
    }
}
