package weft.mux.mplex;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import weft.ConnectionClosedException;
import weft.Rethrowable;
import weft.io.StreamBuffer;
import weft.io.StreamViews;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;
import weft.trace.Trace;

/**
 * One mplex stream. Spec "Closing a stream": "Closing a stream closes it for writing and closes the remote end for
 * reading but allows writing in the other direction … Reading from a remote-closed stream should return all data
 * send before closing the stream and then EOF thereafter." Spec "Resetting a stream": "Reset must not block and
 * must immediately close both ends of the stream for both reading and writing. All current and future reads and
 * writes must return errors (<em>not</em> EOF) and any data queued or in flight should be dropped."
 *
 * <p>State: the two directions, each {@link Half#OPEN}, {@link Half#CLOSED} or {@link Half#RESET} (as weft's yamux
 * stream and go-yamux's {@code halfStreamState}; mplex has no open handshake). {@link #closeWrite()} closes the
 * write half and queues Close after the data already queued; the peer's Close closes the read half, and reads drain
 * the buffer before returning -1; a reset (either side, or a full receive buffer) resets both halves and drops
 * unread data. Once neither half is open the stream leaves the session's map.
 *
 * <p>Which side opened the stream decides the flags we send ({@link Frame#flagFor}): the initiator's on a stream we
 * opened, the receiver's on one the peer opened. {@link #id()} alone does not identify a stream: the peer's stream
 * 0 and ours are two streams.
 *
 * <p>Threads: {@link #read} from one application thread at a time, {@link #write} from one at a time (a lock keeps
 * concurrent writers and {@link #closeWrite()} whole frames in order); {@link #reset()} and {@link #close()} from
 * any thread. The connection reader calls the {@code on…} methods and never blocks in them.
 */
final class MplexStream implements MuxedStream {
    /** One direction of the stream. */
    enum Half { OPEN, CLOSED, RESET }

    private final MplexSession session;
    private final long id;
    private final Trace trace;
    private final boolean peerOpened;
    private final int sendFramePayload;
    final StreamBuffer buffer;

    private final ReentrantLock lock = new ReentrantLock();
    private Half readHalf = Half.OPEN; // guarded by lock
    private Half writeHalf = Half.OPEN; // guarded by lock
    private IOException writeError; // guarded by lock; set when writeHalf is RESET; thrown as fresh copies
    private final ReentrantLock writeLock = new ReentrantLock(); // held by write and closeWrite: frames stay in order
    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;
    private final InputStream input;
    private final OutputStream output;

    MplexStream(MplexSession session, long id, boolean peerOpened, MplexConfig config) {
        this.session = session;
        this.trace = session.trace().stream(id);
        this.id = id;
        this.peerOpened = peerOpened;
        this.sendFramePayload = config.sendFramePayload();
        this.buffer = new StreamBuffer(config.maxBufferedBytes());
        this.input = StreamViews.input(this::read, () -> (int) Math.min(Integer.MAX_VALUE, buffer.size()),
                this::closeRead);
        this.output = StreamViews.output(this::write, () -> {}, () -> closeWrite(true));
    }

    @Override
    public long id() {
        return id;
    }

    /** True if the peer opened this stream (we are its receiver), false if we did (we are its initiator). */
    boolean peerOpened() {
        return peerOpened;
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

    /** Reads what the peer sent; mplex has no window to update, so reading only frees buffer room. */
    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        return buffer.read(buf, off, len, readTimeoutNanos);
    }

    // ---- writing

