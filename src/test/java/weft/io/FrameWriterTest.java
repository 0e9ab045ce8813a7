package weft.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import weft.ConnectionClosedException;

/** The connection writer: lanes, batching, failure, finishing. */
class FrameWriterTest {

    /** Records writes; the first write waits until {@link #release} so that tests can queue frames behind it. */
    static final class GatedOutput extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger flushes = new AtomicInteger();
        volatile IOException failWith;

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            if (failWith != null) {
                throw failWith;
            }
            writes.incrementAndGet();
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }
    }

    final GatedOutput out = new GatedOutput();
    final AtomicBoolean channelClosed = new AtomicBoolean();
    final CompletableFuture<IOException> failure = new CompletableFuture<>();

    FrameWriter start(long dataLaneBytes) {
        return FrameWriter.start("t1", out, () -> channelClosed.set(true), dataLaneBytes, Duration.ofSeconds(10),
                failure::complete);
    }

    /** Queues {@code first}, waits until the writer is stuck writing it. */
    void stallOn(FrameWriter writer, byte[] first) throws Exception {
        writer.sendDataLater(first, 0);
        out.entered.await();
    }

    @Test
    void theWriterIsANamedVirtualThread() throws Exception {
        FrameWriter writer = start(1024);
        assertTrue(writer.thread().isVirtual());
        assertEquals("weft-writer-t1", writer.thread().getName());
        out.release.countDown();
        writer.finish(null, false);
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
    }

    @Test
    void controlFramesOvertakeQueuedDataAndDataKeepsItsOrder() throws Exception {
        FrameWriter writer = start(1024);
        stallOn(writer, new byte[] {0});
        writer.sendDataLater(new byte[] {1}, 0);
        writer.sendDataLater(new byte[] {2}, 0);
        writer.sendControlLater(new byte[] {9});
        out.release.countDown();
        writer.finish(new byte[] {7}, false);
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
        assertArrayEquals(new byte[] {0, 9, 1, 2, 7}, out.bytes.toByteArray());
        assertTrue(channelClosed.get());
    }

    @Test
    void finishingWithAHalfCloseWritesTheLastFrameThenClosesOnlyTheOutput() throws Exception {
        FrameWriter writer = start(1024);
        stallOn(writer, new byte[] {0});
        writer.sendDataLater(new byte[] {1}, 0);
        writer.sendControlLater(new byte[] {9});
        AtomicBoolean outputShut = new AtomicBoolean();
        writer.finish(new byte[] {7}, true, () -> outputShut.set(true));
        out.release.countDown();
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
        assertArrayEquals(new byte[] {0, 9, 7}, out.bytes.toByteArray(), "queued data dropped, control then last");
        assertTrue(outputShut.get(), "the output was shut down");
        assertFalse(channelClosed.get(), "the channel is left to the caller");
    }

    @Test
    void framesQueuedMeanwhileGoOutInOneWriteAndOneFlush() throws Exception {
        FrameWriter writer = start(1024);
        stallOn(writer, new byte[] {0});
        for (int i = 1; i <= 20; i++) {
            writer.sendDataLater(new byte[] {(byte) i}, 0);
        }
        writer.sendControlLater(new byte[] {100});
        out.release.countDown();
        writer.finish(null, false);
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(2, out.writes.get(), "the stalled frame, then one batch");
        assertEquals(2, out.flushes.get());
    }

    @Test
    void aFullDataLaneBlocksTheSenderUntilItsTimeout() throws Exception {
        FrameWriter writer = start(10);
        stallOn(writer, new byte[] {0});
        writer.sendDataLater(new byte[10], 0);
        assertThrows(SocketTimeoutException.class, () -> writer.sendDataLater(new byte[1], 1_000_000));
        writer.sendControlLater(new byte[] {1}); // the control lane never blocks
        out.release.countDown();
        writer.sendDataLater(new byte[1], 0); // room again once the writer drained
        writer.finish(null, false);
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
    }

    @Test
    void aWriteFailureWakesEveryWaiterWithTheFirstCause() throws Exception {
        FrameWriter writer = start(10);
        stallOn(writer, new byte[] {0});
        writer.sendDataLater(new byte[10], 0);
        CompletableFuture<Throwable> waiter = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                writer.sendDataLater(new byte[5], 0);
                waiter.complete(null);
            } catch (Throwable e) {
                waiter.complete(e);
            }
        });
        while (t.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
            Thread.yield();
        }
        IOException broken = new IOException("broken pipe");
        out.failWith = broken;
        out.release.countDown();
        ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, waiter.get());
        assertSame(broken, e.getCause());
        assertSame(broken, failure.get());
        assertSame(broken, writer.failure());
        assertTrue(channelClosed.get());
        assertThrows(ConnectionClosedException.class, () -> writer.sendControlLater(new byte[1]));
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
    }

    @Test
    void finishWithDropDataSendsOnlyControlFramesAndTheLastFrame() throws Exception {
        FrameWriter writer = start(1024);
        stallOn(writer, new byte[] {0});
        writer.sendDataLater(new byte[] {1}, 0);
        writer.sendControlLater(new byte[] {9});
        writer.finish(new byte[] {7}, true);
        assertThrows(ConnectionClosedException.class, () -> writer.sendDataLater(new byte[1], 0));
        out.release.countDown();
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
        assertArrayEquals(new byte[] {0, 9, 7}, out.bytes.toByteArray());
    }

    @Test
    void afterWriteCallbacksRunOnceTheFrameWasWritten() throws Exception {
        FrameWriter writer = start(1024);
        stallOn(writer, new byte[] {0});
        CountDownLatch written = new CountDownLatch(1);
        writer.sendControlLater(new byte[] {5}, written::countDown);
        assertEquals(1, written.getCount());
        out.release.countDown();
        written.await();
        writer.finish(null, false);
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
    }

    @Test
    void aFloodedControlLaneFailsTheWriterInsteadOfGrowingWithoutBound() throws Exception {
        FrameWriter writer = start(1024);
        stallOn(writer, new byte[] {0});
        for (int i = 0; i < FrameWriter.MAX_CONTROL_FRAMES; i++) {
            writer.sendControlLater(new byte[1]);
        }
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class,
                () -> writer.sendControlLater(new byte[1]));
        assertInstanceOf(weft.ResourceLimitException.class, e.getCause());
        assertInstanceOf(weft.ResourceLimitException.class, failure.get());
        assertTrue(channelClosed.get());
        out.release.countDown();
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
    }

    @Test
    void aBorrowedPayloadGoesToTheChannelStraightFromTheCallersArrayAfterItsHeader() throws Exception {
        java.util.List<byte[]> arrays = new java.util.concurrent.CopyOnWriteArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream recording = new OutputStream() {
            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                arrays.add(b);
                bytes.write(b, off, len);
            }
        };
        FrameWriter writer = FrameWriter.start("t2", recording, () -> {}, 1 << 20, Duration.ofSeconds(10), e -> {});
        byte[] payload = new byte[64 * 1024];
        java.util.Arrays.fill(payload, (byte) 3);
        BorrowedFrames borrowed = writer.borrow();
        borrowed.send(new byte[] {1, 2}, payload, 10, 20_000, 0);
        borrowed.awaitWritten(0);
        assertTrue(arrays.stream().anyMatch(a -> a == payload), "written from the caller's array, not a copy");
        byte[] out = bytes.toByteArray();
        assertEquals(2 + 20_000, out.length);
        assertEquals(1, out[0]);
        assertEquals(2, out[1]);
        assertEquals(3, out[2 + 19_999]);
        assertEquals(0, borrowed.withdrawn());
        writer.finish(null, false);
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
    }

    @Test
    void aFailedWriterReleasesBorrowersWithConnectionClosedAndNothingCountedAsSent() throws Exception {
        FrameWriter writer = start(1 << 20);
        stallOn(writer, new byte[] {0});
        BorrowedFrames borrowed = writer.borrow();
        borrowed.send(new byte[] {1}, new byte[30_000], 0, 30_000, 0);
        CompletableFuture<Throwable> waiter = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                borrowed.awaitWritten(0);
                waiter.complete(null);
            } catch (Throwable e) {
                waiter.complete(e);
            }
        });
        out.failWith = new IOException("broken pipe");
        out.release.countDown();
        assertInstanceOf(ConnectionClosedException.class, waiter.get());
        assertEquals(30_000, borrowed.withdrawn());
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
    }

    @Test
    void anIdleWriterDropsItsBatchBufferAndStillBatches() throws Exception {
        FrameWriter writer = start(1 << 20);
        stallOn(writer, new byte[] {0});
        for (int i = 1; i <= 100; i++) {
            writer.sendDataLater(new byte[1000], 0); // 100 kB of small frames: more than one batch buffer
        }
        out.release.countDown();
        writer.finish(new byte[] {7}, false);
        assertTrue(writer.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(1 + 100_000 + 1, out.bytes.size());
        assertTrue(out.writes.get() <= 4, "gathered into few writes: " + out.writes.get());
    }
}
