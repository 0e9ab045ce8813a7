package weft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import weft.io.DuplexStream;

/**
 * Two connected in-memory {@link DuplexStream}s, like a socket pair: what one end writes, the other reads. Each
 * direction is a bounded ring buffer, so a writer blocks when the reader falls behind (back-pressure as over TCP).
 * Closing an end is like closing a socket: the peer reads end of stream after draining, blocked and later calls on
 * the closed end fail, and the peer's writes fail.
 *
 * <p>Built on {@link ReentrantLock}, not {@code java.io.PipedInputStream} (which polls once a second and breaks when
 * a writer thread dies). {@link #blockWrites()} / {@link #unblockWrites()} stall one direction to script slow peers
 * (as go-yamux's test {@code pipeConn.BlockWrites}).
 *
 * <p>Two spellings of the same thing (the Noise and yamux branches each wrote one; merged here):
 * {@code MemoryPipe.create(capacity)} with {@link #left()} / {@link #right()}, or {@code MemoryPipe.pair(capacity)}
 * with {@link Pair#a()} / {@link Pair#b()}. {@code output().close()} is a half-close: the other end reads EOF.
 *
 * <pre>{@code
 * MemoryPipe pipe = MemoryPipe.create(64 * 1024);
 * pipe.left().output().write(bytes);
 * pipe.right().input().read(buffer);
 * }</pre>
 */
public final class MemoryPipe {
    /** The two ends. */
    public record Pair(End a, End b) {}

    private final End left;
    private final End right;

    private MemoryPipe(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive (" + capacity + ")");
        }
        Direction leftToRight = new Direction(capacity);
        Direction rightToLeft = new Direction(capacity);
        left = new End(rightToLeft, leftToRight);
        right = new End(leftToRight, rightToLeft);
    }

    /** A pipe whose two directions each buffer at most {@code capacity} bytes. */
    public static MemoryPipe create(int capacity) {
        return new MemoryPipe(capacity);
    }

    /** A connected pair whose two directions each buffer at most {@code capacity} bytes. */
    public static Pair pair(int capacity) {
        MemoryPipe pipe = new MemoryPipe(capacity);
        return new Pair(pipe.left, pipe.right);
    }

    public End left() {
        return left;
    }

    public End right() {
        return right;
    }

    /** One end: reads from one direction, writes to the other. */
    public static final class End implements DuplexStream {
        private final Direction in;
        private final Direction out;
        private final InputStream input;
        private final OutputStream output;

        End(Direction in, Direction out) {
            this.in = in;
            this.out = out;
            this.input = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return End.this.in.read(b, off, len);
                }

                @Override
                public int available() {
                    return End.this.in.available();
                }

                @Override
                public void close() {
                    End.this.close();
                }
            };
            this.output = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    End.this.out.write(b, off, len);
                }

                @Override
                public void close() {
                    End.this.out.closeWriter();
                }
            };
        }

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        /** Ends this end's output: the other end reads the end of the stream; this end still reads. */
        @Override
        public void shutdownOutput() {
            out.closeWriter();
        }

        /** Closes both directions at this end. */
        @Override
        public void close() {
            out.closeWriter();
            in.closeReader();
        }

        /** Stalls this end's writes until {@link #unblockWrites()}. */
        public void blockWrites() {
            out.setBlocked(true);
        }

        public void unblockWrites() {
            out.setBlocked(false);
        }

        /** True while a writer at this end waits (full buffer or blocked). */
        public boolean writerWaiting() {
            return out.writerWaiting();
        }

        public boolean isClosed() {
            return in.readerClosed;
        }
    }

    /** One direction: a bounded ring buffer. */
    static final class Direction {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final byte[] ring;
        private int head; // guarded by lock
        private int size; // guarded by lock
        private boolean writerClosed; // guarded by lock
        private volatile boolean readerClosed;
        private boolean blocked; // guarded by lock
        private int waitingWriters; // guarded by lock

        Direction(int capacity) {
            ring = new byte[capacity];
        }

        int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            lock.lock();
            try {
                while (size == 0) {
                    if (readerClosed) {
                        throw new IOException("memory pipe: closed");
                    }
                    if (writerClosed) {
                        return -1;
                    }
                    if (len == 0) {
                        return 0;
                    }
                    changed.await();
                }
                if (readerClosed) {
                    throw new IOException("memory pipe: closed");
                }
                int n = Math.min(len, size);
                int first = Math.min(n, ring.length - head);
                System.arraycopy(ring, head, b, off, first);
                System.arraycopy(ring, 0, b, off + first, n - first);
                head = (head + n) % ring.length;
                size -= n;
                changed.signalAll();
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            } finally {
                lock.unlock();
            }
        }

        void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            lock.lock();
            try {
                waitingWriters++;
                try {
                    while (len > 0) {
                        if (writerClosed) {
                            throw new IOException("memory pipe: closed");
                        }
                        if (readerClosed) {
                            throw new IOException("memory pipe: broken pipe");
                        }
                        if (blocked || size == ring.length) {
                            changed.await();
                            continue;
                        }
                        int n = Math.min(len, ring.length - size);
                        int tail = (head + size) % ring.length;
                        int first = Math.min(n, ring.length - tail);
                        System.arraycopy(b, off, ring, tail, first);
                        System.arraycopy(b, off + first, ring, 0, n - first);
                        size += n;
                        off += n;
                        len -= n;
                        changed.signalAll();
                    }
                } finally {
                    waitingWriters--;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            } finally {
                lock.unlock();
            }
        }

        int available() {
            lock.lock();
            try {
                return size;
            } finally {
                lock.unlock();
            }
        }

        void closeWriter() {
            lock.lock();
            try {
                writerClosed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void closeReader() {
            lock.lock();
            try {
                readerClosed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void setBlocked(boolean value) {
            lock.lock();
            try {
                blocked = value;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        boolean writerWaiting() {
            lock.lock();
            try {
                return waitingWriters > 0 && (blocked || size == ring.length);
            } finally {
                lock.unlock();
            }
        }
    }
}
