package weft.transport.webrtc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ProtocolViolationException;
import weft.io.StreamBuffer;
import weft.io.StreamViews;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;
import weft.trace.Trace;

/**
 * One libp2p stream over one WebRTC data channel, with the half-close and reset semantics of webrtc/README.md
 * ("Closing an RTCDataChannel"), carried in {@link MessageFrame} flags:
 *
 * <ul>
 *   <li>{@link #closeWrite}: "When a node wishes to close a stream for writing, it MUST send a message with the
 *       FIN flag set." A received FIN ends reading after the buffered bytes and is answered with FIN_ACK ("If a
 *       FIN flag is received the node SHOULD respond with a FIN_ACK").
 *   <li>{@link #close}: FIN, then STOP_SENDING ("The sender will no longer read messages on the stream"); what
 *       arrives afterwards is discarded. A received STOP_SENDING fails our later writes.
 *   <li>{@link #reset}: RESET_STREAM ("abruptly terminates the sending part"); on receipt both directions fail,
 *       as rust-libp2p's stream state does.
 *   <li>When both directions are done (our FIN acknowledged by FIN_ACK, theirs received), the channel itself
 *       closes: an SCTP stream reset (RFC 8831 section 6.7),
 *       which carries the last TSN, so the peer gets every byte first.
 * </ul>
 *
 * <p>Back-pressure: received bytes count against the association's window until {@link #read} takes them;
 * {@link #write} blocks in {@link weft.transport.webrtc.sctp.Association#send} while the send buffer is full.
 * Threads: frames arrive on the association's delivery thread ({@link #onMessage}, never blocking); reads and
 * writes come from the stream's handler thread.
 */
final class DataChannelStream implements MuxedStream {
    private static final Logger log = LoggerFactory.getLogger(DataChannelStream.class);

    private final int id;
    private final DataChannelConnection connection;
    private final StreamBuffer buffer;
    private final MessageFrame.Decoder decoder = new MessageFrame.Decoder(); // delivery thread only
    private final InputStream input;
    private final OutputStream output;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean finSent; // guarded by lock
    private boolean finReceived; // guarded by lock
    private boolean finAcked; // guarded by lock
    private boolean stopSendingSent; // guarded by lock
    private boolean stopSendingReceived; // guarded by lock
    private boolean channelClosed; // guarded by lock: our outgoing SCTP stream was reset
    private IOException failure; // guarded by lock: a reset or the connection's end
    private volatile Duration readTimeout = Duration.ZERO;

    DataChannelStream(int id, DataChannelConnection connection, int bufferCapacity) {
        this.id = id;
        this.connection = connection;
        this.buffer = new StreamBuffer(bufferCapacity);
        this.input = StreamViews.input(this::read, () -> (int) Math.min(Integer.MAX_VALUE, buffer.size()), this::close);
        this.output = StreamViews.output(this::write, () -> { }, this::close);
    }

    @Override
    public long id() {
        return id;
    }

    /** The connection's trace, for this channel: what the protocols on it report carries {@code stream=<id>}. */
    @Override
    public Trace trace() {
        return connection.trace().stream(id);
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
        int n = buffer.read(buf, off, len, readTimeout.toNanos());
        if (n > 0) {
            connection.consumed(n);
        }
        return n;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        for (int at = off; at < off + len; at += MessageFrame.MAX_DATA) {
            checkWritable();
            int end = Math.min(off + len, at + MessageFrame.MAX_DATA);
            connection.send(id, MessageFrame.data(java.util.Arrays.copyOfRange(buf, at, end)).encode());
        }
    }

