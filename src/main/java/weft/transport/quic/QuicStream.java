package weft.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.Rethrowable;
import weft.io.StreamViews;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;
import weft.trace.Trace;

/**
 * One bidirectional QUIC stream (RFC 9000 §2, §3) behind weft's blocking {@link MuxedStream}: half-close is a
 * {@code FIN} ("the sending part of a stream ... enters the Data Sent state" once the FIN is sent, §3.1), reset is
 * {@code RESET_STREAM} with the libp2p error code as the application error code, and closing the read side before
 * the end of the data sends {@code STOP_SENDING} ("an endpoint that wishes to abandon the stream", §3.5), as
 * go-libp2p's QUIC stream does on {@code Close}.
 *
 * <h2>Reading on demand</h2>
 * The netty stream channel has auto-read off. A {@link #read} that finds nothing buffered asks the channel for one
 * read; the event loop hands over what quiche holds (one buffer of at most 256 KiB) and quiche returns that much
 * credit to the peer ({@code MAX_STREAM_DATA}) only now. So the peer can get at most the stream window ahead of the
 * application, and this object holds at most {@link #READ_AHEAD} bytes plus one buffer: the next read is asked for
 * while the application is still consuming the last one, by the event loop itself as long as less than
 * {@link #READ_AHEAD} is buffered (no task per buffer), by the reader once it has drained the buffer below
 * {@link #READ_AGAIN} (one task per refill). A waiting reader is woken once per event-loop pass, after every buffer
 * quiche had, not per buffer, and one read takes as many buffers as fit.
 *
 * <h2>Writing with back-pressure</h2>
 * {@link #write} copies into buffers of at most {@link #WRITE_CHUNK} bytes and hands them to the event loop; it
 * blocks while {@link #MAX_PENDING_WRITE} bytes are waiting for quiche to take them, which quiche does as the
 * peer's flow-control credit and the congestion window allow. So the blocking is the peer's window, as on TCP.
 * The last buffer of a write waits in the channel's {@link FinCarrier} for the next write or the FIN, so that the FIN
 * travels with data (quiche can lose a bare one); it goes alone when this stream's writer waits in a read that
 * quiche has nothing for, or a millisecond after the last call.
 *
 * <h2>Reset</h2>
 * A {@code RESET_STREAM} from the peer resets the whole stream here, both directions (weft's stream contract, the
 * same as yamux and mplex), and we reset our sending side in return. A {@code STOP_SENDING} alone fails only our
 * writes: the peer may still be sending.
 *
 * <p>Threads: one reader and one writer thread at a time (a lock keeps concurrent writers' buffers and the FIN in
 * order); {@link #reset()} and {@link #close()} from any thread. The netty event loop calls the
 * {@link QuicStreamHandler} and never waits in it beyond this object's lock, which no application thread holds while
 * it waits.
 */
final class QuicStream implements MuxedStream {
    private static final Logger log = LoggerFactory.getLogger(QuicStream.class);

    /** Bytes handed to the event loop that quiche has not taken yet, at most: one write's worth of slack. */
    static final int MAX_PENDING_WRITE = 1 << 20;
    /** The largest buffer a write hands over at once. */
    static final int WRITE_CHUNK = 128 * 1024;
    /** The event loop asks for the next read while less than this is buffered. */
    static final int READ_AHEAD = 256 * 1024;
    /** The reader asks again once it drained the buffer below this: one event-loop task per refill, not per read. */
    static final int READ_AGAIN = READ_AHEAD / 2;

    /** One direction of the stream. */
    enum Half { OPEN, CLOSED, RESET }

    private final QuicConnection connection;
    private final QuicStreamChannel channel;
    private final long id;
    private final Trace trace;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ReentrantLock writeLock = new ReentrantLock(); // held by write and closeWrite: buffers stay in order
    private final ReceiveBuffer inbound = new ReceiveBuffer(); // guarded by lock
    private boolean readRequested; // guarded by lock
    private boolean finReceived; // guarded by lock
    private boolean channelClosed; // guarded by lock
    private boolean finWritten; // guarded by lock: quiche took our FIN, so nothing of ours waits in netty
    private Half readHalf = Half.OPEN; // guarded by lock
    private Half writeHalf = Half.OPEN; // guarded by lock
    private IOException readError; // guarded by lock; set when readHalf is RESET
    private IOException writeError; // guarded by lock; set when writeHalf is RESET
    private long pendingWrite; // guarded by lock
    private final AtomicInteger busy = new AtomicInteger(); // the last writer's calls and closes, running, not waiting
    private int waiting; // guarded by lock: callers in await
    private boolean wakePending; // guarded by lock: a waiter was woken and has not run yet
    private boolean wakeScheduled; // guarded by lock: deferredWake is queued on the event loop
    private final Runnable deferredWake = this::wakeDeferred;
    private volatile Thread lastWriter; // whose read may need the held last buffer sent (FinCarrier)
    private final FinCarrier carrier = new FinCarrier(this::callsUnderWay);
    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;
    private final InputStream input;
    private final OutputStream output;

