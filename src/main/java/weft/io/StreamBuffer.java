package weft.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import weft.ResourceLimitException;
import weft.Rethrowable;

/**
 * The receive side of one multiplexed stream: a bounded buffer between the connection reader, which appends what
 * arrived, and the application thread, which reads it. Modelled on Okio's {@code Pipe}: "a source and a sink that
 * are attached. … Writes to the sink are buffered until they are read from the source"; unlike a pipe,
 * {@link #append} never blocks (the connection reader must not wait on one stream), so the bound is enforced by the
 * muxer's flow control and checked here. A muxer without flow control (mplex) may wait for room with
 * {@link #awaitRoom} for a bounded time before it gives up on the stream.
 *
 * <ul>
 *   <li>{@link #read} blocks until data arrives, the stream ends, it fails, or the read timeout expires.
 *   <li>{@link #finish()} (the peer's FIN) lets readers drain what is buffered, then they get -1.
 *   <li>{@link #fail(IOException)} (a reset, a dead connection, a local close of the read side) drops what is
 *       buffered and makes every pending and later read throw a fresh copy of that exception
 *       ({@link Rethrowable#freshCopyOf}: each caller gets its own object, the recorded one as its cause).
 * </ul>
 *
 * <p>Appended arrays are taken over, not copied: the connection reader reads each payload into an array and hands it
 * here. {@link #newChunk} gives it one that readers have drained, when one long enough is there (at most the
 * capacity in bytes of them are kept, none under {@value #MIN_SPARE_CHUNK} bytes, and none once the buffer finished or
 * failed), so that a bulk transfer does not allocate a new array per frame. Any thread may call any method.
 */
public final class StreamBuffer {
    /** Smaller chunks are not kept: they cost little to allocate, and a stream of small messages keeps none. */
    static final int MIN_SPARE_CHUNK = 16 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition drained = lock.newCondition(); // a read freed room, or no more appends will be taken
    /** The first {@code length} bytes of {@code array} arrived (a spare array may be longer than its payload). */
    private record Chunk(byte[] array, int length) {}

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>(); // guarded by lock
    private int headOffset; // guarded by lock; bytes of chunks.peek() already read
    private long size; // guarded by lock
    private long capacity; // guarded by lock
    private boolean finished; // guarded by lock
    private IOException failure; // guarded by lock
    /**
     * Drained chunks, kept once {@link #newChunk} is in use: at most the buffer's capacity in bytes, for a muxer the
     * receive window it granted, memory the stream has promised the peer anyway. A peer sends a burst of frames after
     * each window update, so a few spares would not cover one (bench StackPerf, JFR: a 256 KiB bound left 90% of the
     * allocation in place, a 4 MiB one removed 85% of it).
     */
    private ArrayDeque<byte[]> spares; // guarded by lock; drained, nobody references them; made on first use
    private boolean recycling; // guarded by lock; newChunk was called: drained chunks are worth keeping
    private long spareBytes; // guarded by lock

    /** A buffer holding at most {@code capacity} unread bytes. */
    public StreamBuffer(long capacity) {
        this.capacity = capacity;
    }

    /**
     * Appends {@code chunk} (taken over) for readers. Returns false, dropping it, once the buffer has failed or
     * finished.
     *
     * @throws ResourceLimitException if the unread bytes would exceed the capacity (the muxer's flow control should
     *     have refused the data before)
     */
    public boolean append(byte[] chunk) throws ResourceLimitException {
        return append(chunk, chunk.length);
    }