    /**
     * Sends {@code len} bytes as Message frames of at most {@code sendFramePayload} bytes each, returning once the
     * last is queued for the connection writer. Waits only while the writer's data lane is full: mplex has no flow
     * control, so nothing from the peer holds a write back.
     */
    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        int flag = Frame.flagFor(Frame.MESSAGE_INITIATOR, peerOpened);
        writeLock.lock();
        try {
            while (len > 0) {
                checkWritable();
                int n = Math.min(len, sendFramePayload);
                session.sendData(Frame.encode(id, flag, buf, off, n), writeTimeoutNanos);
                off += n;
                len -= n;
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void checkWritable() throws IOException {
        lock.lock();
        try {
            switch (writeHalf) {
                case OPEN -> {}
                case CLOSED -> throw new StreamClosedException("mplex: stream " + id + " is closed for writing");
                case RESET -> throw Rethrowable.freshCopyOf(writeError);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void closeWrite() throws IOException {
        closeWrite(false);
    }

    /** Half-closes: Close goes after the data already queued. {@code quiet}: a reset stream is not an error. */
    private void closeWrite(boolean quiet) throws IOException {
        writeLock.lock();
        try {
            boolean finished;
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
                    case OPEN -> {}
                }
                writeHalf = Half.CLOSED;
                finished = readHalf != Half.OPEN;
            } finally {
                lock.unlock();
            }
            try {
                session.sendData(Frame.empty(id, Frame.flagFor(Frame.CLOSE_INITIATOR, peerOpened)),
                        writeTimeoutNanos);
            } finally {
                if (finished) {
                    session.removeStream(this);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Stops reading locally and half-closes (as go-mplex {@code Close} = {@code CloseRead} + {@code CloseWrite}).
     * mplex cannot tell the peer that we stopped reading (js: "mplex does not support close read"); data it sends
     * afterwards is dropped. Quiet on a reset stream.
     */
    @Override
    public void close() throws IOException {
        closeRead();
        closeWrite(true);
    }

    /** Stops reading locally: later reads throw {@link StreamClosedException}; unread data is dropped. */
    void closeRead() {
        boolean finished;
        lock.lock();
        try {
            if (readHalf != Half.OPEN) {
                return;
            }
            readHalf = Half.RESET;
            finished = writeHalf != Half.OPEN;
        } finally {
            lock.unlock();
        }
        if (finished) {
            session.removeStream(this);
        }
        buffer.fail(new StreamClosedException("mplex: stream " + id + " is closed for reading"));
    }

    @Override
    public void reset() {
        resetWith(new StreamResetException(id, 0, false));
    }

    /** Resets: mplex's Reset frame carries no error code, so {@code errorCode} only goes into our own exception. */
    @Override
    public void reset(int errorCode) {
        resetWith(new StreamResetException(id, errorCode, false));
    }

    /**
     * Resets both halves with {@code cause} and queues Reset on the control lane, ahead of any data still queued
     * (the spec: "any data queued or in flight should be dropped"). Nothing is sent if the stream already ended.
     */
    void resetWith(StreamResetException cause) {
        lock.lock();
        try {
            if (readHalf != Half.OPEN && writeHalf != Half.OPEN) {
                buffer.fail(cause); // a drained stream: later reads report the reset, not EOF
                return;
            }
            resetHalves(cause);
        } finally {
            lock.unlock();
        }
        session.removeStream(this);
        buffer.fail(cause);
        session.sendControl(Frame.empty(id, Frame.flagFor(Frame.RESET_INITIATOR, peerOpened)));
    }

    /** Holds the lock. */
    private void resetHalves(IOException cause) {
        readHalf = Half.RESET;
        if (writeHalf == Half.OPEN) {
            writeHalf = Half.RESET;
            writeError = cause;
        }
    }

    // ---- called by the connection reader

    /** True while data from the peer is still wanted (the read half is open). */
    boolean readOpen() {
        lock.lock();
        try {
            return readHalf == Half.OPEN;
        } finally {
            lock.unlock();
        }
    }

    /** A Message arrived (already checked against the buffer bound and read from the wire). */
    void onMessage(byte[] data) throws IOException {
        buffer.append(data); // dropped if the read half was closed or reset meanwhile
    }

    /** The peer half-closed: reads drain the buffer, then see end of stream. */
    void onClose() {
        boolean finished;
        lock.lock();
        try {
            if (readHalf != Half.OPEN) {
                return;
            }
            readHalf = Half.CLOSED;
            finished = writeHalf != Half.OPEN;
        } finally {
            lock.unlock();
        }
        if (finished) {
            session.removeStream(this); // before waking readers: whoever sees the end sees the stream gone
        }
        buffer.finish();
    }

    /** The peer reset the stream. */
    void onReset() {
        StreamResetException cause = new StreamResetException(id, 0, true);
        lock.lock();
        try {
            resetHalves(cause);
        } finally {
            lock.unlock();
        }
        session.removeStream(this); // before waking readers: whoever sees the reset sees the stream gone
        buffer.fail(cause);
    }

    /**
     * The session died: every open half fails with {@code cause}. A read half the peer already closed keeps its data,
     * so what arrived before the Close can still be read (as yamux).
     */
    void terminate(ConnectionClosedException cause) {
        boolean failReads;
        lock.lock();
        try {
            failReads = readHalf == Half.OPEN;
            if (failReads) {
                readHalf = Half.RESET;
            }
            if (writeHalf == Half.OPEN) {
                writeHalf = Half.RESET;
                writeError = cause;
            }
        } finally {
            lock.unlock();
        }
        if (failReads) {
            buffer.fail(cause);
        }
    }

    Half readHalf() {
        lock.lock();
        try {
            return readHalf;
        } finally {
            lock.unlock();
        }
    }

    Half writeHalf() {
        lock.lock();
        try {
            return writeHalf;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "mplex stream " + id + (peerOpened ? " (opened by the peer" : " (opened by us") + ", read "
                + readHalf() + ", write " + writeHalf() + ")";
    }
}
