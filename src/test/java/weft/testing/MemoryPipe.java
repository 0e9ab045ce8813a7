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
 * Two connected in-memory {@link DuplexStream}s, like a loopback socket pair: what one end writes, the other
 * reads. Each direction is a bounded ring buffer, so a writer blocks while the buffer is full (back-pressure, as a
 * socket's send buffer), and a reader blocks until bytes or end of stream arrive.
 *
 * <p>Socket-like close: {@code end.close()} makes the other end read EOF after the bytes already buffered, fails
 * the other end's writes with "broken pipe", and fails this end's own blocked or later reads with "closed". So
 * closing an end from another thread (a {@code weft.io.Deadline}) wakes a reader blocked on it, as closing a socket
 * does. {@code output().close()} is a half-close: the other end reads EOF, the pipe stays readable.
 *
 * <p>Built on {@link ReentrantLock} and {@link Condition}, not {@code java.io.PipedInputStream}, which breaks when
 * its writer thread dies (it checks {@code Thread.isAlive}) and polls once a second.
 *
 * <pre>{@code
 * MemoryPipe pipe = MemoryPipe.create(64 * 1024);
 * pipe.left().output().write(bytes);
 * pipe.right().input().read(buffer);
 * }</pre>
 */
public final class MemoryPipe {
    private final End left;
    private final End right;

    private MemoryPipe(int capacity) {
        Direction leftToRight = new Direction(capacity);
        Direction rightToLeft = new Direction(capacity);
        left = new End(rightToLeft, leftToRight);
        right = new End(leftToRight, rightToLeft);
    }

    /** A pipe that buffers up to {@code capacity} bytes in each direction. */
    public static MemoryPipe create(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive (" + capacity + ")");
        }
        return new MemoryPipe(capacity);
    }

    public DuplexStream left() {
        return left;
    }

    public DuplexStream right() {
        return right;
    }

    private static final class End implements DuplexStream {
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
                    return in.read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public int available() {
                    return in.available();
                }

                @Override
                public void close() {
                    in.closeReader();
                }
            };
            this.output = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() {
                    out.closeWriter();
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

        @Override
        public void close() {
            out.closeWriter();
            in.closeReader();
        }
    }

    /** One direction: a ring buffer with a writer side and a reader side. */
    private static final class Direction {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition readable = lock.newCondition();
        private final Condition writable = lock.newCondition();
        private final byte[] ring; // guarded by lock
        private int head; // guarded by lock: index of the next byte to read
        private int count; // guarded by lock
        private boolean writerClosed; // guarded by lock: EOF after the buffered bytes
        private boolean readerClosed; // guarded by lock: reads fail, writes fail

        Direction(int capacity) {
            ring = new byte[capacity];
        }

        int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                while (count == 0 && !writerClosed && !readerClosed) {
                    readable.await();
                }
                if (readerClosed) {
                    throw new IOException("pipe: closed");
                }
                if (count == 0) {
                    return -1;
                }
                int n = Math.min(len, count);
                int first = Math.min(n, ring.length - head);
                System.arraycopy(ring, head, b, off, first);
                System.arraycopy(ring, 0, b, off + first, n - first);
                head = (head + n) % ring.length;
                count -= n;
                writable.signalAll();
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("pipe: interrupted");
            } finally {
                lock.unlock();
            }
        }

        void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            lock.lock();
            try {
                while (len > 0) {
                    while (count == ring.length && !readerClosed && !writerClosed) {
                        writable.await();
                    }
                    if (writerClosed) {
                        throw new IOException("pipe: closed");
                    }
                    if (readerClosed) {
                        throw new IOException("pipe: broken pipe");
                    }
                    int tail = (head + count) % ring.length;
                    int n = Math.min(len, Math.min(ring.length - count, ring.length - tail));
                    System.arraycopy(b, off, ring, tail, n);
                    count += n;
                    off += n;
                    len -= n;
                    readable.signalAll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("pipe: interrupted");
            } finally {
                lock.unlock();
            }
        }

        int available() {
            lock.lock();
            try {
                return count;
            } finally {
                lock.unlock();
            }
        }

        void closeWriter() {
            lock.lock();
            try {
                writerClosed = true;
                readable.signalAll();
                writable.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void closeReader() {
            lock.lock();
            try {
                readerClosed = true;
                readable.signalAll();
                writable.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
