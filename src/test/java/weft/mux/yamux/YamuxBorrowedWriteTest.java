package weft.mux.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import weft.mux.MuxedStream;
import weft.testing.ScriptedPeer.RawFrame;

/**
 * Large writes lend their array to the connection writer instead of copying it ({@code YamuxStream.BORROW_BYTES}):
 * they return only once their frames are written, and one cut short sends a prefix of the bytes, says how many,
 * and keeps the window of the rest.
 */
class YamuxBorrowedWriteTest extends ScriptedYamuxTestBase {
    static final int FRAME = YamuxConfig.defaults().maxFramePayload();

    @Test
    void aLargeWriteReturnsOnlyOnceItsFramesAreWrittenAndTheyCarryItsBytes() throws Exception {
        start(true);
        MuxedStream s = openAcked();
        byte[] data = new byte[FRAME + 1000];
        new Random(7).nextBytes(data);
        byte[] sent = data.clone();
        sessionEnd.blockWrites();
        Write write = writeAsync(s, data);
        YamuxLimitsTest.awaitWaiting(write.thread);
        assertFalse(write.isDone(), "the writer has not written the frames yet");
        sessionEnd.unblockWrites();
        assertEquals(null, write.get());
        Arrays.fill(data, (byte) 0); // the caller owns its array again: nothing more may go out of it
        RawFrame first = peer.expectFrame("00 00 0000 " + String.format("%08x", s.id()) + String.format(" %08x", FRAME));
        RawFrame second = peer.expectFrame("00 00 0000 " + String.format("%08x", s.id()) + " 000003e8");
        assertArrayEquals(Arrays.copyOfRange(sent, 0, FRAME), first.payload());
        assertArrayEquals(Arrays.copyOfRange(sent, FRAME, sent.length), second.payload());
    }

    @Test
    void anInterruptedLargeWriteSendsTheFrameTheWriterTookKeepsTheRestsWindowAndSaysHowMuchWent() throws Exception {
        // a data lane of one frame: the writer takes frame 1 alone, frame 2 waits in the lane, frame 3 for room
        start(true, quiet(clock).withWriteQueueBytes(Frame.HEADER_BYTES + FRAME));
        MuxedStream s = openAcked();
        YamuxStream stream = (YamuxStream) s;
        byte[] data = new byte[3 * FRAME];
        new Random(8).nextBytes(data);
        sessionEnd.blockWrites(); // the writer takes the first frame and stalls on it
        Write write = writeAsync(s, data);
        YamuxLimitsTest.awaitWaiting(write.thread);
        while (!sessionEnd.writerWaiting()) { // the writer took the first frame and is stuck writing it
            Thread.onSpinWait();
            Thread.yield();
        }
        write.thread.interrupt();
        while (write.thread.isInterrupted()) { // the write takes the flag while it withdraws what was not taken
            Thread.onSpinWait();
            Thread.yield();
        }
        YamuxLimitsTest.awaitWaiting(write.thread);
        assertFalse(write.isDone(), "the frame being written still reads the caller's array: the write waits for it");
        sessionEnd.unblockWrites();
        InterruptedIOException e = assertInstanceOf(InterruptedIOException.class, write.get());
        assertEquals(FRAME, e.bytesTransferred);
        assertTrue(write.interruptedAfter, "the interrupt is kept for the caller");
        assertEquals(YamuxConfig.SPEC_INITIAL_WINDOW - FRAME, stream.sendWindow.available(), "the rest's window is kept");
        s.closeWrite();
        RawFrame first = peer.takeFrame();
        assertArrayEquals(Arrays.copyOfRange(data, 0, FRAME), first.payload());
        peer.expectFrame("00 01 0004 " + String.format("%08x", s.id()) + " 00000000"); // FIN right after: no more data
    }

    /** A write on its own virtual thread; the future holds what it threw, or null. */
    static final class Write extends CompletableFuture<Throwable> {
        Thread thread;
        volatile boolean interruptedAfter;
    }

    private static Write writeAsync(MuxedStream s, byte[] data) {
        Write write = new Write();
        write.thread = Thread.ofVirtual().unstarted(() -> {
            try {
                s.write(data, 0, data.length);
                write.complete(null);
            } catch (Throwable t) {
                write.interruptedAfter = Thread.currentThread().isInterrupted();
                write.complete(t);
            }
        });
        write.thread.start();
        return write;
    }
}
