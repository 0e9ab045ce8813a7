package weft.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import weft.ConnectionClosedException;

/**
 * Data frames whose payloads are frames of one caller's array, queued in the data lane like any other frame. The
 * caller must not touch the array until {@link #awaitWritten} returned or any method here threw: both return only
 * once the writer no longer reads it. Nothing accepted is lost silently: when waiting is cut short (interrupt,
 * timeout), the frames the writer has not taken yet are withdrawn from the lane, and the exception's
 * {@link InterruptedIOException#bytesTransferred} counts the payload bytes of the frames that went out before
 * them; {@link #withdrawn()} then says how many payload bytes were not sent (a muxer returns them to its send
 * window).
 */
public final class BorrowedFrames {
    private final ArrayDeque<QueuedFrame> frames = new ArrayDeque<>(); // guarded by lock; not yet released
    private long writtenPayload; // guarded by lock
    private long withdrawnPayload; // guarded by lock

    private final FrameWriter writer;
    private final ReentrantLock lock; // the writer's
    private final Condition released;

    BorrowedFrames(FrameWriter writer) {
        this.writer = writer;
        this.lock = writer.lock;
        this.released = lock.newCondition();
    }

    /**
     * Queues {@code header} followed by {@code len} bytes of {@code array} from {@code off}, waiting while the
     * data lane is full (as {@link FrameWriter#sendDataLater}). On failure, first gives back everything queued through this
     * {@code BorrowedFrames} as {@link #awaitWritten} does, then throws.
     */
    public void send(byte[] header, byte[] array, int off, int len, long timeoutNanos) throws IOException {
        lock.lock();
        try {
            QueuedFrame slice = new QueuedFrame(header, array, off, len, this);
            writer.enqueue(slice, timeoutNanos);
            frames.add(slice);
        } catch (IOException e) {
            throw giveBack(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the writer has written (or, failing, dropped) every frame sent through this {@code BorrowedFrames}.
     *
     * @param timeoutNanos how long to wait; zero or less waits without bound
     * @throws SocketTimeoutException when the frames were not written in time (see the type's doc)
     * @throws InterruptedIOException when interrupted while waiting (idem)
     * @throws ConnectionClosedException when the writer failed before writing them all
     */
    public void awaitWritten(long timeoutNanos) throws IOException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (!frames.isEmpty()) {
                if (timeoutNanos <= 0) {
                    released.await();
                } else {
                    if (remaining <= 0) {
                        throw giveBack(new SocketTimeoutException("io: write timed out waiting for the "
                                + "connection writer (" + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms)"));
                    }
                    remaining = released.awaitNanos(remaining);
                }
            }
            if (withdrawnPayload > 0) { // only a failing or closing writer drops frames
                writer.checkOpen();
                throw new ConnectionClosedException("io: connection writer failed (" + writer.connectionId + ")", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw giveBack(new InterruptedIOException("io: interrupted while waiting for the connection writer"));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives up on the frames sent through here after {@code e} (the caller's own failure, e.g. no send window in
     * time): withdraws what the writer has not taken, waits until it is done with the rest, and sets
     * {@code e}'s bytes transferred if it is an {@link InterruptedIOException}. Then the array is the caller's.
     */
    public void cancel(IOException e) {
        lock.lock();
        try {
            giveBack(e);
        } finally {
            lock.unlock();
        }
    }

    /** Payload bytes sent through here that were withdrawn or dropped, not written. */
    public long withdrawn() {
        lock.lock();
        try {
            return withdrawnPayload;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Withdraws the frames the writer has not taken, waits (without interruption: the writer's socket write ends
     * or fails, and a failing connection closes its channel) for the ones it is writing, and returns {@code e}
     * with the bytes transferred set. Holds the lock.
     */
    private IOException giveBack(IOException e) {
        boolean interrupted = Thread.interrupted();
        for (Iterator<QueuedFrame> it = frames.iterator(); it.hasNext(); ) {
            QueuedFrame s = it.next();
            if (!s.taken && !s.released) {
                withdraw(s);
                it.remove();
            }
        }
        while (!frames.isEmpty()) {
            released.awaitUninterruptibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (e instanceof InterruptedIOException interruptedIo) {
            interruptedIo.bytesTransferred = (int) Math.min(Integer.MAX_VALUE, writtenPayload);
        }
        return e;
    }

    /** A frame the writer has not taken leaves the lane. Holds the lock. */
    private void withdraw(QueuedFrame s) {
        s.released = true;
        withdrawnPayload += s.len;
        writer.withdraw(s);
    }

    /** The writer is done with {@code s} (writer thread, or a thread failing the writer). Holds the lock. */
    void release(QueuedFrame s, boolean ok) {
        if (s.released) {
            return;
        }
        s.released = true;
        s.written = ok;
        if (ok) {
            writtenPayload += s.len;
        } else {
            withdrawnPayload += s.len;
        }
        frames.remove(s);
        if (frames.isEmpty()) {
            released.signalAll();
        }
    }
}

