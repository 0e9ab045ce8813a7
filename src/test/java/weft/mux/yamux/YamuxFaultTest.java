package weft.mux.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static weft.testing.ScriptedPeer.RST;
import static weft.testing.ScriptedPeer.SYN;
import static weft.testing.ScriptedPeer.WINDOW_UPDATE;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import weft.ConnectionClosedException;
import weft.mux.MuxedStream;

/** Truncated frames, a peer that stops reading, reset storms: the session ends cleanly or carries on. */
class YamuxFaultTest extends ScriptedYamuxTestBase {

    @Test
    void aTruncatedHeaderEndsTheSessionWithEofException() throws Exception {
        start(false);
        peer.sendHex("00 01 0001 00");
        peer.end().output().close();
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        EOFException cause = assertInstanceOf(EOFException.class, e.getCause());
        assertEquals("yamux: connection ended inside a frame header (5 of 12 bytes)", cause.getMessage());
    }

    @Test
    void aTruncatedDataFrameEndsTheSessionAndWakesTheReader() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(1);
        peer.sendHex("00 00 0000 00000001 00000010 0102");
        peer.end().output().close();
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, () -> s.read(new byte[1], 0, 1));
        assertInstanceOf(EOFException.class, e.getCause());
    }

    @Test
    void aPeerThatStopsReadingIsCaughtByKeepAliveAndBlockedWritersWake() throws Exception {
        start(true, quiet(clock).withKeepAlive(true, Duration.ofSeconds(30)).withWriteQueueBytes(1024)
                .withConnectionWriteTimeout(Duration.ofMillis(200)));
        MuxedStream s = openAcked();
        sessionEnd.blockWrites(); // the peer stops reading: our writes to the connection stall
        CompletableFuture<Throwable> write = new CompletableFuture<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                s.write(new byte[200 * KIB], 0, 200 * KIB);
                write.complete(null);
            } catch (Throwable t) {
                write.complete(t);
            }
        });
        YamuxLimitsTest.awaitWaiting(writer); // stuck behind the full writer queue
        clock.advance(Duration.ofSeconds(30)); // keep-alive ping, stuck too
        clock.advance(Duration.ofMillis(200)); // no pong in time
        ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, write.get());
        assertInstanceOf(SocketTimeoutException.class, e.getCause());
        session.writer().thread().join(); // the close deadline closes the stalled connection
        assertFalse(session.writer().thread().isAlive());
    }

    @Test
    void aResetStormLeavesNoStreamBehindAndTheSessionCarriesOn() throws Exception {
        start(false);
        for (long id = 1; id < 4000; id += 2) {
            peer.sendFrame(WINDOW_UPDATE, SYN, id, 0);
            peer.sendFrame(WINDOW_UPDATE, RST, id, 0);
        }
        peer.sync();
        assertEquals(0, session.streamCount());
        MuxedStream s = acceptFromPeer(4001); // the reset streams were never handed out
        assertEquals(4001, s.id());
    }
}
