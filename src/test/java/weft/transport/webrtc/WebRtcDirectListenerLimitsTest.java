package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.crypto.PrivateKey;
import weft.mux.MuxedStream;
import weft.transport.webrtc.dtls.DtlsCertificate;
import weft.transport.webrtc.stun.StunMessage;

/**
 * The listener's bounds on remotes: per IP address, in flight (admitted, not yet accepted), and the time a remote
 * has to authenticate. Remotes here are bare UDP sockets that send STUN checks, and a {@link TestDialer} for a whole
 * connection. The listener's socket loop handles datagrams one by one, in order: once the answer to a later check
 * from a known remote is back, an earlier check it did not answer was refused, not delayed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebRtcDirectListenerLimitsTest {
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private WebRtcDirectListener listener;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (listener != null) {
            listener.close();
        }
        threads.shutdownNow();
    }

    private void listen(WebRtcDirectListener.Config config) throws IOException {
        listener = WebRtcDirectListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                PrivateKey.generate(), DtlsCertificate.generate(), config);
        threads.submit(() -> {
            while (true) {
                WebRtcConnection connection = listener.accept();
                threads.submit(() -> {
                    MuxedStream stream = connection.acceptStream();
                    stream.input().transferTo(stream.output());
                    stream.closeWrite();
                    return null;
                });
            }
        });
    }

    /** A remote that only ever sends STUN checks, from its own port, with its own ufrag. */
    private final class Checker {
        final DatagramSocket socket;
        final String ufrag;

        Checker() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closing.add(socket);
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            ufrag = "libp2p+webrtc+v1/" + HexFormat.of().formatHex(random);
        }

        void check() throws IOException {
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(listener.address().valueOf("udp").orElseThrow()));
            TestDialer.sendCheck(socket, server, ufrag);
        }

        /** Waits for the answer to a check (the loop answers at once; the bound only guards against a hang). */
        void answered() throws IOException {
            socket.setSoTimeout(10_000);
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            socket.receive(packet);
            assertTrue(StunMessage.decode(packet.getData(), packet.getLength())
                    .hasValidIntegrity(ufrag.getBytes(StandardCharsets.UTF_8)), "a valid binding response");
        }

        /** Nothing is waiting for this socket (call after a later answer to another remote came back). */
        void notAnswered() throws IOException {
            socket.setSoTimeout(1);
            assertThrows(SocketTimeoutException.class,
                    () -> socket.receive(new DatagramPacket(new byte[1500], 1500)));
        }
    }

    private Checker admitted() throws IOException {
        Checker checker = new Checker();
        checker.check();
        checker.answered();
        return checker;
    }

    @Test
    void aRemoteBeyondThePerIpLimitIsNotAnswered() throws Exception {
        listen(WebRtcDirectListener.Config.defaults().withMaxRemotesPerIp(2));
        Checker first = admitted();
        admitted();
        Checker third = new Checker();
        third.check();
        first.check(); // a known remote: answered, and after the third's check was handled
        first.answered();
        third.notAnswered();
        assertEquals(2, listener.remoteCount());
    }

    @Test
    void aRemoteBeyondThePendingLimitIsNotAnswered() throws Exception {
        listen(WebRtcDirectListener.Config.defaults().withMaxPendingConnections(2));
        Checker first = admitted();
        admitted();
        assertEquals(2, listener.pendingCount(), "admitted, never authenticated: both in flight");
        Checker third = new Checker();
        third.check();
        first.check();
        first.answered();
        third.notAnswered();
        assertEquals(2, listener.remoteCount());
    }

    @Test
    void aConnectionStopsCountingAsPendingOnceAccepted() throws Exception {
        listen(WebRtcDirectListener.Config.defaults().withMaxPendingConnections(1));
        TestDialer first = TestDialer.dial(listener.address(), PrivateKey.generate());
        closing.add(first);
        while (listener.pendingCount() > 0) { // the accept loop takes it just after the handshake
            Thread.onSpinWait();
            Thread.yield();
        }
        TestDialer second = TestDialer.dial(listener.address(), PrivateKey.generate());
        closing.add(second);
        MuxedStream stream = second.connection().openStream();
        stream.write(new byte[] {42}, 0, 1);
        stream.closeWrite();
        assertEquals(42, stream.input().read());
    }

    @Test
    void aRemoteNotAuthenticatedWithinTheHandshakeTimeoutIsDroppedAndItsSlotFreed() throws Exception {
        listen(WebRtcDirectListener.Config.defaults().withHandshakeTimeout(Duration.ofMillis(300))
                .withMaxPendingConnections(1));
        Checker idle = admitted(); // never starts DTLS
        assertEquals(1, listener.pendingCount());
        while (listener.remoteCount() > 0) { // the loop sweeps about once a second
            Thread.onSpinWait();
            Thread.yield();
        }
        assertEquals(0, listener.pendingCount());
        idle.check(); // its slot is free again: the same address is admitted anew
        idle.answered();
        assertEquals(1, listener.remoteCount());
    }
}
