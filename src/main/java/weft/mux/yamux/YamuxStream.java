package weft.mux.yamux;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.Rethrowable;
import weft.io.BorrowedFrames;
import weft.io.StreamBuffer;
import weft.io.StreamViews;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;
import weft.trace.Trace;

/**
 * One yamux stream. Spec "Stream Establishment": "To open a stream, an initial data or window update frame is sent
 * with a new StreamID. The SYN flag should be set"; "Stream Close": "To close a stream, either side sends a data or
 * window update frame with the FIN flag set"; "Hard close … by sending a data or window update frame with the RST
 * flag set".
 *
 * <p>State, as go-yamux {@code stream.go}: the handshake ({@link Handshake}) is kept apart from the two directions,
 * each {@link Half#OPEN}, {@link Half#CLOSED} or {@link Half#RESET}. {@link #closeWrite()} closes the write half and
 * queues FIN after the data already queued; the peer's FIN closes the read half, and reads drain the buffer before
 * returning -1; a reset (either side) resets both halves and drops unread data. Once neither half is open the stream
 * leaves the session's map.
 *
 * <p>Threads: {@link #read} from one application thread at a time, {@link #write} from one at a time (a lock keeps
 * concurrent writers and {@link #closeWrite()} whole frames in order); {@link #reset()} and {@link #close()} from
 * any thread. The connection reader calls the {@code on…} methods and never blocks in them.
 */
final class YamuxStream implements MuxedStream {
    private static final Logger log = LoggerFactory.getLogger(YamuxStream.class);
    /**
     * Writes of at least this many bytes lend their array to the connection writer instead of being copied (weft's
     * choice: the writer's own copy limit, below which it gathers frames into one buffer anyway).
     */
    static final int BORROW_BYTES = 16 * 1024;

    /** go-yamux {@code streamState}: who has said what about opening the stream. */
    enum Handshake { INIT, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FINISHED }

    /** go-yamux {@code halfStreamState}: one direction of the stream. */
    enum Half { OPEN, CLOSED, RESET }

    private final YamuxSession session;
    private final int id;
    private final int maxFramePayload;
    final StreamBuffer buffer;
    final ReceiveWindow receiveWindow;
    final SendWindow sendWindow = new SendWindow();

    private final ReentrantLock lock = new ReentrantLock();
    private Handshake handshake; // guarded by lock
    private Half readHalf = Half.OPEN; // guarded by lock
    private Half writeHalf = Half.OPEN; // guarded by lock
    private IOException writeError; // guarded by lock; set when writeHalf is RESET; thrown as fresh copies
    private final ReentrantLock writeLock = new ReentrantLock(); // held by write and closeWrite: frames stay in order
    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;
    private final InputStream input;
    private final OutputStream output;
    private final Trace trace;

    YamuxStream(YamuxSession session, int id, Handshake handshake, YamuxConfig config, long nowNanos) {
        this.session = session;
        this.id = id;
        this.handshake = handshake;
        this.maxFramePayload = config.maxFramePayload();
        this.receiveWindow = new ReceiveWindow(config.initialStreamWindow(), config.maxStreamWindow(),
                session.connectionWindow(), nowNanos);
        this.buffer = new StreamBuffer(config.initialStreamWindow());
        this.input = StreamViews.input(this::read, () -> (int) Math.min(Integer.MAX_VALUE, buffer.size()),
                this::closeRead);
        this.output = StreamViews.output(this::write, () -> {}, () -> closeWrite(true));
        this.trace = session.trace().stream(id());
    }

    @Override
    public long id() {
        return Integer.toUnsignedLong(id);
    }

    int rawId() {
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
        int n = buffer.read(buf, off, len, readTimeoutNanos);
        if (n > 0) {
            sendWindowUpdate(n);
        }
        return n;
    }

