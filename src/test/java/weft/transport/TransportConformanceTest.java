package weft.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.multiformats.Multiaddr;

/**
 * What every {@link Transport} must do, whatever it runs on (go-libp2p has the same idea in
 * {@code p2p/transport/testsuite}). A transport's test extends this and says how to make one and where to listen.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class TransportConformanceTest {
    protected static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);

    protected abstract Transport transport();

    /** A loopback address with port 0, e.g. {@code /ip4/127.0.0.1/tcp/0}. */
    protected abstract Multiaddr loopbackAnyPort();

    @Test
    void listeningOnPortZeroReportsTheRealBoundPort() throws IOException {
        try (Listener listener = transport().listen(loopbackAnyPort())) {
            Multiaddr bound = listener.addresses().get(0);
            assertNotEquals(loopbackAnyPort(), bound);
            assertTrue(transport().canDial(bound), bound + " should be dialable");
        }
    }

    @Test
    void dialedAndAcceptedConnectionsCarryBytesBothWays() throws Exception {
        try (Listener listener = transport().listen(loopbackAnyPort());
                RawConnection dialed = transport().dial(listener.addresses().get(0), DIAL_TIMEOUT);
                RawConnection accepted = listener.accept()) {
            dialed.output().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), accepted.input().readNBytes(4));
            accepted.output().write("pong".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("pong".getBytes(StandardCharsets.US_ASCII), dialed.input().readNBytes(4));
        }
    }

    @Test
    void eachEndSeesTheOtherEndsAddressAsItsRemote() throws Exception {
        try (Listener listener = transport().listen(loopbackAnyPort());
                RawConnection dialed = transport().dial(listener.addresses().get(0), DIAL_TIMEOUT);
                RawConnection accepted = listener.accept()) {
            assertEquals(listener.addresses().get(0), dialed.remoteAddress());
            assertEquals(dialed.localAddress(), accepted.remoteAddress());
            assertEquals(accepted.localAddress(), dialed.remoteAddress());
        }
    }

    @Test
    void bytesPastWhatOneLayerReadStayForTheNextReader() throws Exception {
        try (Listener listener = transport().listen(loopbackAnyPort());
                RawConnection dialed = transport().dial(listener.addresses().get(0), DIAL_TIMEOUT);
                RawConnection accepted = listener.accept()) {
            // One write carrying a "multistream line" and the "first Noise message" behind it, as rust-libp2p sends.
            dialed.output().write("/noise\nNOISE-MSG-1".getBytes(StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = accepted.input().read()) != '\n') {
                line.append((char) b);
            }
            assertEquals("/noise", line.toString());
            assertArrayEquals("NOISE-MSG-1".getBytes(StandardCharsets.US_ASCII), accepted.input().readNBytes(11));
        }
    }

    @Test
    void closingOneEndEndsTheOtherEndsStream() throws Exception {
        try (Listener listener = transport().listen(loopbackAnyPort());
                RawConnection dialed = transport().dial(listener.addresses().get(0), DIAL_TIMEOUT);
                RawConnection accepted = listener.accept()) {
            dialed.output().write(7);
            dialed.close();
            assertEquals(7, accepted.input().read());
            assertEquals(-1, accepted.input().read());
        }
    }

    @Test
    void acceptAfterCloseThrowsClosedChannelException() throws IOException {
        Listener listener = transport().listen(loopbackAnyPort());
        listener.close();
        assertThrows(ClosedChannelException.class, listener::accept);
        listener.close();
    }

    @Test
    void acceptBlockedWhileTheListenerClosesThrowsClosedChannelException() throws Exception {
        Listener listener = transport().listen(loopbackAnyPort());
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    listener.accept().close();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            }, executor);
            listener.close();
            assertTrue(outcome.get() instanceof ClosedChannelException, "got " + outcome.get());
        }
    }

    @Test
    void dialingAPortNobodyListensOnIsRefused() throws IOException {
        Multiaddr gone;
        try (Listener listener = transport().listen(loopbackAnyPort())) {
            gone = listener.addresses().get(0);
        }
        IOException e = assertThrows(IOException.class, () -> transport().dial(gone, DIAL_TIMEOUT).close());
        assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
    }

    @Test
    void manyConnectionsToOneListenerStaySeparate() throws Exception {
        try (Listener listener = transport().listen(loopbackAnyPort())) {
            int n = 20;
            RawConnection[] dialed = new RawConnection[n];
            RawConnection[] accepted = new RawConnection[n];
            for (int i = 0; i < n; i++) {
                dialed[i] = transport().dial(listener.addresses().get(0), DIAL_TIMEOUT);
                accepted[i] = listener.accept();
            }
            for (int i = 0; i < n; i++) {
                dialed[i].output().write(i);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(i, accepted[i].input().read());
                dialed[i].close();
                accepted[i].close();
            }
        }
    }

    protected static <T> T get(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
