package weft.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MemoryPipeTest {
    private static CompletableFuture<Void> inBackground(IoRunnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    private interface IoRunnable {
        void run() throws Exception;
    }

    @Test
    void bytesWrittenAtOneEndAreReadAtTheOtherInBothDirections() throws IOException {
        MemoryPipe pipe = MemoryPipe.create(16);
        pipe.left().output().write(new byte[] {1, 2, 3});
        pipe.right().output().write(new byte[] {9});
        assertArrayEquals(new byte[] {1, 2, 3}, pipe.right().input().readNBytes(3));
        assertEquals(9, pipe.left().input().read());
    }

    @Test
    void aWriteLargerThanTheBufferBlocksUntilTheReaderDrainsIt() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(8);
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        CompletableFuture<Void> writer = inBackground(() -> pipe.left().output().write(data));
        assertArrayEquals(data, pipe.right().input().readNBytes(data.length));
        writer.get();
    }

    @Test
    void halfCloseDeliversBufferedBytesThenEof() throws IOException {
        MemoryPipe pipe = MemoryPipe.create(16);
        pipe.left().output().write(7);
        pipe.left().output().close();
        assertEquals(7, pipe.right().input().read());
        assertEquals(-1, pipe.right().input().read());
        pipe.right().output().write(5); // the other direction still works
        assertEquals(5, pipe.left().input().read());
    }

    @Test
    void closingAnEndWakesItsBlockedReaderWithAnIoException() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(16);
        CompletableFuture<Void> reader = inBackground(() -> pipe.left().input().read());
        pipe.left().close();
        ExecutionException e = assertThrows(ExecutionException.class, reader::get);
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
    }

    @Test
    void writesToAClosedPeerFailWithBrokenPipe() throws IOException {
        MemoryPipe pipe = MemoryPipe.create(16);
        pipe.right().close();
        IOException e = assertThrows(IOException.class, () -> pipe.left().output().write(1));
        assertTrue(e.getMessage().contains("broken pipe"), e.getMessage());
        assertEquals(-1, pipe.left().input().read());
    }

    @Test
    void availableCountsBufferedBytes() throws IOException {
        MemoryPipe pipe = MemoryPipe.create(16);
        assertEquals(0, pipe.right().input().available());
        pipe.left().output().write(new byte[5]);
        assertEquals(5, pipe.right().input().available());
        assertFalse(pipe.right().input().markSupported());
    }
}
