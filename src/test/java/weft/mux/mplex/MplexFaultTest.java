package weft.mux.mplex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.testing.ScriptedMplexPeer.CLOSE_INITIATOR;
import static weft.testing.ScriptedMplexPeer.MESSAGE_INITIATOR;

import java.io.EOFException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import weft.ConnectionClosedException;
import weft.mux.MuxedStream;

/**
 * Malformed and cut-short input: each closes the session with a typed cause, wakes every blocked call with
 * {@link ConnectionClosedException}, and ends both session threads.
 */
class MplexFaultTest extends ScriptedMplexTestBase {

    /** Starts a listener with an accepted stream 0 whose read is blocked, sends {@code hex}, returns the cause. */
    private Throwable causeOf(String hex) throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(0);
        CompletableFuture<Throwable> read = blockedRead(s);
        peer.sendHex(hex);
        ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, read.get());
        assertThrows(ConnectionClosedException.class, session::acceptStream);
        assertThrows(ConnectionClosedException.class, session::openStream);
        assertEquals(List.of(), peer.framesUntilEnd()); // mplex has nothing to tell the peer: the connection ends
        awaitThreadsEnded();
        return e.getCause();
    }

    private static CompletableFuture<Throwable> blockedRead(MuxedStream s) {
        CompletableFuture<Throwable> read = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                s.read(new byte[1], 0, 1);
                read.complete(null);
            } catch (Throwable t) {
                read.complete(t);
            }
        });
        return read;
    }

    private void awaitThreadsEnded() throws InterruptedException {
        session.readerThread().join(Duration.ofSeconds(10));
        assertTrue(session.writer().awaitTermination(Duration.ofSeconds(10)), "writer thread ended");
        assertFalse(session.readerThread().isAlive(), "reader thread ended");
        assertTrue(session.isClosed());
    }

    @Test
    void aFrameLongerThanOneMebibyteClosesTheSession() throws Exception {
        Throwable cause = causeOf("02 81 80 40"); // MessageInitiator on stream 0, length 1048577
        assertInstanceOf(MplexProtocolException.class, cause);
        assertEquals("mplex: frame too large (stream 0, 1048577 > 1048576 bytes)", cause.getMessage());
    }

    @Test
    void aFrameOfExactlyOneMebibyteIsAccepted() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(0);
        peer.sendFrame(0, MESSAGE_INITIATOR, new byte[1 << 20]);
        peer.sendFrame(0, CLOSE_INITIATOR);
        assertEquals(1 << 20, s.input().readAllBytes().length);
    }

    @Test
    void theUndefinedFlagSevenClosesTheSession() throws Exception {
        Throwable cause = causeOf("07 00");
        assertInstanceOf(MplexProtocolException.class, cause);
        assertEquals("mplex: undefined flag (7, stream 0)", cause.getMessage());
    }

    @Test
    void aHeaderVarintThatIsNotMinimalClosesTheSession() throws Exception {
        Throwable cause = causeOf("82 00 00");
        assertInstanceOf(MplexProtocolException.class, cause);
        assertEquals("mplex: bad frame header (varint: not minimally encoded (2 bytes))", cause.getMessage());
    }

    @Test
    void aLengthVarintLongerThanNineBytesClosesTheSession() throws Exception {
        Throwable cause = causeOf("02 ff ff ff ff ff ff ff ff ff 01");
        assertInstanceOf(MplexProtocolException.class, cause);
        assertEquals("mplex: bad frame length (varint: longer than 9 bytes)", cause.getMessage());
    }

    @Test
    void aStreamIdAboveTwoToTheSixtyIsTooLongForTheHeaderVarint() throws Exception {
        Throwable cause = causeOf("ff ff ff ff ff ff ff ff ff 01 00");
        assertInstanceOf(MplexProtocolException.class, cause);
    }

    @Test
    void anInputCutInsideTheDataEndsTheSessionWithEof() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(0);
        CompletableFuture<Throwable> read = blockedRead(s);
        peer.sendHex("02 05 6869");
        peer.endOutput();
        ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, read.get());
        assertTrue(e.remote());
        assertInstanceOf(EOFException.class, e.getCause());
        assertEquals("mplex: connection ended inside a frame (stream 0, 2 of 5 bytes)", e.getCause().getMessage());
        awaitThreadsEnded();
    }

    @Test
    void anInputCutInsideTheHeaderEndsTheSessionWithEof() throws Exception {
        start(false);
        peer.sendHex("82");
        peer.endOutput();
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        assertInstanceOf(EOFException.class, e.getCause());
        assertEquals("mplex: connection ended inside a frame header (varint: stream ended after 1 bytes)",
                e.getCause().getMessage());
        awaitThreadsEnded();
    }

    @Test
    void anInputCutBeforeTheLengthEndsTheSessionWithEof() throws Exception {
        start(false);
        peer.sendHex("02");
        peer.endOutput();
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        assertEquals("mplex: connection ended before a frame length", e.getCause().getMessage());
    }

    @Test
    void aWriteBlockedOnAStalledConnectionIsWokenWhenTheSessionFails() throws Exception {
        start(true, config().withWriteQueueBytes(64 * KIB));
        MuxedStream s = session.openStream();
        sessionEnd.blockWrites();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Void> writer = threads.submit(() -> {
                byte[] big = new byte[8 << 20]; // more than the pipe, the writer's batch and the data lane hold
                s.write(big, 0, big.length);
                return null;
            });
            while (!sessionEnd.writerWaiting()) {
                Thread.onSpinWait();
                Thread.yield();
            }
            peer.sendHex("07 00");
            ExecutionException e = assertThrows(ExecutionException.class, writer::get);
            ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, e.getCause());
            assertInstanceOf(MplexProtocolException.class, closed.getCause());
        }
        sessionEnd.unblockWrites();
        awaitThreadsEnded();
    }
}
