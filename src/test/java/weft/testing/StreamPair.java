package weft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;

/**
 * Two connected in-memory {@link MuxedStream}s, as the two ends of one yamux stream: what one writes the other
 * reads, with the stream semantics protocols rely on and without a muxer under them.
 *
 * <ul>
 *   <li>Each direction buffers up to {@code capacity} bytes (a receive window); a writer blocks while it is full.
 *   <li>{@link MuxedStream#closeWrite()} is FIN: the other end reads the buffered bytes, then -1; writing
 *       afterwards throws {@link StreamClosedException}.
 *   <li>{@link MuxedStream#reset(int)} is RST: both ends' calls throw {@link StreamResetException}, remote on the
 *       other end, local on this one; buffered bytes are dropped.
 *   <li>{@link MuxedStream#close()} is FIN plus closing our read side: later reads return -1, bytes that arrive
 *       are dropped (go-yamux's CloseRead is local only).
 *   <li>Read and write timeouts throw {@link SocketTimeoutException}.
 * </ul>
 *
 * <p>The Noise helper's {@code MemoryPipe} is the same idea for plain {@code DuplexStream}s (a socket pair).
 */
public final class StreamPair {
    private static final long STREAM_ID = 1;

    private final End left;
    private final End right;

    private StreamPair(int capacity) {
        ReentrantLock lock = new ReentrantLock();
        Direction leftToRight = new Direction(capacity, lock);
        Direction rightToLeft = new Direction(capacity, lock);
        left = new End(rightToLeft, leftToRight);
        right = new End(leftToRight, rightToLeft);
        left.peer = right;
        right.peer = left;
    }

    /** A pair whose directions each buffer {@code capacity} bytes. */
    public static StreamPair create(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive (" + capacity + ")");
        }
        return new StreamPair(capacity);
    }

    /** A pair with yamux's initial window, 256 KiB, in each direction. */
    public static StreamPair create() {
        return create(256 * 1024);
    }

    /** The "dialer" end (the one that opened the stream). */
    public MuxedStream left() {
        return left;
    }

    /** The "listener" end (the handler's stream). */
    public MuxedStream right() {
        return right;
    }

    /** One direction: a ring buffer, FIN, RST. Both directions share the pair's lock, so a reset is atomic. */
    private static final class Direction {
        private final ReentrantLock lock;
        private final Condition changed;
        private final byte[] ring;
        private int head; // guarded by lock
        private int count; // guarded by lock
        private boolean fin; // guarded by lock: the writer half-closed
        private boolean readerGone; // guarded by lock: the reader closed its read side; bytes are dropped

        Direction(int capacity, ReentrantLock lock) {
            this.lock = lock;
            this.changed = lock.newCondition();
            this.ring = new byte[capacity];
        }
    }

    private static final class End implements MuxedStream {
        private final Direction in;
        private final Direction out;
        private final ReentrantLock lock;
        private final InputStream input;
        private final OutputStream output;
        private boolean writeClosed; // guarded by lock
        private boolean reset; // guarded by lock
        private boolean resetByRemote; // guarded by lock
        private int resetCode; // guarded by lock
        private End peer;
        private volatile Duration readTimeout;
        private volatile Duration writeTimeout;

        End(Direction in, Direction out) {
            this.in = in;
            this.out = out;
            this.lock = in.lock;
            this.input = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return End.this.read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return End.this.read(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    End.this.close();
                }
            };
            this.output = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    End.this.write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    End.this.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    End.this.closeWrite();
                }
            };
        }

        @Override
        public long id() {
            return STREAM_ID;
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
        public int read(byte[] buf, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long deadline = deadline(readTimeout);
            lock.lock();
            try {
                while (true) {
                    throwIfReset();
                    if (in.readerGone) {
                        return -1;
                    }
                    if (in.count > 0) {
                        int n = Math.min(len, in.count);
                        for (int i = 0; i < n; i++) {
                            buf[off + i] = in.ring[(in.head + i) % in.ring.length];
                        }
                        in.head = (in.head + n) % in.ring.length;
                        in.count -= n;
                        in.changed.signalAll();
                        return n;
                    }
                    if (in.fin) {
                        return -1;
                    }
                    await(in.changed, deadline, "read");
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            long deadline = deadline(writeTimeout);
            lock.lock();
            try {
                int written = 0;
                while (written < len) {
                    throwIfReset();
                    if (writeClosed) {
                        throw new StreamClosedException("memory stream: write after close");
                    }
                    if (out.readerGone) {
                        return;
                    }
                    int space = out.ring.length - out.count;
                    if (space == 0) {
                        await(out.changed, deadline, "write");
                        continue;
                    }
                    int n = Math.min(space, len - written);
                    for (int i = 0; i < n; i++) {
                        out.ring[(out.head + out.count + i) % out.ring.length] = buf[off + written + i];
                    }
                    out.count += n;
                    written += n;
                    out.changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void closeWrite() throws IOException {
            lock.lock();
            try {
                throwIfReset();
                writeClosed = true;
                out.fin = true;
                out.changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void reset() {
            reset(0);
        }

        @Override
        public void reset(int errorCode) {
            lock.lock();
            try {
                if (reset) {
                    return;
                }
                markReset(false, errorCode);
                peer().markReset(true, errorCode);
                in.count = 0;
                out.count = 0;
                in.changed.signalAll();
                out.changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void setReadTimeout(Duration timeout) {
            readTimeout = timeout;
        }

        @Override
        public void setWriteTimeout(Duration timeout) {
            writeTimeout = timeout;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (reset) {
                    return;
                }
                writeClosed = true;
                out.fin = true;
                in.readerGone = true;
                in.count = 0;
                out.changed.signalAll();
                in.changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void markReset(boolean remote, int code) {
            if (!reset) {
                reset = true;
                resetByRemote = remote;
                resetCode = code;
            }
        }

        private End peer() {
            if (peer == null) {
                throw new IllegalStateException("unpaired end");
            }
            return peer;
        }

        private void throwIfReset() throws StreamResetException {
            if (reset) {
                throw new StreamResetException(STREAM_ID, resetCode, resetByRemote);
            }
        }

        private static long deadline(Duration timeout) {
            return timeout == null || timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        }

        private static void await(Condition condition, long deadline, String what) throws IOException {
            try {
                if (deadline == Long.MAX_VALUE) {
                    condition.await();
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !condition.await(left, TimeUnit.NANOSECONDS) && System.nanoTime() >= deadline) {
                    throw new SocketTimeoutException("memory stream: " + what + " timed out");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("memory stream: interrupted while waiting to " + what);
            }
        }
    }
}
