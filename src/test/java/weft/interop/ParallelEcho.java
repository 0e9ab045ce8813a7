package weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import weft.connection.Connection;
import weft.host.Host;
import weft.protocol.echo.Echo;

/**
 * The weft side of the "echo on many streams at once" scenario the js interop tests share: one virtual thread per
 * echo stream, all on one connection, each payload seeded by its stream's index so that a mix-up shows.
 */
final class ParallelEcho {
    private ParallelEcho() {}

    /** Echoes {@code bytes} pseudo-random bytes on each of {@code streams} streams at once and checks each comes back. */
    static void run(Host weft, Connection conn, int streams, int bytes) throws Exception {
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
}
