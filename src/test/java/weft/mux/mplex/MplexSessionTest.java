package weft.mux.mplex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.testing.ScriptedMplexPeer.CLOSE_INITIATOR;
import static weft.testing.ScriptedMplexPeer.CLOSE_RECEIVER;
import static weft.testing.ScriptedMplexPeer.MESSAGE_INITIATOR;
import static weft.testing.ScriptedMplexPeer.MESSAGE_RECEIVER;
import static weft.testing.ScriptedMplexPeer.NEW_STREAM;
import static weft.testing.ScriptedMplexPeer.RESET_INITIATOR;
import static weft.testing.ScriptedMplexPeer.RESET_RECEIVER;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import weft.ConnectionClosedException;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;
import weft.testing.ScriptedMplexPeer.RawFrame;

/**
 * The session against a scripted peer: byte-exact frames out, and each wire rule of the spec and of go-mplex, js
 * {@code @libp2p/mplex} and rust-libp2p {@code libp2p-mplex} where the spec is silent.
 */
class MplexSessionTest extends ScriptedMplexTestBase {
    // ---- frames out, byte for byte

    @Test
    void openStreamSendsNewStreamNamedWithTheDecimalId() throws Exception {
        start(true);
        assertEquals(0, session.openStream().id());
        peer.expectFrame("00 01 30"); // header 0<<3|0, length 1, "0"
        assertEquals(1, session.openStream().id());
        peer.expectFrame("08 01 31"); // header 1<<3|0
    }

    @Test
    void theListenerAlsoCountsItsStreamsFromZero() throws Exception {
        start(false);
        assertEquals(0, session.openStream().id());
        peer.expectFrame("00 01 30");
    }

    @Test
    void writeOnOurStreamSendsMessageInitiator() throws Exception {
        start(true);
        MuxedStream s = session.openStream();
        peer.expectFrame("00 01 30");
        s.write(bytes("hello"), 0, 5);
        peer.expectFrame("02 05 " + hex("hello"));
    }

