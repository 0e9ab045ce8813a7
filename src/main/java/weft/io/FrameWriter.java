package weft.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.ResourceLimitException;

/**
 * The one thread that writes to a connection: every byte a multiplexer puts on the wire goes through here, in the
 * order of two lanes.
 *
 * <ul>
 *   <li>The <b>control lane</b> (window updates, pings and pongs, resets, go-away) never blocks the caller and is
 *       written before any queued data, as go-yamux's send loop drains pings and pongs first "so they don't get
 *       stuck behind writes". Its size is bounded by the protocol, not here: a muxer queues at most one window update
 *       per read, one pong per ping within its ping backlog, one reset per stream. So the connection reader, which
 *       only ever uses this lane, never waits on the writer.
 *   <li>The <b>data lane</b> holds data frames and the frames that must follow them (a stream's FIN). It is bounded
 *       in bytes; {@link #sendDataLater} blocks while it is full. That is the back-pressure from the socket to every
 *       stream. Frames keep their order, so each stream's frames keep theirs.
 * </ul>
 *
 * <p>The writer batches: it takes every queued control frame and up to {@value #MAX_BATCH_BYTES} bytes of data
 * frames, copies small frames into one buffer and hands the batch to the channel with as few {@code write} calls as
 * it can and one {@code flush}. Over Noise that packs many small frames into one sealed message, and a large
 * frame's header (written from the buffer) rides in the same sealed message and socket write as its payload (written
 * from the caller's array): Noise holds small writes until the next write or the flush.
 *
 * <p>Write contract: {@code send…Later} returns once the frame is queued. The caller must not reuse the array.
 * {@link #borrow()} is the copy-free way for large payloads: the frames point into the caller's own array, and the
 * caller waits until the writer has written them ({@link BorrowedFrames#awaitWritten}), as go-yamux's {@code Write}
 * returns only once its frame went out. If a later socket write fails, the writer records the first cause, wakes every waiting caller with a
 * {@link ConnectionClosedException} carrying it, closes the channel and reports the cause to the owner's failure
 * callback; every later call fails the same way.
 *
 * <p>Thread: one virtual thread named {@code weft-writer-<connection id>}. A virtual thread rather than a platform
 * thread because every data frame is a handoff from a stream thread to the writer: between virtual threads that
 * handoff costs well under a microsecond on the reference machine, between platform threads about 46 µs per round
 * trip ({@code reference/jvm-limits.md} §5d).
 */
public final class FrameWriter {
    private static final Logger log = LoggerFactory.getLogger(FrameWriter.class);

    /**
     * The control lane is bounded by the protocol, not by a wait: but a peer that floods frames needing an answer
     * (stream opens we refuse) while it stops reading could grow it without end. Past this many queued control frames
     * (about 800 KB of yamux headers) the writer fails with a {@link ResourceLimitException}, closing the connection.
     */
    static final int MAX_CONTROL_FRAMES = 65_536;
    /** At most this many data-lane bytes go into one batch, so control frames queued meanwhile wait little. */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** Frames smaller than this are copied into the batch buffer; larger ones are written directly. */
    private static final int COPY_LIMIT_BYTES = 16 * 1024;
    /** The batch buffer at most: about one Noise transport message (65519 plaintext bytes). */
    private static final int BATCH_BUFFER_BYTES = 64 * 1024;
    /**
     * An idle writer keeps a batch buffer up to this size and drops a larger one, so an idle connection does not hold
     * 64 KiB for its life (a ping, a window update: 12 bytes each).
     */
    private static final int IDLE_BUFFER_BYTES = 1024;

    private record Control(byte[] frame, Runnable afterWrite) {}

    final String connectionId;
    private final OutputStream out;
    private final Closeable channel;
    private final long dataLaneBytes;
    private final Duration closeTimeout;
    private final Consumer<IOException> onFailure;
    private final CountDownLatch terminated = new CountDownLatch(1);

