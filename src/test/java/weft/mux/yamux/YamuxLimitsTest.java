package weft.mux.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static weft.testing.ScriptedPeer.ACK;
import static weft.testing.ScriptedPeer.FIN;
import static weft.testing.ScriptedPeer.PING;
import static weft.testing.ScriptedPeer.RST;
import static weft.testing.ScriptedPeer.SYN;
import static weft.testing.ScriptedPeer.WINDOW_UPDATE;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import weft.ResourceLimitException;
import weft.mux.MuxedStream;
import weft.testing.ScriptedPeer.RawFrame;

/** The configurable bounds, with go-yamux's answers: RST the stream, keep the session; make opens wait. */
class YamuxLimitsTest extends ScriptedYamuxTestBase {

    @Test
    void streamsBeyondTheAcceptBacklogAreResetAndTheSessionLivesOn() throws Exception {
        start(false, quiet(clock).withAcceptBacklog(2));
        peer.sendFrame(WINDOW_UPDATE, SYN, 1, 0);
        peer.sendFrame(WINDOW_UPDATE, SYN, 3, 0);
        peer.sendFrame(WINDOW_UPDATE, SYN, 5, 0);
        peer.expectFrame("00 01 0008 00000005 00001001"); // RST, RESOURCE_LIMIT_EXCEEDED
        assertEquals(1, session.acceptStream().id());
        peer.expectFrame("00 01 0002 00000001 00000000");
        assertEquals(3, session.acceptStream().id());
        peer.expectFrame("00 01 0002 00000003 00000000");
        assertEquals(7, acceptFromPeer(7).id());
        assertFalse(session.isClosed());
    }

    @Test
    void inboundStreamsBeyondMaxIncomingStreamsAreReset() throws Exception {
        start(false, quiet(clock).withMaxIncomingStreams(2));
        MuxedStream first = acceptFromPeer(1);
        acceptFromPeer(3);
        peer.sendFrame(WINDOW_UPDATE, SYN, 5, 0);
        peer.expectFrame("00 01 0008 00000005 00001001"); // RST, RESOURCE_LIMIT_EXCEEDED
        first.closeWrite();
        peer.expectFrame("00 01 0004 00000001 00000000");
        peer.sendFrame(WINDOW_UPDATE, FIN, 1, 0); // stream 1 closed both ways frees a slot
        assertEquals(7, acceptFromPeer(7).id());
    }

    @Test
    void openFailsWhenTooManyStreamsWaitForAckPastTheOpenTimeout() throws Exception {
        start(true, quiet(clock).withMaxOutboundUnacked(2).withStreamOpenTimeout(Duration.ofMillis(20)));
        session.openStream();
        session.openStream();
        ResourceLimitException e = assertThrows(ResourceLimitException.class, session::openStream);
        assertEquals("yamux: open timed out, 2 streams wait for ack (limit 2, waited 20 ms)", e.getMessage());
    }

    @Test
    void anAckFreesASlotForAWaitingOpen() throws Exception {
        start(true, quiet(clock).withMaxOutboundUnacked(1));
        session.openStream();
        peer.expectFrame("00 01 0001 00000001 00000000");
        CompletableFuture<MuxedStream> opened = new CompletableFuture<>();
        Thread opener = Thread.ofVirtual().start(() -> {
            try {
                opened.complete(session.openStream());
            } catch (Exception e) {
                opened.completeExceptionally(e);
            }
        });
        awaitWaiting(opener);
        assertFalse(opened.isDone());
        peer.sendFrame(WINDOW_UPDATE, ACK, 1, 0);
        assertEquals(3, opened.get().id());
    }

    @Test
    void aResetBeforeAckAlsoFreesTheSlot() throws Exception {
        start(true, quiet(clock).withMaxOutboundUnacked(1).withStreamOpenTimeout(Duration.ofMillis(20)));
        session.openStream().reset();
        assertEquals(3, session.openStream().id());
    }

    @Test
    void pingsBeyondThePingBacklogAreNotAnswered() throws Exception {
        start(false, quiet(clock).withPingBacklog(4));
        sessionEnd.blockWrites();
        for (int i = 0; i < 10; i++) {
            peer.sendFrame(PING, SYN, 0, i);
        }
        peer.sendFrame(WINDOW_UPDATE, SYN, 1, 0);
        session.acceptStream(); // the reader has handled every ping before this SYN
        sessionEnd.unblockWrites();
        int pongs = 0;
        while (true) {
            RawFrame f = peer.takeFrame();
            if (f.type() == PING) {
                assertEquals(pongs, f.length());
                pongs++;
            } else {
                break; // the ACK of stream 1 comes after the queued pongs
            }
        }
        assertEquals(4, pongs);
    }

    @Test
    void windowGrowthStopsAtTheConnectionBudgetButEveryStreamGetsItsFirst256KiB() throws Exception {
        start(false, quiet(clock).withMeasureRttInterval(Duration.ofSeconds(30))
                .withMaxConnectionReceiveWindow(640 * KIB));
        var ping = peer.expectFrame("00 02 0001 00000000 00000000");
        clock.advance(Duration.ofMillis(10));
        peer.pong(ping);
        peer.sync(); // RTT known: fast reads auto-tune
        MuxedStream first = acceptFromPeer(1);
        MuxedStream second = acceptFromPeer(3);
        assertEquals(512 * KIB, session.grantedReceiveWindow());

        peer.sendData(0, 1, new byte[128 * KIB]);
        first.input().readNBytes(128 * KIB);
        peer.expectFrame("00 01 0000 00000001 00040000"); // grew 256 -> 384 KiB, not 512: 128 KiB left in the budget
        assertEquals(640 * KIB, session.grantedReceiveWindow());

        peer.sendData(0, 3, new byte[128 * KIB]);
        second.input().readNBytes(128 * KIB);
        peer.expectFrame("00 01 0000 00000003 00020000"); // budget spent: only the refill, the window stays 256 KiB
        assertEquals(256 * KIB, ((YamuxStream) second).receiveWindow.window());

        acceptFromPeer(5); // a new stream still gets its 256 KiB
        assertEquals(896 * KIB, session.grantedReceiveWindow());

        peer.sendFrame(WINDOW_UPDATE, RST, 1, 0); // stream 1 leaves and gives its 384 KiB back
        peer.sendFrame(WINDOW_UPDATE, SYN, 7, 0);
        session.acceptStream(); // the reader handled the RST before this SYN
        assertEquals(768 * KIB, session.grantedReceiveWindow());
    }

    @Test
    void closeWithAnErrorCodeSendsItInGoAwayAndEndsTheSession() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(1);
        session.closeWithError(weft.mux.ErrorCode.RESOURCE_LIMIT_EXCEEDED);
        peer.expectFrame("00 03 0000 00000000 00001001");
        assertThrows(weft.ConnectionClosedException.class, () -> s.input().read());
        assertThrows(weft.ConnectionClosedException.class, session::openStream);
    }

    static void awaitWaiting(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