    QuicStream(QuicConnection connection, QuicStreamChannel channel) {
        this.connection = connection;
        this.channel = channel;
        this.id = channel.streamId();
        this.trace = connection.trace().stream(id);
        this.input = StreamViews.input(this::read, this::available, this::closeRead);
        this.output = StreamViews.output(this::write, () -> {}, () -> closeWrite(true));
    }

    @Override
    public long id() {
        return id;
    }

    /** The connection's trace, for this stream: what the protocols on it report carries {@code stream=<id>}. */
    @Override
    public Trace trace() {
        return trace;
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
    public void setReadTimeout(Duration timeout) {
        readTimeoutNanos = timeout == null ? 0 : timeout.toNanos();
    }

    @Override
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNanos = timeout == null ? 0 : timeout.toNanos();
    }

    // ---- reading

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) {
            return 0;
        }
        long timeout = readTimeoutNanos;
        long deadline = System.nanoTime() + timeout;
        boolean askedForTail = false;
        boolean writer = lastWriter == Thread.currentThread(); // another thread reading does not keep the tail
        if (writer) {
            busy.incrementAndGet();
        }
        lock.lock();
        try {
            while (true) {
                switch (readHalf) {
                    case RESET -> throw Rethrowable.freshCopyOf(readError);
                    case CLOSED -> throw new StreamClosedException("quic: stream " + id + " is closed for reading");
                    case OPEN -> {}
                }
                if (!inbound.isEmpty()) {
                    int n = inbound.drain(buf, off, len);
                    requestReadIfBelow(READ_AGAIN);
                    return n;
                }
                if (finReceived) {
                    return -1;
                }
                if (channelClosed) {
                    throw closedError();
                }
                requestReadIfBelow(READ_AHEAD);
                if (!askedForTail && writer) {
                    askedForTail = true; // we wrote last and wait for an answer: the peer may wait for our tail
                    carrier.releaseIfStarved(this::starved);
                }
                await(timeout, deadline, "read", writer);
            }
        } finally {
            lock.unlock();
            if (writer) {
                busy.decrementAndGet();
            }
        }
    }

    /** On the event loop: whether a read still waits for the data it asked for. */
    private boolean starved() {
        lock.lock();
        try {
            return readRequested && inbound.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, inbound.bytes());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks for the first data of a stream the peer opened before anyone reads: it usually came in the packet that
     * opened the stream, and is then here for the first read (and survives a connection close that follows).
     */
    void prefetch() {
        lock.lock();
        try {
            requestReadIfBelow(READ_AHEAD);
        } finally {
            lock.unlock();
        }
    }

    /** Holds the lock. Asks the event loop for the next buffer unless one is on its way or {@code low} is here. */
    private void requestReadIfBelow(int low) {
        if (!readRequested && !finReceived && !channelClosed && inbound.bytes() < low) {
            readRequested = true;
            channel.read(); // from any thread: netty runs it on the event loop
        }
    }

    /** Stops reading: later reads throw {@link StreamClosedException}; unread data is dropped, the peer told. */
    void closeRead() {
        boolean stopSending;
        lock.lock();
        try {
            if (readHalf != Half.OPEN) {
                return;
            }
            readHalf = Half.CLOSED;
            stopSending = !finReceived && !channelClosed;
            inbound.clear();
            wake();
        } finally {
            lock.unlock();
        }
        if (stopSending) {
            if (trace.on()) QuicTrace.abort(trace, true, "STOP_SENDING", 0L);
            channel.shutdownInput(0);
        }
        closeChannelIfDone();
    }

    // ---- writing

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        long timeout = writeTimeoutNanos;
        long deadline = System.nanoTime() + timeout;
        busy.incrementAndGet();
        lastWriter = Thread.currentThread();
        writeLock.lock();
        try {
            while (len > 0) {
                int n = Math.min(len, WRITE_CHUNK);
                lock.lock();
                try {
                    while (true) {
                        checkWritable();
                        if (pendingWrite < MAX_PENDING_WRITE) {
                            break;
                        }
                        await(timeout, deadline, "write", true);
                    }
                    pendingWrite += n;
                } finally {
                    lock.unlock();
                }
                ByteBuf chunk = channel.alloc().directBuffer(n);
                chunk.writeBytes(buf, off, n);
                if (trace.on()) QuicTrace.data(trace, true, n);
                channel.writeAndFlush(chunk).addListener(f -> written(n, f));
                off += n;
                len -= n;
            }
        } finally {
            writeLock.unlock();
            busy.decrementAndGet();
        }
    }

    /** On the event loop: quiche took {@code n} bytes, or the write failed. */
    private void written(int n, io.netty.util.concurrent.Future<?> result) {
        lock.lock();
        try {
            pendingWrite -= n;
            if (!result.isSuccess() && writeHalf != Half.RESET) {
                writeHalf = Half.RESET;
                writeError = writeFailure(result.cause());
            }
            wake();
        } finally {
            lock.unlock();
        }
    }

    /** What a failed write means for the caller. Holds the lock. */
    private IOException writeFailure(Throwable cause) {
        if (cause instanceof ChannelOutputShutdownException && String.valueOf(cause.getMessage()).contains("STOP")) {
            if (trace.on()) QuicTrace.abort(trace, false, "STOP_SENDING", null); // netty does not tell the code
            return new StreamResetException(id, 0, true); // STOP_SENDING: the peer will not read more
        }
        if (connection.failure() != null) {
            return connection.failure();
        }
        return new IOException("quic: write on stream " + id + " failed: " + cause, cause);
    }

    /** Holds the lock. */
    private void checkWritable() throws IOException {
        switch (writeHalf) {
            case OPEN -> {
                if (channelClosed) {
                    throw closedError();
                }
            }
            case CLOSED -> throw new StreamClosedException("quic: stream " + id + " is closed for writing");
            case RESET -> throw Rethrowable.freshCopyOf(writeError);
        }
    }

    @Override
    public void closeWrite() throws IOException {
        closeWrite(false);
    }

    /** Half-closes: the FIN goes after the data already handed over. {@code quiet}: a reset stream is no error. */
    private void closeWrite(boolean quiet) throws IOException {
        busy.incrementAndGet();
        writeLock.lock();
        try {
            lock.lock();
            try {
                switch (writeHalf) {
                    case CLOSED -> {
                        return;
                    }
                    case RESET -> {
                        if (quiet) {
                            return;
                        }
                        throw Rethrowable.freshCopyOf(writeError);
                    }
                    case OPEN -> {
                        if (channelClosed) {
                            if (quiet) {
                                return;
                            }
                            throw closedError();
                        }
                    }
                }
                writeHalf = Half.CLOSED;
            } finally {
                lock.unlock();
            }
            // A FIN frame goes through the channel's write queue, behind the data (netty's shutdownOutput() would
            // send it ahead of data still queued for flow control); the FinCarrier puts our last data into it.
            if (trace.on()) QuicTrace.fin(trace, true);
            channel.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true)).addListener(f -> {
                lock.lock();
                try {
                    finWritten = f.isSuccess();
                } finally {
                    lock.unlock();
                }
                closeChannelIfDone();
            });
        } finally {
            writeLock.unlock();
            busy.decrementAndGet();
        }
    }

    /**
     * Half-closes and stops reading (go-libp2p's QUIC stream {@code Close}: {@code CancelRead} and {@code Close}).
     * Quiet on a reset stream.
     */
    @Override
    public void close() throws IOException {
        closeRead();
        closeWrite(true);
    }

    // ---- reset

    @Override
    public void reset() {
        reset(0);
    }

    @Override
    public void reset(int errorCode) {
        lock.lock();
        try {
            if (readHalf == Half.RESET && writeHalf == Half.RESET) {
                return;
            }
            StreamResetException reset = new StreamResetException(id, errorCode, false);
            resetHalves(reset);
        } finally {
            lock.unlock();
        }
        log.debug("quic: resetting stream {} (code {})", id, errorCode);
        if (trace.on()) QuicTrace.abort(trace, true, "RESET_STREAM", (long) errorCode);
        try {
            channel.shutdown(errorCode).addListener(f -> channel.close());
        } catch (RejectedExecutionException e) { // the transport closed its event loop: the connection is gone too
            log.debug("quic: stream {} not reset on the wire: the transport is closed", id);
        }
    }

    /** Holds the lock. Ends both halves with {@code reset} unless they ended before, drops unread data. */
    private void resetHalves(IOException reset) {
        if (readHalf != Half.RESET) {
            readHalf = Half.RESET;
            readError = reset;
        }
        if (writeHalf != Half.RESET) {
            writeHalf = Half.RESET;
            writeError = reset;
        }
        inbound.clear();
        wake();
    }

    /**
     * Closes the channel once we read no more and quiche holds everything we wrote (closing earlier would drop what
     * still waits in netty for flow control), so netty frees it without waiting for the peer.
     */
    private void closeChannelIfDone() {
        boolean done;
        lock.lock();
        try {
            done = readHalf != Half.OPEN && (writeHalf == Half.RESET || finWritten);
        } finally {
            lock.unlock();
        }
        if (done) {
            channel.close();
        }
    }

    /** Holds the lock. Why a call fails once the channel is gone. */
    private IOException closedError() {
        IOException connectionFailure = connection.failure();
        return connectionFailure != null ? connectionFailure
                : new StreamResetException(id, 0, false);
    }

    /**
     * Holds the lock; on the event loop. Wakes a waiting reader once the event loop has handed over every buffer
     * quiche holds now (one task after this pass, not an unpark per buffer); a reader that is not waiting finds the
     * data under the lock without it.
     */
    private void wakeAfterBatch() {
        if (waiting == 0 || wakeScheduled) {
            return;
        }
        wakeScheduled = true;
        wakePending = true; // the FinCarrier keeps holding the tail for the woken writer, as after wake()
        try {
            channel.eventLoop().execute(deferredWake);
        } catch (RejectedExecutionException e) { // the event loop is shutting down: wake now
            wakeScheduled = false;
            wake();
        }
    }

    /** On the event loop, after the pass that called {@link #wakeAfterBatch}. */
    private void wakeDeferred() {
        lock.lock();
        try {
            wakeScheduled = false;
            wake();
        } finally {
            lock.unlock();
        }
    }

    /** Holds the lock. Wakes the waiting callers. */
    private void wake() {
        wakePending |= waiting > 0;
        changed.signalAll();
    }

    /**
     * On the event loop: whether a write, a close or a read of the thread that wrote last runs, or a waiting call was
     * woken and will run: it may close next, so the {@link FinCarrier} keeps the last buffer for the FIN. A waiting
     * caller lets it go; so does a reader of another thread, which may read for long while the peer waits for it.
     */
    private boolean callsUnderWay() {
        lock.lock();
        try {
            return busy.get() > 0 || wakePending;
        } finally {
            lock.unlock();
        }
    }

    /** Holds the lock. Waits for a change (until {@code deadline} unless {@code timeout} is 0), off {@link #busy}. */
    private void await(long timeout, long deadline, String what, boolean counted) throws IOException {
        if (counted) {
            busy.decrementAndGet();
        }
        waiting++;
        try {
            if (timeout == 0) {
                changed.await();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("quic: " + what + " on stream " + id + " timed out ("
                            + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms)");
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("quic: interrupted during " + what + " on stream " + id);
        } finally {
            waiting--;
            wakePending = false;
            if (counted) {
                busy.incrementAndGet();
            }
        }
    }

    // ---- event loop

    void onData(ByteBuf data) {
        if (trace.on()) QuicTrace.data(trace, false, data.readableBytes());
        lock.lock();
        try {
            readRequested = false;
            if (readHalf != Half.OPEN) {
                data.release();
                return;
            }
            inbound.add(data);
            wakeAfterBatch();
            requestReadIfBelow(READ_AHEAD); // on the event loop: netty reads on while quiche has more, no task per buffer
        } finally {
            lock.unlock();
        }
    }

    void onFin() {
        if (trace.on()) QuicTrace.fin(trace, false);
        lock.lock();
        try {
            readRequested = false;
            finReceived = true;
            wake();
        } finally {
            lock.unlock();
        }
        closeChannelIfDone();
    }

    void onFailure(Throwable cause) {
        boolean resetBack = false;
        lock.lock();
        try {
            readRequested = false;
            if (cause instanceof QuicStreamResetException reset) {
                long code = reset.applicationProtocolCode();
                resetBack = writeHalf == Half.OPEN;
                if (trace.on()) QuicTrace.reset(trace, reset, resetBack); // before a reader wakes
                resetHalves(new StreamResetException(id, code < 0 || code > Integer.MAX_VALUE ? 0 : (int) code,
                        true));
            } else {
                IOException failure = connection.failure() != null ? connection.failure()
                        : new IOException("quic: stream " + id + " failed: " + cause, cause);
                resetHalves(failure);
            }
        } finally {
            lock.unlock();
        }
        log.debug("quic: stream {} failed: {}", id, cause.toString());
        if (resetBack) {
            channel.shutdownOutput(0).addListener(f -> channel.close());
        } else {
            channel.close();
        }
    }

    void onClosed() {
        lock.lock();
        try {
            channelClosed = true;
            readRequested = false;
            wake();
        } finally {
            lock.unlock();
        }
    }

    /** The handler that keeps our last buffer for the FIN; it goes before {@link QuicStreamHandler}. */
    FinCarrier carrier() {
        return carrier;
    }

    @Override
    public String toString() {
        return "quic stream " + id + " of " + connection;
    }
}