    final ReentrantLock lock = new ReentrantLock(); // package-private: BorrowedFrames waits on it
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Control> control = new ArrayDeque<>(); // guarded by lock
    private final ArrayDeque<QueuedFrame> data = new ArrayDeque<>(); // guarded by lock
    private long queuedDataBytes; // guarded by lock
    private boolean finishing; // guarded by lock
    private boolean dropData; // guarded by lock
    private byte[] lastFrame; // guarded by lock
    private Closeable end; // guarded by lock; what the writer closes once finished: the channel, or its output
    private IOException failure; // guarded by lock; the first failure wins
    private Deadline closeDeadline; // guarded by lock
    private Thread thread;
    private byte[] buffer; // writer thread only; the batch buffer, sized to what it gathers, dropped when idle

    private FrameWriter(String connectionId, OutputStream out, Closeable channel, long dataLaneBytes,
            Duration closeTimeout, Consumer<IOException> onFailure) {
        this.connectionId = connectionId;
        this.out = out;
        this.channel = channel;
        this.dataLaneBytes = dataLaneBytes;
        this.closeTimeout = closeTimeout;
        this.onFailure = onFailure;
    }

    /**
     * Starts the writer thread for one connection.
     *
     * @param out where the frames go (the secured channel's output)
     * @param channel closed by the writer once it finishes or fails, which also ends the connection's reader
     * @param dataLaneBytes bound of the data lane; {@link #sendDataLater} waits above it
     * @param closeTimeout how long {@link #finish} may spend draining before the channel is closed anyway
     * @param onFailure told once, from the writer thread, when a write to the channel fails
     */
    public static FrameWriter start(String connectionId, OutputStream out, Closeable channel, long dataLaneBytes,
            Duration closeTimeout, Consumer<IOException> onFailure) {
        FrameWriter writer = new FrameWriter(connectionId, out, channel, dataLaneBytes, closeTimeout, onFailure);
        writer.thread = Threads.startVirtual("weft-writer-" + connectionId, writer::writeLoop);
        return writer;
    }

    /** Queues a control frame; never blocks. */
    public void sendControlLater(byte[] frame) throws ConnectionClosedException {
        sendControlLater(frame, null);
    }

