package weft.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import weft.ConnectionClosedException;
import weft.ResourceLimitException;

/** The receive buffer's contract, after Okio's PipeTest. */
class StreamBufferTest {
    final StreamBuffer buffer = new StreamBuffer(10);

    static void awaitWaiting(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    CompletableFuture<Object> readInBackground(byte[] into, Thread[] thread) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        thread[0] = Thread.ofVirtual().start(() -> {
            try {
                result.complete(buffer.read(into, 0, into.length, 0));
            } catch (IOException e) {
                result.complete(e);
            }
        });
        return result;
    }

    @Test
    void aReadBlocksUntilDataArrives() throws Exception {
        byte[] into = new byte[4];
        Thread[] t = new Thread[1];
        CompletableFuture<Object> read = readInBackground(into, t);
        awaitWaiting(t[0]);
        assertFalse(read.isDone());
        buffer.append(new byte[] {1, 2, 3});
        assertEquals(3, read.get());
        assertArrayEquals(new byte[] {1, 2, 3, 0}, into);
    }

    @Test
    void readsSpanAppendedChunksInOrder() throws Exception {
        buffer.append(new byte[] {1, 2});
        buffer.append(new byte[] {3, 4, 5});
        byte[] into = new byte[4];
        assertEquals(4, buffer.read(into, 0, 4, 0));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, into);
        assertEquals(1, buffer.read(into, 0, 4, 0));
        assertEquals(5, into[0]);
        assertEquals(0, buffer.size());
    }

    @Test
    void afterFinishReadersDrainTheBufferThenSeeEndOfStream() throws Exception {
        buffer.append(new byte[] {7, 8});
        buffer.finish();
        byte[] into = new byte[1];
        assertEquals(1, buffer.read(into, 0, 1, 0));
        assertEquals(1, buffer.read(into, 0, 1, 0));
        assertEquals(-1, buffer.read(into, 0, 1, 0));
        assertFalse(buffer.append(new byte[] {9}), "data after the end is dropped");
    }

    @Test
    void finishWakesABlockedReaderWithEndOfStream() throws Exception {
        Thread[] t = new Thread[1];
        CompletableFuture<Object> read = readInBackground(new byte[1], t);
        awaitWaiting(t[0]);
        buffer.finish();
        assertEquals(-1, read.get());
    }

    @Test
    void failDropsUnreadDataAndWakesBlockedReadersWithTheCause() throws Exception {
        Thread[] t = new Thread[1];
        CompletableFuture<Object> read = readInBackground(new byte[1], t);
        awaitWaiting(t[0]);
        IOException cause = new IOException("reset");
        buffer.fail(cause);
        assertSame(cause, ((IOException) read.get()).getCause());
        buffer.append(new byte[] {1});
        assertSame(cause, assertThrows(IOException.class, () -> buffer.read(new byte[1], 0, 1, 0)).getCause());
        assertEquals(0, buffer.size());
    }

    @Test
    void everyReadAfterAFailureThrowsItsOwnCopyOfTheSameTypeAndFields() {
        IOException socketError = new IOException("broken pipe");
        var cause = new ConnectionClosedException("mux: connection read failed", true, socketError);
        buffer.fail(cause);
        var first = assertThrows(ConnectionClosedException.class, () -> buffer.read(new byte[1], 0, 1, 0));
        var second = assertThrows(ConnectionClosedException.class, () -> buffer.read(new byte[1], 0, 1, 0));
        assertNotSame(cause, first);
        assertNotSame(first, second);
        assertEquals(cause.getMessage(), second.getMessage());
        assertTrue(first.remote() && second.remote());
        assertSame(socketError, first.getCause()); // the copy keeps the recorded cause chain
        first.addSuppressed(second);
        assertSame(second, first.getSuppressed()[0]);
        assertEquals(0, cause.getSuppressed().length);
    }

    @Test
    void onlyTheFirstFailureCounts() {
        IOException first = new IOException("first");
        buffer.fail(first);
        buffer.fail(new IOException("second"));
        assertSame(first, assertThrows(IOException.class, () -> buffer.read(new byte[1], 0, 1, 0)).getCause());
    }

    @Test
    void aReadTimesOutWithSocketTimeoutException() {
        assertThrows(SocketTimeoutException.class, () -> buffer.read(new byte[1], 0, 1, 1_000_000));
    }

    @Test
    void appendingBeyondTheCapacityThrowsResourceLimitException() throws Exception {
        buffer.append(new byte[8]);
        assertThrows(ResourceLimitException.class, () -> buffer.append(new byte[3]));
        buffer.growCapacity(11);
        buffer.append(new byte[3]);
        assertEquals(11, buffer.size());
    }

    // ---- awaitRoom, for a producer that may wait (mplex)

    @Test
    void awaitRoomReturnsAtOnceWhenTheBytesFit() throws Exception {
        buffer.append(new byte[6]);
        assertTrue(buffer.awaitRoom(4, 0));
    }

    @Test
    void awaitRoomWithoutATimeoutReportsAFullBufferAtOnce() throws Exception {
        buffer.append(new byte[6]);
        assertFalse(buffer.awaitRoom(5, 0));
    }

    @Test
    void aReadThatFreesEnoughRoomWakesAWaitingProducer() throws Exception {
        buffer.append(new byte[8]);
        CompletableFuture<Boolean> room = new CompletableFuture<>();
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                room.complete(buffer.awaitRoom(5, java.util.concurrent.TimeUnit.MINUTES.toNanos(1)));
            } catch (IOException e) {
                room.completeExceptionally(e);
            }
        });
        awaitWaiting(producer);
        buffer.read(new byte[2], 0, 2, 0); // 6 left: still no room for 5
        awaitWaiting(producer);
        assertFalse(room.isDone());
        buffer.read(new byte[1], 0, 1, 0); // 5 left: room
        assertTrue(room.get());
    }

    @Test
    void failingTheBufferReleasesAWaitingProducer() throws Exception {
        buffer.append(new byte[10]);
        CompletableFuture<Boolean> room = new CompletableFuture<>();
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                room.complete(buffer.awaitRoom(1, java.util.concurrent.TimeUnit.MINUTES.toNanos(1)));
            } catch (IOException e) {
                room.completeExceptionally(e);
            }
        });
        awaitWaiting(producer);
        buffer.fail(new IOException("reset"));
        assertTrue(room.get()); // it may go on: append will drop what it brings
        assertFalse(buffer.append(new byte[1]));
    }

    @Test
    void aDrainedChunkIsHandedOutAgainForTheNextPayloadThatFits() throws Exception {
        int size = StreamBuffer.MIN_SPARE_CHUNK + 100;
        StreamBuffer buffer = new StreamBuffer(1 << 20);
        byte[] first = buffer.newChunk(size);
        buffer.append(first, size);
        byte[] partly = new byte[size];
        buffer.read(partly, 0, 60, 0);
        assertNotSame(first, buffer.newChunk(size), "still being read: not handed out");
        buffer.read(partly, 0, size - 60, 0);
        assertNotSame(first, buffer.newChunk(size + 1), "too short for a longer payload");
        assertSame(first, buffer.newChunk(size - 100), "long enough for a shorter one");
        assertNotSame(first, buffer.newChunk(size), "handed out once");
    }

    @Test
    void aLongerArrayAppendedWithALengthYieldsOnlyThatManyBytes() throws Exception {
        StreamBuffer buffer = new StreamBuffer(1024);
        buffer.append(new byte[] {1, 2, 3, 4, 5}, 3);
        buffer.finish();
        byte[] got = new byte[8];
        assertEquals(3, buffer.read(got, 0, 8, 0));
        assertArrayEquals(new byte[] {1, 2, 3, 0, 0, 0, 0, 0}, got);
        assertEquals(-1, buffer.read(got, 0, 8, 0));
    }

    @Test
    void noDrainedChunkIsKeptOnceTheBufferFinished() throws Exception {
        int size = StreamBuffer.MIN_SPARE_CHUNK;
        StreamBuffer buffer = new StreamBuffer(1 << 20);
        byte[] chunk = buffer.newChunk(size);
        buffer.append(chunk);
        buffer.finish();
        assertEquals(size, buffer.read(new byte[size], 0, size, 0));
        assertNotSame(chunk, buffer.newChunk(size));
    }
}