    /**
     * Grants the peer more window after the application read {@code consumed} bytes, or with the SYN/ACK of the
     * handshake (go-yamux {@code sendWindowUpdate}; see {@link ReceiveWindow}).
     */
    void sendWindowUpdate(int consumed) {
        int flags;
        boolean readOpen;
        lock.lock();
        try {
            flags = takeHandshakeFlags();
            readOpen = readHalf == Half.OPEN;
        } finally {
            lock.unlock();
        }
        long delta = receiveWindow.consumed(consumed, flags != 0, session.rttNanos(), session.nanoTime());
        if (delta < 0 || (flags == 0 && !readOpen)) {
            return; // no update due, or no more data will come
        }
        buffer.growCapacity(receiveWindow.window());
        session.sendControl(Frame.header(Frame.TYPE_WINDOW_UPDATE, flags, id, (int) delta));
    }

    /** The SYN or ACK due from us, moving the handshake on. Holds the lock. */
    private int takeHandshakeFlags() {
        switch (handshake) {
            case INIT -> {
                handshake = Handshake.SYN_SENT;
                return Frame.FLAG_SYN;
            }
            case SYN_RECEIVED -> {
                handshake = Handshake.ESTABLISHED;
                return Frame.FLAG_ACK;
            }
            default -> {
                return 0;
            }
        }
    }

    // ---- writing