    /** {@link #append(byte[])} for the first {@code length} bytes of {@code array} (from {@link #newChunk}). */
    public boolean append(byte[] array, int length) throws ResourceLimitException {
        java.util.Objects.checkFromIndexSize(0, length, array.length);
        lock.lock();
        try {
            if (failure != null || finished) {
                return false;
            }
            if (size + length > capacity) {
                throw new ResourceLimitException("io: stream buffer overflow (" + (size + length) + " > "
                        + capacity + " bytes)");
            }
            if (length > 0) {
                chunks.add(new Chunk(array, length));
                size += length;
                readable.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * An array of at least {@code length} bytes to read the next chunk into and {@link #append(byte[], int)}: a
     * drained chunk at least that long, or a new array of exactly {@code length}. The caller owns it until it appends
     * it.
     */
    public byte[] newChunk(int length) {
        if (length < MIN_SPARE_CHUNK) {
            return new byte[length];
        }
        lock.lock();
        try {
            recycling = true;
            if (spares != null) {
                for (Iterator<byte[]> it = spares.iterator(); it.hasNext(); ) {
                    byte[] spare = it.next();
                    if (spare.length >= length) {
                        it.remove();
                        spareBytes -= spare.length;
                        return spare;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return new byte[length];
    }

    /**
     * Waits until {@code bytes} more fit under the capacity, for at most {@code timeoutNanos} (zero or less: no wait).
     * For a producer that may wait for the reader: mplex has no flow control, so its connection reader holds back for
     * a while before it resets a stream whose application reads too slowly.
     *
     * @return true once they fit, or once the buffer failed or finished (then {@link #append} drops them); false if
     *     there was no room when the wait ended
     */
    public boolean awaitRoom(long bytes, long timeoutNanos) throws InterruptedIOException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (size + bytes > capacity && failure == null && !finished) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = drained.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("io: interrupted while waiting for a reader");
        } finally {
            lock.unlock();
        }
    }

    /** Raises the bound (a flow-control window grew). */
    public void growCapacity(long newCapacity) {
        lock.lock();
        try {
            capacity = Math.max(capacity, newCapacity);
        } finally {
            lock.unlock();
        }
    }

    /** No more data will come: readers drain the buffer, then see end of stream. */
    public void finish() {
        lock.lock();
        try {
            finished = true;
            dropSpares();
            readable.signalAll();
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fails the buffer: unread data is dropped, and every pending and later {@link #read} throws a fresh copy of
     * {@code cause} ({@link Rethrowable#freshCopyOf}). Only the first failure counts.
     */
    public void fail(IOException cause) {
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = cause;
            chunks.clear();
            dropSpares();
            size = 0;
            headOffset = 0;
            readable.signalAll();
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads up to {@code len} bytes, blocking until at least one is there.
     *
     * @param timeoutNanos the longest wait; zero or less waits without bound
     * @return the number of bytes read, or -1 once the buffer is finished and drained
     * @throws SocketTimeoutException when nothing arrived within {@code timeoutNanos}
     * @throws IOException a fresh copy of the failure given to {@link #fail}, never the shared object
     */
    public int read(byte[] dst, int off, int len, long timeoutNanos) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (true) {
                if (failure != null) {
                    throw Rethrowable.freshCopyOf(failure); // one object per throw: callers may add to it
                }
                if (size > 0) {
                    break;
                }
                if (finished) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                if (timeoutNanos <= 0) {
                    readable.await();
                } else {
                    if (remaining <= 0) {
                        throw new SocketTimeoutException("io: read timed out ("
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms)");
                    }
                    remaining = readable.awaitNanos(remaining);
                }
            }
            int copied = 0;
            while (copied < len && !chunks.isEmpty()) {
                Chunk head = chunks.peek();
                int n = Math.min(len - copied, head.length() - headOffset);
                System.arraycopy(head.array(), headOffset, dst, off + copied, n);
                copied += n;
                headOffset += n;
                if (headOffset == head.length()) {
                    chunks.poll();
                    headOffset = 0;
                    keepSpare(head.array());
                }
            }
            size -= copied;
            if (copied > 0) {
                drained.signalAll();
            }
            return copied;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("io: interrupted while reading");
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a drained chunk for {@link #newChunk} while the spares stay within the capacity. Holds the lock. */
    private void keepSpare(byte[] chunk) {
        if (recycling && !finished && chunk.length >= MIN_SPARE_CHUNK && spareBytes + chunk.length <= capacity) {
            if (spares == null) {
                spares = new ArrayDeque<>();
            }
            spares.add(chunk);
            spareBytes += chunk.length;
        }
    }

    /** Holds the lock. */
    private void dropSpares() {
        spares = null;
        spareBytes = 0;
    }

    /** Unread bytes. */
    public long size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** True once {@link #finish()} was called (the buffer may still hold data). */
    public boolean isFinished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    /** True once {@link #fail} was called. */
    public boolean isFailed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }
}
