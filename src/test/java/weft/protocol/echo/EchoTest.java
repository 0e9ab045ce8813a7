package weft.protocol.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import weft.ProtocolViolationException;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;
import weft.testing.Background;
import weft.testing.StreamPair;

class EchoTest {
    @Test
    void echoesAMessageAndClosesAfterTheClientHalfCloses() throws Exception {
        StreamPair pair = StreamPair.create();
        Background<Long> server = Background.start(() -> Echo.serve(pair.right()));
        byte[] hello = "Hello from weft".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hello, Echo.echo(pair.left(), hello));
        assertEquals(hello.length, server.join());
    }

    @Test
    void anEmptyMessageComesBackEmpty() throws Exception {
        StreamPair pair = StreamPair.create();
        Background<Long> server = Background.start(() -> Echo.serve(pair.right()));
        assertArrayEquals(new byte[0], Echo.echo(pair.left(), new byte[0]));
        assertEquals(0, server.join());
    }

    @Test
    void aMessageFarLargerThanBothWindowsDoesNotDeadlock() throws Exception {
        StreamPair pair = StreamPair.create(1024);
        byte[] big = new byte[1 << 20];
        new Random(1).nextBytes(big);
        Background<Long> server = Background.start(() -> Echo.serve(pair.right()));
        assertArrayEquals(big, Echo.echo(pair.left(), big));
        assertEquals(big.length, server.join());
    }

    @Test
    void theServerKeepsWritingAfterTheClientsFinAndOnlyThenCloses() throws Exception {
        StreamPair pair = StreamPair.create();
        MuxedStream client = pair.left();
        client.write(new byte[] {1, 2, 3}, 0, 3);
        client.closeWrite();
        assertThrows(StreamClosedException.class, () -> client.write(new byte[1], 0, 1));
        Background<Long> server = Background.start(() -> Echo.serve(pair.right()));
        assertArrayEquals(new byte[] {1, 2, 3}, client.input().readAllBytes());
        assertEquals(3, server.join());
    }

    @Test
    void anAlteredEchoIsAProtocolViolation() throws Exception {
        StreamPair pair = StreamPair.create();
        Background<Void> liar = Background.start(() -> {
            byte[] got = pair.right().input().readAllBytes();
            got[0] ^= 1;
            pair.right().write(got, 0, got.length);
            pair.right().close();
            return null;
        });
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> Echo.echo(pair.left(), new byte[] {5, 6}));
        assertEquals("echo: the peer echoed different bytes (sent 2, got 2)", e.getMessage());
        liar.join();
    }

    @Test
    void aResetByTheClientEndsTheServerWithARemoteReset() throws Exception {
        StreamPair pair = StreamPair.create();
        pair.left().write(new byte[100], 0, 100);
        pair.left().reset();
        Background<Long> server = Background.start(() -> Echo.serve(pair.right()));
        StreamResetException e = assertThrows(StreamResetException.class, server::join);
        assertTrue(e.remote());
    }

    @Test
    void aResetByTheServerFailsTheClientAndFreesItsWriter() throws Exception {
        StreamPair pair = StreamPair.create(1024);
        Background<Void> server = Background.start(() -> {
            pair.right().input().readNBytes(10);
            pair.right().reset();
            return null;
        });
        StreamResetException e = assertThrows(StreamResetException.class,
                () -> Echo.echo(pair.left(), new byte[1 << 20]));
        assertTrue(e.remote());
        server.join();
    }
}