    /**
     * Sends {@code len} bytes in DATA frames of at most {@code maxFramePayload} bytes, each as soon as the send
     * window allows. A write of at least {@value #BORROW_BYTES} bytes is not copied: its frames point into
     * {@code buf} and the write returns once the connection writer has written them (go-yamux's {@code Write} also
     * returns only after its frames were sent). A smaller write is copied into its frames and returns once they are
     * queued. Interrupted or timed out, a write throws an {@link java.io.InterruptedIOException} whose
     * {@code bytesTransferred} counts the bytes that were sent; the rest were not, and their window is kept.
     */
    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        writeLock.lock();
        try {
            if (len < BORROW_BYTES) {
                writeCopies(buf, off, len);
            } else {
                writeBorrowed(buf, off, len);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Frames hold copies of the payload; returns once they are queued. Holds the write lock. */
    private void writeCopies(byte[] buf, int off, int len) throws IOException {
        while (len > 0) {
            checkWritable();
            int n = sendWindow.acquire(Math.min(len, maxFramePayload), writeTimeoutNanos);
            session.sendData(Frame.data(takeFlags(), id, buf, off, n), writeTimeoutNanos);
            off += n;
            len -= n;
        }
    }

    /**
     * Frames point into {@code buf}; returns once the writer has written them all. A frame that carries SYN or ACK
     * (the first, if the window update that usually carries them has not gone yet) is copied, so that withdrawing
     * the borrowed rest never withdraws a handshake flag. Holds the write lock.
     */
    private void writeBorrowed(byte[] buf, int off, int len) throws IOException {
        BorrowedFrames borrowed = session.writer().borrow();
        long copied = 0;
        int unqueued = 0; // window taken for a frame not queued yet
        try {
            while (len > 0) {
                checkWritable();
                unqueued = sendWindow.acquire(Math.min(len, maxFramePayload), writeTimeoutNanos);
                int n = unqueued;
                int flags = takeFlags();
                if (flags != 0) {
                    session.sendData(Frame.data(flags, id, buf, off, n), writeTimeoutNanos);
                    copied += n;
                } else {
                    byte[] header = Frame.header(Frame.TYPE_DATA, 0, id, n);
                    if (trace.on()) FrameTrace.sent(session, header);
                    borrowed.send(header, buf, off, n, writeTimeoutNanos);
                }
                unqueued = 0;
                off += n;
                len -= n;
            }
            borrowed.awaitWritten(writeTimeoutNanos);
        } catch (IOException e) {
            borrowed.cancel(e); // returns once the writer no longer reads buf
            sendWindow.giveBack(unqueued + borrowed.withdrawn()); // not sent: the peer never counted them
            if (e instanceof InterruptedIOException interrupted) {
                interrupted.bytesTransferred = (int) Math.min(Integer.MAX_VALUE,
                        copied + interrupted.bytesTransferred);
            }
            throw session.closedOr(e);
        }
    }

    /** The handshake flag due on the next frame, if any. */
    private int takeFlags() {
        lock.lock();
        try {
            return takeHandshakeFlags();
        } finally {
            lock.unlock();
        }
    }

    private void checkWritable() throws IOException {
        lock.lock();
        try {
            switch (writeHalf) {
                case OPEN -> {}
                case CLOSED -> throw new StreamClosedException("yamux: stream " + id() + " is closed for writing");
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

    /** Half-closes: FIN goes after the data already queued. {@code quiet}: a reset stream is not an error. */
    private void closeWrite(boolean quiet) throws IOException {
        writeLock.lock();
        try {
            int flags;
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
                flags = takeHandshakeFlags() | Frame.FLAG_FIN;
                finished = readHalf != Half.OPEN;
                if (finished) {
                    handshake = Handshake.FINISHED;
                }
            } finally {
                lock.unlock();
            }
            try {
                session.sendData(Frame.header(Frame.TYPE_WINDOW_UPDATE, flags, id, 0), writeTimeoutNanos);
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
     * Stops reading locally and half-closes (go-yamux {@code Close} = {@code CloseRead} + {@code CloseWrite}). The
     * peer is not told that we stopped reading; data it sends afterwards is dropped. Quiet on a reset stream.
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
            if (finished) {
                handshake = Handshake.FINISHED;
            }
        } finally {
            lock.unlock();
        }
        buffer.fail(new StreamClosedException("yamux: stream " + id() + " is closed for reading"));
        if (finished) {
            session.removeStream(this);
        }
    }

    @Override
    public void reset() {
        reset(0);
    }

    /** Resets both halves and sends RST (a WINDOW_UPDATE whose length is the code, as go-yamux v5). */
    @Override
    public void reset(int errorCode) {
        StreamResetException cause = new StreamResetException(id(), errorCode, false);
        boolean sendRst;
        lock.lock();
        try {
            if (handshake == Handshake.FINISHED) {
                buffer.fail(cause);
                return;
            }
            sendRst = handshake != Handshake.INIT; // go-yamux: nothing to reset if nothing was sent
            handshake = Handshake.FINISHED;
            resetHalves(cause);
        } finally {
            lock.unlock();
        }
        buffer.fail(cause);
        sendWindow.fail(cause);
        if (sendRst) {
            session.sendControl(Frame.header(Frame.TYPE_WINDOW_UPDATE, Frame.FLAG_RST, id, errorCode));
        }
        session.removeStream(this);
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

    /** The peer acknowledged our SYN. Returns true the first time (the session frees an unacked slot). */
    boolean onAck() {
        lock.lock();
        try {
            if (handshake == Handshake.SYN_SENT) {
                handshake = Handshake.ESTABLISHED;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** A data payload arrived (already checked against the window and read from the wire). */
    void onData(byte[] payload, int length) throws IOException {
        buffer.append(payload, length); // dropped if the read half is closed or reset
    }

    /** The peer half-closed: reads drain the buffer, then see end of stream. */
    void onFin() {
        boolean finished = false;
        lock.lock();
        try {
            if (readHalf != Half.OPEN) {
                return;
            }
            readHalf = Half.CLOSED;
            if (writeHalf != Half.OPEN) {
                finished = true;
                handshake = Handshake.FINISHED;
            }
        } finally {
            lock.unlock();
        }
        buffer.finish();
        if (finished) {
            session.removeStream(this);
        }
    }

    /** The peer reset the stream; {@code errorCode} is the RST frame's length on a WINDOW_UPDATE, else 0. */
    void onReset(int errorCode) {
        StreamResetException cause = new StreamResetException(id(), errorCode, true);
        lock.lock();
        try {
            handshake = Handshake.FINISHED;
            resetHalves(cause);
        } finally {
            lock.unlock();
        }
        buffer.fail(cause);
        sendWindow.fail(cause);
        session.removeStream(this);
    }

    /**
     * The session died: every open half fails with {@code cause}. A read half the peer already closed keeps its data,
     * so what arrived before the FIN can still be read (as go-yamux {@code forceClose}).
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
            handshake = Handshake.FINISHED;
        } finally {
            lock.unlock();
        }
        if (failReads) {
            buffer.fail(cause);
        }
        sendWindow.fail(cause);
    }

    Handshake handshake() {
        lock.lock();
        try {
            return handshake;
        } finally {
            lock.unlock();
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
        return "yamux stream " + id() + " (" + handshake() + ", read " + readHalf() + ", write " + writeHalf() + ")";
    }
}
