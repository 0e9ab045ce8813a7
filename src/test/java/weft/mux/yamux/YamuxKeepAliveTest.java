package weft.mux.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.ConnectionClosedException;
import weft.testing.ScriptedPeer.RawFrame;

/** Keep-alive and RTT pings on a manual clock: no sleeping, each timer moved by hand. */
class YamuxKeepAliveTest extends ScriptedYamuxTestBase {
    static final Duration INTERVAL = Duration.ofSeconds(30);

    YamuxConfig keepAlive() {
        return quiet(clock).withKeepAlive(true, INTERVAL);
    }

    @Test
    void anIdleSessionPingsAfterTheKeepAliveInterval() throws Exception {
        start(true, keepAlive());
        clock.advance(INTERVAL);
        peer.expectFrame("00 02 0001 00000000 00000000");
    }

    @Test
    void noPongWithinTheWriteTimeoutClosesTheSessionWithAKeepAliveTimeout() throws Exception {
        start(true, keepAlive());
        clock.advance(INTERVAL);
        peer.expectFrame("00 02 0001 00000000 00000000");
        clock.advance(Duration.ofSeconds(10));
        List<RawFrame> rest = peer.framesUntilEnd();
        assertTrue(rest.isEmpty(), rest::toString); // go-yamux sends no GO_AWAY on a keep-alive timeout
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        SocketTimeoutException cause = assertInstanceOf(SocketTimeoutException.class, e.getCause());
        assertEquals("yamux: keep-alive timeout (no pong within 10000 ms)", cause.getMessage());
    }

    @Test
    void aPongInTimeKeepsTheSessionOpen() throws Exception {
        start(true, keepAlive());
        clock.advance(INTERVAL);
        peer.pong(peer.expectFrame("00 02 0001 00000000 00000000"));
        peer.sync();
        clock.advance(Duration.ofSeconds(10));
        assertFalse(session.isClosed());
        clock.advance(INTERVAL.minusSeconds(10));
        peer.expectFrame("00 02 0001 00000000 00000001"); // the next keep-alive, id counts up
    }

    @Test
    void receivedFramesPostponeTheKeepAlivePing() throws Exception {
        start(true, keepAlive());
        clock.advance(Duration.ofSeconds(20));
        peer.sync(); // a frame arrives at 20 s
        clock.advance(Duration.ofSeconds(10)); // 30 s: the peer was heard from 10 s ago
        clock.advance(Duration.ofSeconds(19)); // 49 s
        peer.sync();
        // the sync at 49 s moved the idle start again: the ping is due at 79 s
        clock.advance(Duration.ofSeconds(30));
        peer.expectFrame("00 02 0001 00000000 00000000");
    }

    @Test
    void rttIsMeasuredAtStartThenSmoothedAsHalfOldPlusHalfNew() throws Exception {
        start(true, quiet(clock).withMeasureRttInterval(INTERVAL));
        assertEquals(Duration.ZERO, session.rtt());
        RawFrame first = peer.expectFrame("00 02 0001 00000000 00000000");
        clock.advance(Duration.ofMillis(40));
        peer.pong(first);
        peer.sync();
        assertEquals(Duration.ofMillis(40), session.rtt());
        clock.advance(INTERVAL.minusMillis(40));
        RawFrame second = peer.expectFrame("00 02 0001 00000000 00000001");
        clock.advance(Duration.ofMillis(20));
        peer.pong(second);
        peer.sync();
        assertEquals(Duration.ofMillis(30), session.rtt());
    }

    @Test
    void keepAliveAndRttShareOneOutstandingPing() throws Exception {
        start(true, keepAlive().withMeasureRttInterval(INTERVAL));
        RawFrame rttPing = peer.expectFrame("00 02 0001 00000000 00000000");
        clock.advance(INTERVAL); // both timers fire; the ping is still unanswered, so they join it
        peer.sync();
        clock.advance(Duration.ofSeconds(5));
        peer.pong(rttPing);
        peer.sync();
        assertEquals(Duration.ofSeconds(35), session.rtt());
        assertFalse(session.isClosed());
    }

    @Test
    void timersStopWhenTheSessionCloses() throws Exception {
        start(true, keepAlive().withMeasureRttInterval(INTERVAL));
        peer.expectFrame("00 02 0001 00000000 00000000");
        session.close();
        peer.framesUntilEnd();
        clock.advance(Duration.ofMinutes(5)); // nothing runs, nothing throws
        assertTrue(session.isClosed());
    }
}
