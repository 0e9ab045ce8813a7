package weft.transport.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;

/**
 * Every byte comes back in order: 1 MiB echoes, written in 64 KiB pieces and echoed in reads of random sizes, one
 * stream after another. The first FIN workaround, which held back the last buffer of each write on the application's
 * side, swapped two echo writes here in about one run in four: a stale timer task recognised its buffer by identity,
 * and netty had recycled that pooled buffer object for a newer write ({@link FinCarrier} now holds it on the event
 * loop).
 */
class QuicStreamIntegrityTest {
    private static final int ECHOES = 30;

    private final QuicPair quic = new QuicPair();
    private final ExecutorService threads = quic.threads;

    @AfterEach
    void close() {
        quic.close();
    }

    @Test
    void oneMebibyteEchoesComeBackByteForByte() throws Exception {
        SecureTransport.Listener listening = quic.listen();
        Connection dialed = quic.dial(listening);
        MuxedConnection listener = listening.accept().muxedConnection();
        MuxedConnection dialer = dialed.muxedConnection();
        Random random = new Random(7);
        for (int i = 0; i < ECHOES; i++) {
            int readSize = 1 + random.nextInt(70_000);
            threads.submit(() -> {
                MuxedStream s = listener.acceptStream();
                byte[] buf = new byte[readSize];
                for (int n; (n = s.read(buf, 0, buf.length)) >= 0; ) {
                    s.write(buf, 0, n);
                }
                s.closeWrite();
                return null;
            });
            MuxedStream s = dialer.openStream();
            byte[] data = new byte[1 << 20];
            random.nextBytes(data);
            s.setReadTimeout(Duration.ofSeconds(20));
            Future<byte[]> reply = threads.submit(() -> s.input().readAllBytes());
            for (int off = 0; off < data.length; off += 64 * 1024) {
                s.write(data, off, 64 * 1024);
            }
            s.closeWrite();
            assertArrayEquals(data, reply.get(), "echo " + i);
        }
    }
}
