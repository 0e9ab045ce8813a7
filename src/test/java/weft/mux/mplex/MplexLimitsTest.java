package weft.mux.mplex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static weft.testing.ScriptedMplexPeer.CLOSE_INITIATOR;
import static weft.testing.ScriptedMplexPeer.MESSAGE_INITIATOR;
import static weft.testing.ScriptedMplexPeer.NEW_STREAM;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.ConnectionClosedException;
import weft.ResourceLimitException;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;

/**
 * The bounds that stand in for flow control: a stream's unread bytes (reset that stream), inbound streams and the
 * accept backlog (reset the new stream), refusals per second (close the session), outbound streams (throw).
 */
class MplexLimitsTest extends ScriptedMplexTestBase {
    /**
     * A 4 KiB buffer per stream (and so 4 KiB frames at most), so tests move few bytes; data past it resets the
     * stream at once, as js does.
     */
    MplexConfig small() {
        return config().withMaxFramePayload(4 * KIB).withMaxBufferedBytes(4 * KIB).withSlowReaderTimeout(Duration.ZERO);
    }

    @Test
    void aSlowReaderHoldsTheConnectionReaderBackInsteadOfLosingItsStream() throws Exception {
        start(false, small().withSlowReaderTimeout(Duration.ofMinutes(1)));
        MuxedStream s = acceptFromPeer(0);
        byte[] data = new byte[5 * KIB];
        new java.util.Random(11).nextBytes(data);
        peer.sendFrame(0, MESSAGE_INITIATOR, java.util.Arrays.copyOfRange(data, 0, 4 * KIB));
        peer.sendFrame(0, MESSAGE_INITIATOR, java.util.Arrays.copyOfRange(data, 4 * KIB, 5 * KIB));
        while (session.readerThread().getState() != Thread.State.TIMED_WAITING) { // waiting for room, not input
            Thread.onSpinWait();
            Thread.yield();
        }
        assertArrayEquals(data, s.input().readNBytes(5 * KIB));
        peer.sendFrame(0, CLOSE_INITIATOR);
        assertEquals(-1, s.read(new byte[1], 0, 1));
        sync(1); // and no reset was sent
    }

    @Test
    void aReaderStillTooSlowWhenTheTimeoutEndsLosesItsStream() throws Exception {
        start(false, small().withSlowReaderTimeout(Duration.ofMillis(20)));
        MuxedStream s = acceptFromPeer(0);
        peer.sendFrame(0, MESSAGE_INITIATOR, new byte[4 * KIB]);
        peer.sendFrame(0, MESSAGE_INITIATOR, new byte[1]);
        peer.expectFrame("05 00");
        StreamResetException e = assertThrows(StreamResetException.class, () -> s.read(new byte[1], 0, 1));
        assertInstanceOf(ResourceLimitException.class, e.getCause());
        assertFalse(session.isClosed());
    }

    @Test
    void aStreamWhoseUnreadDataWouldPassTheBoundIsResetAndTheSessionLivesOn() throws Exception {
        start(false, small());
        MuxedStream slow = acceptFromPeer(0);
        for (int i = 0; i < 4; i++) {
            peer.sendFrame(0, MESSAGE_INITIATOR, new byte[KIB]); // exactly the bound: kept
        }
        peer.sendFrame(0, MESSAGE_INITIATOR, new byte[1]);
        peer.expectFrame("05 00"); // ResetReceiver on the peer's stream 0

        StreamResetException e = assertThrows(StreamResetException.class, () -> slow.read(new byte[1], 0, 1));
        assertFalse(e.remote());
        ResourceLimitException cause = assertInstanceOf(ResourceLimitException.class, e.getCause());
        assertEquals("mplex: stream 0 receive buffer full (4097 > 4096 bytes): the application reads too slowly",
                cause.getMessage());
        assertThrows(StreamResetException.class, () -> slow.write(new byte[1], 0, 1));

        MuxedStream other = acceptFromPeer(1);
        peer.sendFrame(1, MESSAGE_INITIATOR, new byte[4 * KIB]);
        peer.sendFrame(1, CLOSE_INITIATOR);
        assertEquals(4 * KIB, other.input().readAllBytes().length);
        assertFalse(session.isClosed());
    }

