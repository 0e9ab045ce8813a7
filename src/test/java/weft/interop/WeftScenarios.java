package weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import weft.connection.Connection;
import weft.host.Host;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;
import weft.protocol.echo.Echo;

/**
 * The weft dialer's side of the scenarios the js interop tests share (the js peer's own side is
 * {@code src/test/interop/js/scenarios.mjs}), each on a connection the weft host has to the js listener. Failures are
 * assertion errors.
 */
final class WeftScenarios {
    private WeftScenarios() {}

    /**
     * Echoes {@code bytes} pseudo-random bytes on each of {@code streams} streams at once, one virtual thread each,
     * and checks each comes back; each payload is seeded by its stream's index so that a mix-up shows.
     */
    static void echoAtOnce(Host weft, Connection conn, int streams, int bytes) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> echoes = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                byte[] payload = new byte[bytes];
                new Random(i).nextBytes(payload);
                sent.add(payload);
                echoes.add(threads.submit(() -> Echo.echo(weft.newStream(conn, Echo.PROTOCOL_ID), payload)));
            }
            for (int i = 0; i < streams; i++) {
                assertArrayEquals(sent.get(i), echoes.get(i).get());
            }
        }
    }

    /**
     * A stream the js listener resets after reading {@code first} ({@link JsInteropTest#RESET}) fails our read with a
     * remote reset; an echo stream we reset in the middle; then an echo on the same connection still works.
     */
    static void seeBothResetsWhileTheConnectionSurvives(Host weft, Connection conn, byte[] first) throws Exception {
        MuxedStream theirs = weft.newStream(conn, JsInteropTest.RESET);
        theirs.write(first, 0, first.length);
        StreamResetException e = assertThrows(StreamResetException.class, () -> theirs.input().readAllBytes());
        assertTrue(e.remote());

        MuxedStream ours = weft.newStream(conn, Echo.PROTOCOL_ID);
        ours.write(new byte[4096], 0, 4096);
        ours.reset();

        byte[] text = "still alive".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(text, Echo.echo(weft.newStream(conn, Echo.PROTOCOL_ID), text));
    }

    /**
     * Writes {@code bytes} pseudo-random bytes on an echo stream and half-closes it: a write after our FIN fails,
     * and the echo, which js writes after our FIN, still arrives whole.
     */
    static void halfCloseAndReadTheEcho(Host weft, Connection conn, int bytes) throws Exception {
        MuxedStream stream = weft.newStream(conn, Echo.PROTOCOL_ID);
        byte[] payload = new byte[bytes];
        new Random(3).nextBytes(payload);
        stream.write(payload, 0, payload.length);
        stream.closeWrite();
        assertThrows(StreamClosedException.class, () -> stream.write(new byte[1], 0, 1));
        assertArrayEquals(payload, stream.input().readAllBytes());
    }
}
