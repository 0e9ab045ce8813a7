package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.ResourceLimitException;
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;
import weft.testing.ManualClock;
import weft.testing.MemoryPipe;
import weft.transport.webrtc.sctp.Association;

/**
 * Two connections over real SCTP (in memory): the association's one receive window shared by every data channel,
 * and what the per-stream bound does with it. A 256 KiB window and a 64 KiB bound per stream keep it small; the
 * channels' clock moves only when a test says so. A test that hangs here is a window that never reopened.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DataChannelFlowTest {
    private static final int WINDOW = 256 * 1024;
    private static final int BOUND = 64 * 1024;

    private final ManualClock clock = new ManualClock();
    private final DataChannelConfig config = DataChannelConfig.defaults().withScheduler(clock)
            .withStreamReceiveBuffer(BOUND);
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private MuxedConnection dialer;
    private MuxedConnection listener;

    @BeforeEach
    void connect() throws IOException {
        MemoryPipe.Pair pipe = MemoryPipe.pair(64 * 1024);
        SctpOverStream muxer = new SctpOverStream(config, new Association.Config(WINDOW, WINDOW, 64 * 1024, 1192,
                Duration.ofSeconds(30)));
        dialer = muxer.start(pipe.a(), true);
        listener = muxer.start(pipe.b(), false);
    }

    @AfterEach
    void close() throws IOException {
        dialer.close();
        listener.close();
        threads.shutdownNow();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Writes {@code data} on a new stream and half-closes, in the background; the future has what it threw. */
    private Future<IOException> send(MuxedStream stream, byte[] data) {
        return threads.submit(() -> {
            try {
                stream.write(data, 0, data.length);
                stream.closeWrite();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
    }

    @Test
    void aStreamNobodyReadsIsResetAfterTheSlowReaderTimeoutAndTheOthersMoveOn() throws Exception {
        MuxedStream stuckOut = dialer.openStream();
        Future<IOException> stuckWriter = send(stuckOut, random(4 * WINDOW, 1));
        DataChannelStream stuckIn = (DataChannelStream) listener.acceptStream();
        while (stuckIn.waitingBytes() == 0) { // its bound is full and more arrived: it now holds window it cannot use
            Thread.onSpinWait();
            Thread.yield();
        }
        byte[] data = random(2 * WINDOW, 2);
        Future<IOException> otherWriter = send(dialer.openStream(), data);
        clock.advance(config.slowReaderTimeout()); // no read all along: the stuck stream goes

        MuxedStream otherIn = listener.acceptStream();
        assertArrayEquals(data, otherIn.input().readAllBytes());
        assertEquals(null, otherWriter.get());
        StreamResetException ours = assertThrows(StreamResetException.class, () -> stuckIn.read(new byte[1], 0, 1));
        assertFalse(ours.remote());
        assertInstanceOf(ResourceLimitException.class, ours.getCause());
        StreamResetException theirs = assertInstanceOf(StreamResetException.class, stuckWriter.get());
        assertTrue(theirs.remote(), "the writer learns its reader reset the stream");
    }

    @Test
    void aStreamWhosePeerNeverReadsDoesNotStopAnotherStreamsWrites() throws Exception {
        MuxedStream stuckOut = dialer.openStream();
        Future<IOException> stuckWriter = send(stuckOut, random(4 * WINDOW, 20));
        DataChannelStream stuckIn = (DataChannelStream) listener.acceptStream();
        // the stuck stream took the peer's whole window: nothing more of it moves, and its writer waits
        while (stuckIn.input().available() + stuckIn.waitingBytes() < WINDOW - MessageFrame.MAX_ENCODED) {
            Thread.onSpinWait();
            Thread.yield();
        }
        MuxedStream otherOut = dialer.openStream();
        otherOut.setWriteTimeout(Duration.ofSeconds(20)); // without the per-stream send bound: behind 256 KiB
        byte[] data = random(config.streamSendBuffer() - 64, 21);
        otherOut.write(data, 0, data.length); // queued within its own bound, though nothing moves
        otherOut.closeWrite();
        assertFalse(stuckWriter.isDone(), "the stuck stream's writer still waits");

        clock.advance(config.slowReaderTimeout()); // the stuck stream is reset: the window opens, the other moves
        assertArrayEquals(data, listener.acceptStream().input().readAllBytes());
        assertInstanceOf(StreamResetException.class, stuckWriter.get());
    }

    @Test
    void aStreamNobodyReadsHoldsNoMoreThanItsBoundWhileItsPeerHasNothingMoreToSend() throws Exception {
        // three stuck streams, each just under its bound, leave a quarter of the window for everyone else
        for (int i = 0; i < 3; i++) {
            send(dialer.openStream(), random(BOUND - 1024, 10 + i));
            MuxedStream stuck = listener.acceptStream();
            while (stuck.input().available() < BOUND - 1024) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
        byte[] data = random(4 * WINDOW, 3);
        Future<IOException> writer = send(dialer.openStream(), data);
        assertArrayEquals(data, listener.acceptStream().input().readAllBytes());
        assertEquals(null, writer.get());
    }

    @Test
    void streamsResetWithUnreadDataGiveThoseBytesBackToTheWindow() throws Exception {
        int unread = 48 * 1024;
        for (int i = 0; i < 2 * WINDOW / unread; i++) { // twice the window in all: any leak would close it for good
            send(dialer.openStream(), random(unread, i));
            MuxedStream in = listener.acceptStream();
            while (in.input().available() < unread) {
                Thread.onSpinWait();
                Thread.yield();
            }
            in.reset();
        }
        byte[] data = random(4 * WINDOW, 99);
        Future<IOException> writer = send(dialer.openStream(), data);
        assertArrayEquals(data, listener.acceptStream().input().readAllBytes());
        assertEquals(null, writer.get());
    }

    @Test
    void closingAStreamWithUnreadDataGivesThoseBytesBackToTheWindow() throws Exception {
        int unread = 48 * 1024;
        for (int i = 0; i < 2 * WINDOW / unread; i++) {
            send(dialer.openStream(), random(unread, i));
            MuxedStream in = listener.acceptStream();
            while (in.input().available() < unread) {
                Thread.onSpinWait();
                Thread.yield();
            }
            in.close(); // STOP_SENDING, the unread bytes dropped
        }
        byte[] data = random(4 * WINDOW, 98);
        Future<IOException> writer = send(dialer.openStream(), data);
        assertArrayEquals(data, listener.acceptStream().input().readAllBytes());
        assertEquals(null, writer.get());
    }
}
