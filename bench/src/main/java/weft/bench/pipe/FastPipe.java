package weft.bench.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import weft.io.DuplexStream;

/**
 * Two connected in-memory {@link DuplexStream}s for benchmarks, like a socket pair: what one end writes, the other
 * reads. Each direction is a bounded ring buffer (back-pressure as over TCP) with one reader and one writer at a
 * time, which is how every weft layer uses a channel (one connection reader, one connection writer).
 *
 * <p>Unlike the test suite's {@code weft.testing.MemoryPipe} (which wakes everybody on every call so tests can
 * script stalls), this pipe only signals a side that is actually parked, and a write that fits copies once under
 * one lock acquisition. So what a benchmark over it measures is the protocol code, not the pipe.
 *
 * <p>Closing: {@code output().close()} half-closes (the peer reads end of stream after draining);
 * {@link End#close()} closes both directions of that end (a blocked reader there fails, the peer's writes fail).
 *
 * <pre>{@code
 * FastPipe.Pair pipe = FastPipe.pair(256 * 1024);
 * pipe.a().output().write(bytes);
 * pipe.b().input().read(buffer);
 * }</pre>
 */
public final class FastPipe {
    /** The two ends. */
    public record Pair(End a, End b) {}

    private FastPipe() {}

    /** A connected pair whose two directions each buffer at most {@code capacity} bytes. */
    public static Pair pair(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("pipe: capacity must be positive (" + capacity + ")");
        }
        Ring aToB = new Ring(capacity);
        Ring bToA = new Ring(capacity);
        return new Pair(new End(bToA, aToB), new End(aToB, bToA));
    }

    /** One end: reads from one direction, writes to the other. */
    public static final class End implements DuplexStream {
        private final Ring in;
        private final Ring out;
        private final InputStream input;
        private final OutputStream output;

        End(Ring in, Ring out) {
            this.in = in;
            this.out = out;
            this.input = new InputStream() {
                private final byte[] one = new byte[1];

                @Override
                public int read() throws IOException {
                    return in.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
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
                    End.this.close();
                }
            };
            this.output = new OutputStream() {
                private final byte[] one = new byte[1];

                @Override
                public void write(int b) throws IOException {
                    one[0] = (byte) b;
                    out.write(one, 0, 1);
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

        /** Closes both directions at this end. */
        @Override
        public void close() {
            out.closeWriter();
            in.closeReader();
        }
    }

    /** One direction: a ring buffer that signals only parked threads. */
    static final class Ring {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition readable = lock.newCondition();
        private final Condition writable = lock.newCondition();
        private final byte[] ring;
        private int head; // guarded by lock
        private int size; // guarded by lock
        private int parkedReaders; // guarded by lock
        private int parkedWriters; // guarded by lock
        private boolean writerClosed; // guarded by lock
        private boolean readerClosed; // guarded by lock

        Ring(int capacity) {
            ring = new byte[capacity];
        }

        int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                while (size == 0) {
                    if (readerClosed) {
                        throw new IOException("pipe: closed");
                    }
                    if (writerClosed) {
                        return -1;
                    }
                    parkedReaders++;
                    try {
                        readable.await();
                    } finally {
                        parkedReaders--;
                    }
                }
                if (readerClosed) {
                    throw new IOException("pipe: closed");
                }
                int n = Math.min(len, size);
                int first = Math.min(n, ring.length - head);
                System.arraycopy(ring, head, b, off, first);
                if (n > first) {
                    System.arraycopy(ring, 0, b, off + first, n - first);
                }
                head += n;
                if (head >= ring.length) {
                    head -= ring.length;
                }
                size -= n;
                if (parkedWriters > 0) {
                    writable.signal();
                }
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
                    if (writerClosed) {
                        throw new IOException("pipe: closed");
                    }
                    if (readerClosed) {
                        throw new IOException("pipe: broken pipe");
                    }
                    if (size == ring.length) {
                        parkedWriters++;
                        try {
                            writable.await();
                        } finally {
                            parkedWriters--;
                        }
                        continue;
                    }
                    int n = Math.min(len, ring.length - size);
                    int tail = head + size;
                    if (tail >= ring.length) {
                        tail -= ring.length;
                    }
                    int first = Math.min(n, ring.length - tail);
                    System.arraycopy(b, off, ring, tail, first);
                    if (n > first) {
                        System.arraycopy(b, off + first, ring, 0, n - first);
                    }
                    size += n;
                    off += n;
                    len -= n;
                    if (parkedReaders > 0) {
                        readable.signal();
                    }
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
                return size;
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
