package weft.mux.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.testing.ScriptedPeer.ACK;
import static weft.testing.ScriptedPeer.DATA;
import static weft.testing.ScriptedPeer.FIN;
import static weft.testing.ScriptedPeer.GO_AWAY;
import static weft.testing.ScriptedPeer.PING;
import static weft.testing.ScriptedPeer.RST;
import static weft.testing.ScriptedPeer.SYN;
import static weft.testing.ScriptedPeer.WINDOW_UPDATE;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.ConnectionClosedException;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;
import weft.testing.ManualClock;
import weft.testing.MemoryPipe;
import weft.testing.ScriptedPeer;
import weft.testing.ScriptedPeer.RawFrame;

/**
 * The session against a scripted peer: byte-exact frames out, and each wire rule of the spec and of go-yamux. The
 * clock is manual and RTT pings and keep-alive are off unless a test turns them on, so the first frame out is the
 * one under test.
 */
class YamuxSessionTest extends ScriptedYamuxTestBase {
    // ---- frames out, byte for byte

    @Test
    void dialerOpensOddStreamIdsWithWindowUpdateSyn() throws Exception {
        start(true);
        assertEquals(1, session.openStream().id());
        peer.expectFrame("00 01 0001 00000001 00000000");
        assertEquals(3, session.openStream().id());
        peer.expectFrame("00 01 0001 00000003 00000000");
    }

    @Test
    void listenerOpensEvenStreamIds() throws Exception {
        start(false);
        assertEquals(2, session.openStream().id());
        peer.expectFrame("00 01 0001 00000002 00000000");
    }

    @Test
    void openWithLargerInitialWindowGrantsTheDifferenceWithTheSyn() throws Exception {
        start(true, quiet(clock).withInitialStreamWindow(1024 * KIB));
        session.openStream();
        peer.expectFrame("00 01 0001 00000001 000c0000"); // 1 MiB - 256 KiB
    }

    @Test
    void acceptSendsWindowUpdateAck() throws Exception {
        start(false);
        peer.sendHex("00 01 0001 00000001 00000000");
        MuxedStream s = session.acceptStream();
        assertEquals(1, s.id());
        peer.expectFrame("00 01 0002 00000001 00000000");
    }