    @Test
    void exactlyTheBoundIsKeptForTheReader() throws Exception {
        start(false, small());
        MuxedStream s = acceptFromPeer(0);
        byte[] data = new byte[4 * KIB];
        new java.util.Random(5).nextBytes(data);
        for (int i = 0; i < 4; i++) {
            peer.sendFrame(0, MESSAGE_INITIATOR, java.util.Arrays.copyOfRange(data, i * KIB, (i + 1) * KIB));
        }
        peer.sendFrame(0, CLOSE_INITIATOR);
        sync(1); // no reset came before the probe's
        assertArrayEquals(data, s.input().readAllBytes());
    }

    @Test
    void readingFreesRoomForMoreData() throws Exception {
        start(false, small());
        MuxedStream s = acceptFromPeer(0);
        peer.sendFrame(0, MESSAGE_INITIATOR, new byte[4 * KIB - 1]);
        s.input().readNBytes(4 * KIB - 1);
        peer.sendFrame(0, MESSAGE_INITIATOR, new byte[KIB]);
        peer.sendFrame(0, MESSAGE_INITIATOR, new byte[KIB]);
        sync(1);
        assertEquals(2 * KIB, s.input().readNBytes(2 * KIB).length);
    }

    @Test
    void inboundStreamsBeyondMaxInboundStreamsAreResetAndASlotFreesWhenOneEnds() throws Exception {
        start(false, config().withMaxInboundStreams(2));
        MuxedStream first = acceptFromPeer(0);
        acceptFromPeer(1);
        peer.sendFrame(2, NEW_STREAM);
        peer.expectFrame("15 00"); // ResetReceiver, 2<<3|5
        first.reset();
        peer.expectFrame("05 00");
        assertEquals(3, acceptFromPeer(3).id());
        assertFalse(session.isClosed());
    }

    @Test
    void streamsBeyondTheAcceptBacklogAreReset() throws Exception {
        start(false, config().withAcceptBacklog(2));
        peer.sendFrame(0, NEW_STREAM);
        peer.sendFrame(1, NEW_STREAM);
        peer.sendFrame(2, NEW_STREAM);
        peer.expectFrame("15 00");
        assertEquals(0, session.acceptStream().id());
        assertEquals(1, session.acceptStream().id());
        assertEquals(3, acceptFromPeer(3).id());
    }

    @Test
    void refusingMoreThanTheDisconnectThresholdWithinASecondClosesTheSession() throws Exception {
        start(false, config().withMaxInboundStreams(1).withDisconnectThreshold(2));
        acceptFromPeer(0);
        peer.sendFrame(1, NEW_STREAM);
        peer.sendFrame(2, NEW_STREAM);
        peer.expectFrame("0d 00");
        peer.expectFrame("15 00");
        clock.advance(Duration.ofSeconds(1)); // a new window: two more refusals are tolerated
        peer.sendFrame(3, NEW_STREAM);
        peer.sendFrame(4, NEW_STREAM);
        peer.expectFrame("1d 00");
        peer.expectFrame("25 00");
        clock.advance(Duration.ofMillis(999));
        peer.sendFrame(5, NEW_STREAM); // the third within one second
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        ResourceLimitException cause = assertInstanceOf(ResourceLimitException.class, e.getCause());
        assertEquals("mplex: peer keeps opening streams past the limits (3 refused within 1 s, threshold 2)",
                cause.getMessage());
        // the refusal queued before the session closed still goes out, then the connection ends
        assertEquals(List.of("2d00"), peer.framesUntilEnd().stream().map(f -> f.hex()).toList());
    }

    @Test
    void openStreamBeyondMaxOutboundStreamsThrowsUntilOneEnds() throws Exception {
        start(true, config().withMaxOutboundStreams(2));
        session.openStream().reset();
        MuxedStream a = session.openStream();
        session.openStream();
        ResourceLimitException e = assertThrows(ResourceLimitException.class, session::openStream);
        assertEquals("mplex: too many outbound streams (2, limit 2)", e.getMessage());
        a.reset();
        assertEquals(3, session.openStream().id());
    }

    @Test
    void theConfigRefusesABufferSmallerThanOneFrame() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MplexConfig.defaults().withMaxBufferedBytes(KIB));
        assertEquals("mplex: maxBufferedBytes must hold at least one frame", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MplexConfig.defaults().withSendFramePayload(2 << 20));
    }
}
