package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.mux.MuxedStream;
import weft.transport.webrtc.dtls.DtlsCertificate;

class WebRtcDirectListenerTest {
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final PrivateKey serverKey = PrivateKey.generate();
    private final AtomicInteger injectPortUnreachable = new AtomicInteger();
    private final List<TestDialer> dialers = new ArrayList<>();
    private WebRtcDirectListener listener;

    @AfterEach
    void close() {
        dialers.forEach(TestDialer::close);
        if (listener != null) {
            listener.close();
        }
        threads.shutdownNow();
    }

    /** A loopback listener whose socket can be made to report an ICMP port unreachable, as Windows does. */
    private WebRtcDirectListener listen() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener = new WebRtcDirectListener(socket, packet -> {
            if (injectPortUnreachable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new PortUnreachableException("icmp port unreachable (injected)");
            }
            socket.receive(packet);
        }, serverKey, DtlsCertificate.generate(), WebRtcDirectListener.Config.defaults());
        threads.submit(() -> {
            while (true) {
                WebRtcConnection connection = listener.accept();
                threads.submit(() -> echoEveryStream(connection));
            }
        });
        return listener;
    }

    private Void echoEveryStream(WebRtcConnection connection) throws IOException {
        while (true) {
            MuxedStream stream = connection.acceptStream();
            threads.submit(() -> {
                stream.input().transferTo(stream.output());
                stream.closeWrite();
                return null;
            });
        }
    }

    private TestDialer dial() throws Exception {
        TestDialer dialer = TestDialer.dial(listener.address(), PrivateKey.generate());
        dialers.add(dialer);
        return dialer;
    }

    private static void assertEchoes(TestDialer dialer, String text) throws Exception {
        MuxedStream stream = dialer.channels.openStream();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        stream.write(bytes, 0, bytes.length);
        stream.closeWrite();
        assertArrayEquals(bytes, stream.input().readAllBytes());
    }

    @Test
    void addressCarriesTheCerthashAndPeerId() throws Exception {
        listen();
        String text = listener.address().toString();
        assertTrue(text.matches("/ip4/127\\.0\\.0\\.1/udp/\\d+/webrtc-direct/certhash/u[A-Za-z0-9_-]+/p2p/.+"), text);
        assertEquals(PeerId.fromPublicKey(serverKey.publicKey()).toString(), listener.address().peerId().orElseThrow());
    }

    @Test
    void aDialerAuthenticatesTheListenerAndEchoesOverDataChannels() throws Exception {
        listen();
        TestDialer dialer = dial();
        assertEquals(PeerId.fromPublicKey(serverKey.publicKey()), dialer.remotePeer);
        assertEchoes(dialer, "hello over sctp over dtls over udp");
        List<Future<?>> parallel = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String text = "stream " + i + " ".repeat(i * 1000);
            parallel.add(threads.submit(() -> {
                assertEchoes(dialer, text);
                return null;
            }));
        }
        for (Future<?> f : parallel) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * The seed bug (rust-libp2p, fixed in libp2p-webrtc 0.4.0-alpha.3): one browser leaving, with an ICMP port
     * unreachable reported on the shared socket, closed the whole listener. Here three clients connect, one
     * vanishes (its port closes, nothing is said), the socket reports ICMP errors, and the other two keep working
     * while a fourth connects.
     */
    @Test
    void oneClientVanishingLeavesTheOthersWorkingAndANewOneConnects() throws Exception {
        listen();
        TestDialer first = dial();
        TestDialer second = dial();
        TestDialer third = dial();
        assertEchoes(first, "one");
        second.vanish();
        injectPortUnreachable.set(3);
        assertEchoes(first, "still here");
        assertEchoes(third, "me too");
        TestDialer fourth = dial();
        assertEchoes(fourth, "newcomer");
        assertEquals(0, injectPortUnreachable.get(), "the loop went past the injected errors");
    }
}