    @Test
    void writeSendsOneDataFrameWithThePayload() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        s.write(bytes("hello"), 0, 5);
        RawFrame f = peer.expectFrame("00 00 0000 00000001 00000005");
        assertArrayEquals(bytes("hello"), f.payload());
    }

    @Test
    void closeWriteSendsFinAsWindowUpdateAfterTheQueuedData() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        s.write(bytes("abc"), 0, 3);
        s.closeWrite();
        peer.expectFrame("00 00 0000 00000001 00000003");
        peer.expectFrame("00 01 0004 00000001 00000000");
    }

    @Test
    void resetSendsWindowUpdateRstCarryingTheErrorCode() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        s.reset(0x1001);
        peer.expectFrame("00 01 0008 00000001 00001001");
        assertEquals(0, session.streamCount());
    }

    @Test
    void pingIsAnsweredWithAckAndTheSameValue() throws Exception {
        start(true);
        peer.sendHex("00 02 0001 00000000 00000007");
        peer.expectFrame("00 02 0002 00000000 00000007");
    }

    @Test
    void closeSendsGoAwayNormalThenClosesTheConnection() throws Exception {
        start(true);
        session.close();
        List<RawFrame> frames = peer.framesUntilEnd();
        assertEquals(1, frames.size(), frames::toString);
        assertEquals("000300000000000000000000", frames.get(0).headerHex());
        assertTrue(session.isClosed());
    }

    @Test
    void dataFramesAreCappedAtTheMaxFramePayload() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        s.write(new byte[100_000], 0, 100_000);
        peer.expectFrame("00 00 0000 00000001 0000fff4"); // 65524
        peer.expectFrame("00 00 0000 00000001 " + String.format("%08x", 100_000 - 65524));
    }

    // ---- frames in

    @Test
    void flagsAreHandledAsASetOnData() throws Exception {
        start(false);
        peer.sendData(SYN | FIN, 1, bytes("hi"));
        MuxedStream s = session.acceptStream();
        byte[] buf = new byte[10];
        assertEquals(2, s.read(buf, 0, 10));
        assertEquals(-1, s.read(buf, 0, 10));
    }

    @Test
    void finAndRstAreAcceptedOnDataFramesAsRustSendsThem() throws Exception {
        start(false);
        MuxedStream a = acceptFromPeer(1);
        MuxedStream b = acceptFromPeer(3);
        peer.sendFrame(DATA, FIN, 1, 0);
        peer.sendFrame(DATA, RST, 3, 0);
        assertEquals(-1, a.read(new byte[1], 0, 1));
        StreamResetException e = assertThrows(StreamResetException.class, () -> b.read(new byte[1], 0, 1));
        assertTrue(e.remote());
    }

    @Test
    void rstOnWindowUpdateCarriesTheErrorCodeToTheReader() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(1);
        peer.sendFrame(WINDOW_UPDATE, RST, 1, 0x1003);
        StreamResetException e = assertThrows(StreamResetException.class, () -> s.read(new byte[1], 0, 1));
        assertEquals(0x1003, e.errorCode());
        assertTrue(e.remote());
        assertThrows(StreamResetException.class, () -> s.write(new byte[1], 0, 1));
    }

    @Test
    void readAfterRemoteFinDrainsTheBufferThenReturnsEof() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(1);
        peer.sendData(0, 1, bytes("abcdef"));
        peer.sendFrame(WINDOW_UPDATE, FIN, 1, 0);
        byte[] buf = new byte[4];
        assertEquals(4, s.read(buf, 0, 4));
        assertEquals(2, s.read(buf, 0, 4));
        assertEquals(-1, s.read(buf, 0, 4));
        s.write(bytes("still"), 0, 5); // half-closed remote: we can still write
        peer.expectFrame("00 00 0000 00000001 00000005");
    }

    @Test
    void writeAfterCloseWriteThrowsStreamClosedException() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        s.closeWrite();
        assertThrows(StreamClosedException.class, () -> s.write(new byte[1], 0, 1));
    }

    @Test
    void windowUpdateDeltaIsAddedToTheSendWindowAlsoWithAck() throws Exception {
        start(true);
        MuxedStream s = session.openStream();
        peer.expectFrame("00 01 0001 00000001 00000000");
        peer.sendFrame(WINDOW_UPDATE, ACK, 1, 1000);
        peer.sync();
        YamuxStream ys = (YamuxStream) s;
        assertEquals(256 * KIB + 1000, ys.sendWindow.available());
        peer.sendFrame(WINDOW_UPDATE, 0, 1, 24);
        peer.sync();
        assertEquals(256 * KIB + 1024, ys.sendWindow.available());
    }

    @Test
    void aWindowUpdateDeltaCarriedWithSynIsAddedToTheNewStreamsSendWindow() throws Exception {
        start(false);
        peer.sendFrame(WINDOW_UPDATE, SYN, 1, 768 * KIB); // the peer's initial window is 1 MiB
        YamuxStream s = (YamuxStream) session.acceptStream();
        assertEquals(1024 * KIB, s.sendWindow.available());
    }

    @Test
    void aStreamOpenedAndResetInOneFrameIsNeverHandedToTheApplication() throws Exception {
        start(false);
        peer.sendFrame(WINDOW_UPDATE, SYN | RST, 1, 0);
        peer.sendFrame(WINDOW_UPDATE, SYN, 3, 0);
        MuxedStream s = session.acceptStream();
        assertEquals(3, s.id());
    }

    @Test
    void aWholeGrantedWindowInOneDataFrameIsAccepted() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(1);
        peer.sendData(0, 1, new byte[256 * KIB]);
        byte[] all = s.input().readNBytes(256 * KIB);
        assertEquals(256 * KIB, all.length);
    }

    @Test
    void dataForAnUnknownStreamIsDrainedWithoutRst() throws Exception {
        start(false);
        peer.sendData(0, 9, bytes("nobody"));
        peer.sync();
        MuxedStream s = acceptFromPeer(1); // the session still parses frames after the drained payload
        assertEquals(1, s.id());
    }

    // ---- protocol errors: GO_AWAY(1), session closed with YamuxProtocolException

    void assertProtocolError(String messagePart) throws Exception {
        List<RawFrame> frames = peer.framesUntilEnd();
        assertFalse(frames.isEmpty(), "expected a GO_AWAY");
        assertEquals("000300000000000000000001", frames.get(frames.size() - 1).headerHex());
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        YamuxProtocolException cause = assertInstanceOf(YamuxProtocolException.class, e.getCause());
        assertEquals(GoAwayCode.PROTOCOL_ERROR, cause.goAwayCode());
        assertTrue(cause.getMessage().contains(messagePart), cause.getMessage());
    }

    @Test
    void versionOtherThanZeroIsAProtocolError() throws Exception {
        start(false);
        peer.sendHex("01 02 0001 00000000 00000001");
        assertProtocolError("unsupported version (1");
    }

    @Test
    void unknownFrameTypeIsAProtocolError() throws Exception {
        start(false);
        peer.sendHex("00 04 0000 00000000 00000000");
        assertProtocolError("unknown frame type (4)");
    }

    @Test
    void inboundStreamWithOurParityIsAProtocolError() throws Exception {
        start(false);
        peer.sendFrame(WINDOW_UPDATE, SYN, 2, 0);
        assertProtocolError("stream 2 opened with our parity");
    }

    @Test
    void reopeningALiveStreamIdIsAProtocolError() throws Exception {
        start(false);
        acceptFromPeer(1);
        peer.sendFrame(WINDOW_UPDATE, SYN, 1, 0);
        assertProtocolError("stream 1 opened twice");
    }

    @Test
    void dataBeyondTheReceiveWindowIsAProtocolErrorWithTheNumbers() throws Exception {
        start(false);
        acceptFromPeer(1);
        peer.sendData(0, 1, new byte[256 * KIB + 1]);
        assertProtocolError("stream 1 exceeded receive window (262145 > 262144 bytes)");
    }

    @Test
    void anUnrequestedPongIsAProtocolError() throws Exception {
        start(false);
        peer.sendFrame(PING, ACK, 0, 5);
        assertProtocolError("unrequested pong (id 5)");
    }

    @Test
    void aPongWithAnotherIdIsAProtocolError() throws Exception {
        start(false, quiet(clock).withMeasureRttInterval(Duration.ofSeconds(30)));
        RawFrame ping = peer.expectFrame("00 02 0001 00000000 00000000");
        peer.sendFrame(PING, ACK, 0, ping.length() + 1);
        assertProtocolError("pong for another ping (id 1, expected 0)");
    }

    // ---- go-away and session end

    @Test
    void remoteGoAwayNormalStopsNewStreamsButExistingOnesFinish() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        peer.sendFrame(GO_AWAY, 0, 0, 0);
        peer.sync();
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::openStream);
        assertTrue(e.getMessage().contains("remote sent go away"), e.getMessage());
        s.write(bytes("x"), 0, 1);
        peer.expectFrame("00 00 0000 00000001 00000001");
        assertFalse(session.isClosed());
    }

    @Test
    void localGoAwayRefusesNewInboundStreamsWithRstAndFailsOpen() throws Exception {
        start(true);
        session.goAway();
        peer.expectFrame("00 03 0000 00000000 00000000");
        peer.sendFrame(WINDOW_UPDATE, SYN, 2, 0);
        peer.expectFrame("00 01 0008 00000002 00000000");
        assertThrows(ConnectionClosedException.class, session::openStream);
    }

    @Test
    void remoteGoAwayWithAnErrorCodeClosesTheSessionAndWakesBlockedCalls() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        Thread reader = Thread.ofVirtual().start(() -> {});
        var failure = new java.util.concurrent.CompletableFuture<Throwable>();
        reader = Thread.ofVirtual().start(() -> {
            try {
                s.read(new byte[1], 0, 1);
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        peer.sendFrame(GO_AWAY, 0, 0, 2);
        Throwable t = failure.get();
        ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, t);
        assertTrue(e.remote());
        assertTrue(e.getMessage().contains("internal error"), e.getMessage());
        reader.join();
        assertThrows(ConnectionClosedException.class, session::acceptStream);
        assertThrows(ConnectionClosedException.class, () -> s.write(new byte[1], 0, 1));
    }

    @Test
    void acceptStreamThrowsAsSoonAsTheConnectionEnds() throws Exception {
        start(false);
        var result = new java.util.concurrent.CompletableFuture<Throwable>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                session.acceptStream();
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        });
        peer.end().close();
        ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, result.get());
        assertTrue(e.remote());
        t.join();
    }

    @Test
    void streamsThatAreClosedBothWaysLeaveTheSession() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        assertEquals(1, session.streamCount());
        s.closeWrite();
        peer.sendFrame(WINDOW_UPDATE, FIN, 1, 0);
        peer.expectFrame("00 01 0004 00000001 00000000");
        peer.sync();
        assertEquals(0, session.streamCount());
    }

    @Test
    void sessionThreadsEndAfterClose() throws Exception {
        start(true);
        session.close();
        session.readerThread().join();
        session.writer().thread().join();
        assertFalse(session.readerThread().isAlive());
    }

    @Test
    void readTimeoutThrowsSocketTimeoutException() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(1);
        s.setReadTimeout(Duration.ofMillis(20));
        assertThrows(java.net.SocketTimeoutException.class, () -> s.read(new byte[1], 0, 1));
    }

    @Test
    void writeTimeoutThrowsSocketTimeoutExceptionWhileTheSendWindowIsEmpty() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        s.write(new byte[256 * KIB], 0, 256 * KIB); // the whole initial window
        s.setWriteTimeout(Duration.ofMillis(20));
        assertThrows(java.net.SocketTimeoutException.class, () -> s.write(new byte[1], 0, 1));
    }

    @Test
    void aWriterBlockedOnTheWindowIsWokenWithTheCauseWhenTheSessionDies() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        s.write(new byte[256 * KIB], 0, 256 * KIB);
        var result = new java.util.concurrent.CompletableFuture<Throwable>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                s.write(new byte[1], 0, 1);
                result.complete(null);
            } catch (Throwable t) {
                result.complete(t);
            }
        });
        YamuxLimitsTest.awaitWaiting(writer);
        peer.sendHex("00 07 0000 00000000 00000000"); // an unknown type: protocol error
        ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, result.get());
        assertInstanceOf(YamuxProtocolException.class, e.getCause());
    }

    @Test
    void eachFrameIsTracedInTheFixedFormatOnTheWeftTraceLoggerAtTrace() throws Exception {
        ch.qos.logback.classic.Logger traceLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                weft.trace.TraceListener.LOGGER);
        var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        appender.start();
        traceLog.addAppender(appender);
        traceLog.setLevel(ch.qos.logback.classic.Level.TRACE);
        try {
            MemoryPipe.Pair pair = MemoryPipe.pair(1 << 20);
            peer = new ScriptedPeer(pair.b());
            weft.trace.Trace trace = weft.trace.Trace.start(weft.trace.TraceListener.slf4j(), "c1");
            session = new Yamux(quiet(clock)).start(weft.io.DuplexStream.traced(pair.a(), trace), true);
            session.openStream();
            peer.expectFrame("00 01 0001 00000001 00000000");
            peer.sendFrame(WINDOW_UPDATE, ACK | FIN, 1, 5);
            peer.sync();
            List<String> lines = appender.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .map(m -> m.substring(m.indexOf("ms ") + 3)).toList();
            assertEquals(List.of(
                    "c1 → yamux WINDOW_UPDATE SYN stream=1 delta=0 (recv window 262144)",
                    "c1 ← yamux WINDOW_UPDATE ACK|FIN stream=1 delta=5 (send window 262149)",
                    "c1 ← yamux PING SYN opaque=" + 0x7000_0000L,
                    "c1 → yamux PING ACK opaque=" + 0x7000_0000L), lines);
        } finally {
            traceLog.detachAppender(appender);
            traceLog.setLevel(null);
        }
    }
}