    /**
     * Queues a control frame; never blocks. {@code afterWrite}, if not null, runs on the writer thread once the frame
     * was handed to the channel (a muxer uses it to count queued pongs against its ping backlog).
     */
    public void sendControlLater(byte[] frame, Runnable afterWrite) throws ConnectionClosedException {
        lock.lock();
        try {
            checkOpen();
            if (control.size() < MAX_CONTROL_FRAMES) {
                control.add(new Control(frame, afterWrite));
                notEmpty.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        ResourceLimitException overflow = new ResourceLimitException("io: control lane overflow ("
                + MAX_CONTROL_FRAMES + " frames queued): the peer sends faster than it reads (" + connectionId + ")");
        fail(overflow);
        onFailure.accept(overflow);
        throw new ConnectionClosedException("io: connection writer failed (" + connectionId + ")", overflow);
    }

    /**
     * Queues a data frame after the frames already in the data lane, waiting while the lane is full.
     *
     * @param timeoutNanos how long to wait for room; zero or less waits without bound
     * @throws SocketTimeoutException when the lane stayed full for {@code timeoutNanos}
     * @throws ConnectionClosedException when the writer failed or is finishing
     */
    public void sendDataLater(byte[] frame, long timeoutNanos) throws IOException {
        lock.lock();
        try {
            enqueue(new QueuedFrame(null, frame, 0, frame.length, null), timeoutNanos);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for room in the data lane, then queues {@code slice}. Holds the lock. */
    void enqueue(QueuedFrame slice, long timeoutNanos) throws IOException {
        int bytes = slice.bytes();
        try {
            long remaining = timeoutNanos;
            while (true) {
                checkOpen();
                // A frame larger than the whole lane still goes through once the lane is empty.
                if (queuedDataBytes == 0 || queuedDataBytes + bytes <= dataLaneBytes) {
                    break;
                }
                if (timeoutNanos <= 0) {
                    notFull.await();
                } else {
                    if (remaining <= 0) {
                        throw new SocketTimeoutException("io: write timed out waiting for the connection writer ("
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms)");
                    }
                    remaining = notFull.awaitNanos(remaining);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("io: interrupted while waiting for the connection writer");
        }
        data.add(slice);
        queuedDataBytes += bytes;
        notEmpty.signal();
        if (queuedDataBytes < dataLaneBytes) {
            notFull.signal(); // pass the wake-up on while there is room: no thundering herd of 1000 streams
        }
    }

    /**
     * Starts one copy-free write: the frames sent through the returned {@link BorrowedFrames} point into the caller's array
     * instead of a copy of it. One per write call, from one thread.
     */
    public BorrowedFrames borrow() {
        return new BorrowedFrames(this);
    }

    /** A borrowed frame the writer has not taken leaves the lane. Holds the lock. */
    void withdraw(QueuedFrame s) {
        data.remove(s);
        queuedDataBytes -= s.bytes();
        notFull.signal();
    }

    /**
     * Stops taking frames, writes what is queued (data too, unless {@code dropData}), then {@code lastFrame} if not
     * null (a go-away), flushes and closes the channel. Returns at once; the writer thread does the work, bounded by
     * the close timeout, after which the channel is closed regardless. Later calls do nothing.
     */
    public void finish(byte[] lastFrame, boolean dropData) {
        finish(lastFrame, dropData, channel);
    }

    /**
     * Like {@link #finish(byte[], boolean)}, but once the last frame is flushed the writer closes {@code end} instead
     * of the channel (null: the channel). A lingering close passes the channel's half-close,
     * {@code channel::shutdownOutput}, and closes the channel itself once it has drained the input
     * ({@link LingeringClose}). The close timeout still closes the whole channel if the writer cannot finish in time.
     */
    public void finish(byte[] lastFrame, boolean dropData, Closeable end) {
        lock.lock();
        try {
            if (finishing || failure != null) {
                return;
            }
            finishing = true;
            this.end = end == null ? channel : end;
            this.lastFrame = lastFrame;
            this.dropData = dropData;
            closeDeadline = Deadline.closeAfter(closeTimeout, channel);
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fails the writer now: records {@code cause} (unless an earlier failure was recorded), drops every queued
     * frame, wakes every waiting caller and closes the channel.
     */
    public void fail(IOException cause) {
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = cause;
            control.clear();
            dropQueuedData();
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        closeChannel();
    }

    /** The first failure, or null. */
    public IOException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the writer thread has ended; true if it did within {@code timeout}. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** True once the writer thread has ended. */
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /** The writer thread (for tests that check it ends). */
    public Thread thread() {
        return thread;
    }

    void checkOpen() throws ConnectionClosedException {
        if (failure != null) {
            throw new ConnectionClosedException("io: connection writer failed (" + connectionId + ")", failure);
        }
        if (finishing) {
            throw new ConnectionClosedException("io: connection writer is closing (" + connectionId + ")", null);
        }
    }

    /** Empties the data lane; borrowed frames in it are released unwritten. Holds the lock. */
    private void dropQueuedData() {
        for (QueuedFrame s; (s = data.poll()) != null; ) {
            if (s.owner != null) {
                s.owner.release(s, false);
            }
        }
        queuedDataBytes = 0;
    }

    private void writeLoop() {
        List<QueuedFrame> batch = new ArrayList<>();
        List<Runnable> afterWrite = new ArrayList<>();
        try {
            boolean done = false;
            Closeable last = channel;
            while (!done) {
                lock.lock();
                try {
                    if (control.isEmpty() && data.isEmpty() && buffer != null && buffer.length > IDLE_BUFFER_BYTES) {
                        buffer = null; // idle: do not hold a large batch buffer for the connection's life
                    }
                    while (control.isEmpty() && data.isEmpty() && !finishing && failure == null) {
                        notEmpty.await();
                    }
                    if (failure != null) {
                        return;
                    }
                    for (Control c; (c = control.poll()) != null; ) {
                        batch.add(new QueuedFrame(null, c.frame(), 0, c.frame().length, null));
                        if (c.afterWrite() != null) {
                            afterWrite.add(c.afterWrite());
                        }
                    }
                    if (finishing && dropData) {
                        dropQueuedData();
                    }
                    long taken = 0;
                    while (taken < MAX_BATCH_BYTES && !data.isEmpty()) {
                        QueuedFrame frame = data.poll();
                        frame.taken = true;
                        batch.add(frame);
                        taken += frame.bytes();
                    }
                    queuedDataBytes -= taken;
                    if (taken > 0) {
                        notFull.signal(); // each producer that gets in wakes the next while there is room
                    }
                    done = finishing && control.isEmpty() && data.isEmpty();
                    if (done && lastFrame != null) {
                        batch.add(new QueuedFrame(null, lastFrame, 0, lastFrame.length, null));
                    }
                    if (done) {
                        last = end;
                    }
                } finally {
                    lock.unlock();
                }
                if (!batch.isEmpty()) {
                    boolean ok = false;
                    try {
                        writeBatch(batch);
                        ok = true;
                    } finally {
                        releaseBorrowed(batch, ok);
                        batch.clear();
                    }
                }
                for (Runnable r : afterWrite) {
                    r.run();
                }
                afterWrite.clear();
            }
            close(last);
        } catch (IOException e) {
            log.debug("connection writer {} failed", connectionId, e);
            fail(e);
            onFailure.accept(e);
        } catch (InterruptedException e) {
            fail(new InterruptedIOException("io: connection writer interrupted (" + connectionId + ")"));
        } catch (RuntimeException | Error e) {
            // a bug or an OutOfMemoryError: fail every waiter rather than leave them blocked forever
            IOException cause = new IOException("io: connection writer crashed (" + connectionId + ")", e);
            fail(cause);
            onFailure.accept(cause);
            throw e;
        } finally {
            lock.lock();
            try {
                if (closeDeadline != null) {
                    closeDeadline.close();
                }
            } finally {
                lock.unlock();
            }
            terminated.countDown();
        }
    }

    /** Tells the owners of borrowed frames in {@code batch} that the writer is done with their arrays. */
    private void releaseBorrowed(List<QueuedFrame> batch, boolean ok) {
        lock.lock();
        try {
            for (QueuedFrame s : batch) {
                if (s.owner != null) {
                    s.owner.release(s, ok);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the frames with as few channel writes as possible, then flushes once. Small frames and the headers of
     * large ones are gathered in the batch buffer; a large payload goes to the channel straight from its array.
     */
    private void writeBatch(List<QueuedFrame> batch) throws IOException {
        int gathered = Math.min(BATCH_BUFFER_BYTES, batchBytes(batch));
        if (buffer == null || buffer.length < gathered) {
            buffer = new byte[Math.max(IDLE_BUFFER_BYTES, gathered)];
        }
        int used = 0;
        for (QueuedFrame frame : batch) {
            byte[] header = frame.header;
            int headerLength = header == null ? 0 : header.length;
            boolean copy = frame.len < COPY_LIMIT_BYTES;
            int toBuffer = headerLength + (copy ? frame.len : 0);
            if (toBuffer > 0) {
                if (used + toBuffer > buffer.length) {
                    out.write(buffer, 0, used);
                    used = 0;
                }
                if (header != null) {
                    System.arraycopy(header, 0, buffer, used, headerLength);
                    used += headerLength;
                }
                if (copy) {
                    System.arraycopy(frame.array, frame.off, buffer, used, frame.len);
                    used += frame.len;
                }
            }
            if (!copy) {
                if (used > 0) {
                    out.write(buffer, 0, used);
                    used = 0;
                }
                out.write(frame.array, frame.off, frame.len);
            }
        }
        if (used > 0) {
            out.write(buffer, 0, used);
        }
        out.flush();
    }

    /** The bytes of {@code batch} that go through the batch buffer. */
    private static int batchBytes(List<QueuedFrame> batch) {
        int bytes = 0;
        for (QueuedFrame frame : batch) {
            bytes += (frame.header == null ? 0 : frame.header.length) + (frame.len < COPY_LIMIT_BYTES ? frame.len : 0);
        }
        return bytes;
    }

    private void closeChannel() {
        close(channel);
    }

    private void close(Closeable target) {
        try {
            target.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing connection {} failed", connectionId, e);
        }
    }
}