    private void checkWritable() throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw weft.Rethrowable.freshCopyOf(failure);
            }
            if (finSent) {
                throw new StreamClosedException("webrtc: stream " + id + " closed for writing");
            }
            if (stopSendingReceived) {
                throw new StreamClosedException("webrtc: stream " + id + " stopped by remote (stop_sending)");
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void closeWrite() throws IOException {
        lock.lock();
        try {
            if (finSent || failure != null || stopSendingReceived) {
                return;
            }
            finSent = true;
        } finally {
            lock.unlock();
        }
        connection.send(id, MessageFrame.flag(MessageFrame.Flag.FIN).encode());
        closeChannelIfDone();
    }

    @Override
    public void close() throws IOException {
        closeWrite();
        lock.lock();
        try {
            if (!finReceived && !stopSendingSent && failure == null && !channelClosed) {
                connection.offer(id, MessageFrame.flag(MessageFrame.Flag.STOP_SENDING).encode()); // see onFlag
            }
            stopSendingSent = true;
        } finally {
            lock.unlock();
        }
        buffer.fail(new StreamClosedException("webrtc: stream " + id + " closed for reading"));
        closeChannelIfDone();
    }

    @Override
    public void reset() {
        reset(0);
    }

    /** RESET_STREAM has no error code field; {@code errorCode} stays local. */
    @Override
    public void reset(int errorCode) {
        if (fail(new StreamResetException(id, errorCode, false))) {
            connection.offer(id, MessageFrame.flag(MessageFrame.Flag.RESET_STREAM).encode());
            closeChannel();
        }
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        readTimeout = timeout == null ? Duration.ZERO : timeout;
    }

    /** Writes block on the association's send buffer, which has no per-call bound; the timeout is not applied. */
    @Override
    public void setWriteTimeout(Duration timeout) {
    }

    /** One data channel message (PPID 51/53) for this stream; called on the delivery thread, never blocks. */
    void onMessage(byte[] payload) {
        int data = 0;
        try {
            for (MessageFrame frame : decoder.feed(payload)) {
                if (connection.trace().on()) WebRtcTrace.frame(trace(), false, frame);
                if (frame.message() != null && frame.message().length > 0 && acceptsData()) {
                    buffer.append(frame.message());
                    data += frame.message().length;
                }
                if (frame.flag() != null) {
                    onFlag(frame.flag());
                }
            }
        } catch (ProtocolViolationException | weft.ResourceLimitException e) {
            log.debug("webrtc: stream {}: {}", id, e.getMessage());
            reset();
        }
        connection.consumed(payload.length - data); // framing and discarded bytes never wait for a reader
    }

    private boolean acceptsData() {
        lock.lock();
        try {
            return failure == null && !finReceived && !stopSendingSent;
        } finally {
            lock.unlock();
        }
    }

    private void onFlag(MessageFrame.Flag flag) {
        switch (flag) {
            case FIN -> {
                lock.lock();
                try {
                    if (finReceived || failure != null) {
                        return;
                    }
                    finReceived = true;
                    // Not once our outgoing stream is reset: whatever we send after the reset request reaches the
                    // peer as part of the stream's next incarnation (RFC 6525 section 5.2.2; Chromium's dcsctp
                    // handed such a late FIN_ACK to the next channel on this id, in place of its data). Under the
                    // lock, so that closeChannel cannot reset the stream between this check and the send.
                    if (!channelClosed) {
                        connection.offer(id, MessageFrame.flag(MessageFrame.Flag.FIN_ACK).encode());
                    }
                } finally {
                    lock.unlock();
                }
                buffer.finish();
                closeChannelIfDone();
            }
            case STOP_SENDING -> {
                lock.lock();
                try {
                    stopSendingReceived = true;
                } finally {
                    lock.unlock();
                }
                closeChannelIfDone();
            }
            case RESET_STREAM -> {
                if (fail(new StreamResetException(id, 0, true))) {
                    closeChannel();
                }
            }
            case FIN_ACK -> {
                lock.lock();
                try {
                    finAcked = true;
                } finally {
                    lock.unlock();
                }
                closeChannelIfDone();
            }
        }
    }

    /** The peer reset its outgoing SCTP stream: the channel is closing. Unfinished reading means a reset. */
    void onChannelClosedByRemote() {
        lock.lock();
        boolean unfinished;
        try {
            unfinished = !finReceived && !stopSendingSent;
        } finally {
            lock.unlock();
        }
        if (unfinished) {
            fail(new StreamResetException(id, 0, true));
        }
        closeChannel();
    }

    /** The connection ended: every later call fails with {@code cause}; unread data stays readable if FIN came. */
    void onConnectionClosed(IOException cause) {
        boolean keepUnread;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = cause;
            keepUnread = finReceived;
        } finally {
            lock.unlock();
        }
        if (!keepUnread) {
            buffer.fail(cause);
        }
    }

    /** Records the first failure; true if this call recorded it. */
    private boolean fail(IOException cause) {
        lock.lock();
        try {
            if (failure != null) {
                return false;
            }
            failure = cause;
        } finally {
            lock.unlock();
        }
        buffer.fail(cause);
        return true;
    }

    /**
     * Closes the data channel once both halves are done: "A node SHOULD only consider its write-half closed once it
     * has received a FIN_ACK" (or the peer stopped reading), and the peer sent FIN or we stopped reading. Closing
     * earlier lets the peer's channel close before its application read what we sent (js-libp2p then reports an
     * early end of stream).
     */
    private void closeChannelIfDone() {
        boolean done;
        lock.lock();
        try {
            done = (finSent && finAcked || stopSendingReceived) && (finReceived || stopSendingSent);
        } finally {
            lock.unlock();
        }
        if (done) {
            closeChannel();
        }
    }

    /** Resets our outgoing stream, once; under the lock, so that no FIN_ACK or STOP_SENDING of ours follows it. */
    private void closeChannel() {
        lock.lock();
        try {
            if (channelClosed) {
                return;
            }
            channelClosed = true;
            connection.closeChannel(id); // queues the reset without blocking
        } finally {
            lock.unlock();
        }
    }
}