    @Test
    void writeOnThePeersStreamSendsMessageReceiver() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(0);
        s.write(bytes("abc"), 0, 3);
        peer.expectFrame("01 03 " + hex("abc"));
    }

    @Test
    void closeWriteSendsCloseInitiatorAfterTheQueuedData() throws Exception {
        start(true);
        MuxedStream s = session.openStream();
        s.write(bytes("abc"), 0, 3);
        s.closeWrite();
        peer.expectFrame("00 01 30");
        peer.expectFrame("02 03 " + hex("abc"));
        peer.expectFrame("04 00");
    }

    @Test
    void closeWriteOnThePeersStreamSendsCloseReceiver() throws Exception {
        start(false);
        acceptFromPeer(0).closeWrite();
        peer.expectFrame("03 00");
    }

    @Test
    void resetSendsResetInitiatorOnOurStreamAndResetReceiverOnTheirs() throws Exception {
        start(true);
        MuxedStream ours = session.openStream();
        peer.expectFrame("00 01 30");
        ours.reset(0x1001); // mplex carries no code: the frame is the same
        peer.expectFrame("06 00");
        acceptFromPeer(3).reset();
        peer.expectFrame("1d 00"); // 3<<3|5
        assertEquals(0, session.streamCount());
    }

    @Test
    void streamIdsFromSixteenOnTakeTwoHeaderBytes() throws Exception {
        start(true);
        MuxedStream s = null;
        for (int i = 0; i <= 17; i++) {
            s = session.openStream();
            peer.takeFrame();
        }
        assertEquals(17, s.id());
        byte[] data = new byte[300];
        s.write(data, 0, data.length);
        peer.expectHeader("8a 01 ac 02"); // 17<<3|2 = 138, length 300
    }

    @Test
    void writesLargerThanTheSendFramePayloadAreSplit() throws Exception {
        start(true, config().withSendFramePayload(1024));
        MuxedStream s = session.openStream();
        peer.expectFrame("00 01 30");
        byte[] data = new byte[2500];
        new Random(3).nextBytes(data);
        s.write(data, 0, data.length);
        byte[] first = peer.expectHeader("02 80 08").data();
        byte[] second = peer.expectHeader("02 80 08").data();
        byte[] third = peer.expectHeader("02 c4 03").data(); // 452
        byte[] all = new byte[2500];
        System.arraycopy(first, 0, all, 0, 1024);
        System.arraycopy(second, 0, all, 1024, 1024);
        System.arraycopy(third, 0, all, 2048, 452);
        assertArrayEquals(data, all);
    }

    @Test
    void aOneMebibyteWriteGoesOutInSixteenFramesOf64Kib() throws Exception {
        start(true);
        MuxedStream s = session.openStream();
        peer.expectFrame("00 01 30");
        byte[] data = new byte[1024 * KIB];
        s.write(data, 0, data.length);
        for (int i = 0; i < 16; i++) {
            peer.expectHeader("02 80 80 04");
        }
    }

    @Test
    void closeWritesTheQueuedFramesThenEndsTheConnectionWithoutAGoAway() throws Exception {
        start(true);
        MuxedStream s = session.openStream();
        s.write(bytes("last"), 0, 4);
        session.close();
        List<RawFrame> frames = peer.framesUntilEnd();
        assertEquals(List.of("000130", "0204" + hex("last")), frames.stream().map(RawFrame::hex).toList());
        assertTrue(session.isClosed());
    }

    // ---- frames in

    @Test
    void theSameIdInBothNamespacesIsTwoStreams() throws Exception {
        start(true);
        MuxedStream ours = session.openStream();
        MuxedStream theirs = acceptFromPeer(0);
        assertEquals(ours.id(), theirs.id());
        peer.sendFrame(0, MESSAGE_RECEIVER, bytes("to ours"));
        peer.sendFrame(0, MESSAGE_INITIATOR, bytes("to theirs"));
        peer.sendFrame(0, CLOSE_RECEIVER);
        peer.sendFrame(0, CLOSE_INITIATOR);
        assertArrayEquals(bytes("to ours"), ours.input().readAllBytes());
        assertArrayEquals(bytes("to theirs"), theirs.input().readAllBytes());
    }

    @Test
    void thePeersCloseDrainsTheBufferThenEndsTheStreamAndWritesGoOn() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(0);
        peer.sendFrame(0, MESSAGE_INITIATOR, bytes("ask"));
        peer.sendFrame(0, CLOSE_INITIATOR);
        assertArrayEquals(bytes("ask"), s.input().readAllBytes());
        assertEquals(-1, s.read(new byte[1], 0, 1));
        s.write(bytes("answer"), 0, 6);
        s.closeWrite();
        peer.expectFrame("01 06 " + hex("answer"));
        peer.expectFrame("03 00");
        assertEquals(0, session.streamCount());
    }

    @Test
    void thePeersResetFailsABlockedReadAndLaterWrites() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(2);
        CompletableFuture<Throwable> read = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                s.read(new byte[1], 0, 1);
                read.complete(null);
            } catch (Throwable t) {
                read.complete(t);
            }
        });
        peer.sendFrame(2, RESET_INITIATOR);
        StreamResetException e = assertInstanceOf(StreamResetException.class, read.get());
        assertTrue(e.remote());
        assertEquals("mux: stream 2 reset by remote", e.getMessage());
        assertThrows(StreamResetException.class, () -> s.write(new byte[1], 0, 1));
        assertEquals(0, session.streamCount());
    }

    @Test
    void framesForUnknownStreamsAreIgnoredAndTheSessionLivesOn() throws Exception {
        start(true);
        peer.sendFrame(5, MESSAGE_RECEIVER, bytes("late data for a stream we never opened"));
        peer.sendFrame(3, MESSAGE_INITIATOR, bytes("and for one the peer never opened"));
        peer.sendFrame(7, CLOSE_RECEIVER);
        peer.sendFrame(9, RESET_INITIATOR);
        MuxedStream s = acceptFromPeer(0);
        peer.sendFrame(0, MESSAGE_INITIATOR, bytes("ok"));
        assertEquals('o', s.input().read());
        assertFalse(session.isClosed());
        session.close();
        assertEquals(List.of(), peer.framesUntilEnd()); // nothing was answered
    }

    @Test
    void newStreamForAnOpenStreamClosesTheSessionWithAProtocolViolation() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(0);
        peer.sendFrame(0, NEW_STREAM);
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        MplexProtocolException cause = assertInstanceOf(MplexProtocolException.class, e.getCause());
        assertEquals("mplex: stream 0 opened twice", cause.getMessage());
        assertThrows(ConnectionClosedException.class, () -> s.read(new byte[1], 0, 1));
        assertEquals(List.of(), peer.framesUntilEnd());
    }

    @Test
    void anIdMayBeOpenedAgainOnceTheStreamEnded() throws Exception {
        start(false);
        acceptFromPeer(0).reset();
        peer.expectFrame("05 00");
        MuxedStream again = acceptFromPeer(0);
        peer.sendFrame(0, MESSAGE_INITIATOR, bytes("second life"));
        peer.sendFrame(0, CLOSE_INITIATOR);
        assertArrayEquals(bytes("second life"), again.input().readAllBytes());
    }

    @Test
    void aStreamNameMayBeAnyBytes() throws Exception {
        start(false);
        byte[] name = new byte[300];
        new Random(9).nextBytes(name); // not UTF-8, longer than one varint byte
        peer.sendFrame(4, NEW_STREAM, name);
        peer.sendFrame(5, NEW_STREAM, bytes("i5"));
        assertEquals(4, session.acceptStream().id());
        assertEquals(5, session.acceptStream().id());
    }

    @Test
    void dataOnCloseAndResetFramesIsSkipped() throws Exception {
        start(false);
        MuxedStream a = acceptFromPeer(0);
        MuxedStream b = acceptFromPeer(1);
        peer.sendFrame(0, CLOSE_INITIATOR, bytes("ignored"));
        peer.sendFrame(1, RESET_INITIATOR, bytes("ignored too"));
        peer.sendFrame(2, NEW_STREAM);
        assertEquals(2, session.acceptStream().id()); // the frame after them parsed
        assertEquals(-1, a.read(new byte[1], 0, 1));
        assertThrows(StreamResetException.class, () -> b.read(new byte[1], 0, 1));
    }

    @Test
    void dataAfterOurCloseIsDroppedWithoutAnswer() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(0);
        s.close(); // close read and write, as go-mplex Close
        peer.expectFrame("03 00");
        assertThrows(StreamClosedException.class, () -> s.read(new byte[1], 0, 1));
        assertEquals(0, session.streamCount()); // neither half is open: forgotten, as go-mplex cancelRead does
        peer.sendFrame(0, MESSAGE_INITIATOR, bytes("unwanted"));
        peer.sendFrame(0, CLOSE_INITIATOR);
        sync(1); // handled without an answer: the probe's reset is the next frame
        assertEquals(0, session.streamCount());
    }

    @Test
    void writeAfterCloseWriteThrowsAndSendsNothing() throws Exception {
        start(true);
        MuxedStream s = session.openStream();
        s.closeWrite();
        StreamClosedException e = assertThrows(StreamClosedException.class, () -> s.write(new byte[1], 0, 1));
        assertEquals("mplex: stream 0 is closed for writing", e.getMessage());
        session.close();
        assertEquals(List.of("000130", "0400"), peer.framesUntilEnd().stream().map(RawFrame::hex).toList());
    }

    @Test
    void aResetAfterBothSidesClosedSendsNothingButLaterReadsReportIt() throws Exception {
        start(true);
        MuxedStream s = session.openStream();
        s.closeWrite();
        peer.sendFrame(0, CLOSE_RECEIVER);
        assertEquals(-1, s.read(new byte[1], 0, 1));
        s.reset();
        assertThrows(StreamResetException.class, () -> s.read(new byte[1], 0, 1));
        session.close();
        assertEquals(List.of("000130", "0400"), peer.framesUntilEnd().stream().map(RawFrame::hex).toList());
    }

    @Test
    void theEndOfTheInputKeepsDataThePeerClosedButFailsOpenStreams() throws Exception {
        start(false);
        MuxedStream finished = acceptFromPeer(0);
        MuxedStream open = acceptFromPeer(1);
        peer.sendFrame(0, MESSAGE_INITIATOR, bytes("kept"));
        peer.sendFrame(0, CLOSE_INITIATOR);
        peer.endOutput();
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        assertTrue(e.remote());
        assertArrayEquals(bytes("kept"), finished.input().readAllBytes());
        assertThrows(ConnectionClosedException.class, () -> open.read(new byte[1], 0, 1));
        assertThrows(ConnectionClosedException.class, () -> open.write(new byte[1], 0, 1));
        assertThrows(ConnectionClosedException.class, session::openStream);
    }
}
