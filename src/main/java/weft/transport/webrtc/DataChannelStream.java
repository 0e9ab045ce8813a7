package weft.transport.webrtc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ProtocolViolationException;
import weft.io.Scheduler;
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
 *       arrives afterwards is discarded, its flags still acted on ("it MUST continue to act on any flags present in
 *       received messages in order to successfully process an incoming FIN_ACK"). A received STOP_SENDING fails our
 *       later writes.
 *   <li>{@link #reset}: RESET_STREAM ("abruptly terminates the sending part"); on receipt both directions fail,
 *       as rust-libp2p's stream state does.
 *   <li>When both directions are done (our FIN acknowledged by FIN_ACK, theirs received), the channel itself
 *       closes: an SCTP stream reset (RFC 8831 section 6.7), which carries the last TSN, so the peer gets every
 *       byte first. A FIN_ACK that does not come within {@link DataChannelConfig#finAckTimeout()} counts as come:
 *       "The node MAY close the datachannel without receiving a FIN_ACK, for example in the case of a timeout".
 * </ul>
 *
 * <p>Receive bound (see {@link DataChannelConfig}): the stream's buffer holds at most
 * {@link DataChannelConfig#streamReceiveBuffer()} unread bytes. A message that does not fit waits, undecoded, in
 * arrival order; reads make room for it. If the reader makes no room within
 * {@link DataChannelConfig#slowReaderTimeout()}, the stream is reset. Every byte that arrived counts against the
 * association's window until it is read, discarded or dropped ({@link #settle}), so the window bounds them all.
 *
 * <p>Back-pressure on writes: {@link #write} blocks in {@link weft.transport.webrtc.sctp.Association#send} while the
 * association's send buffer is full or this stream has {@link DataChannelConfig#streamSendBuffer()} bytes queued and
 * not yet sent, for at most the write timeout. A reset, or the close of our side of the channel, wakes it with the
 * stream's exception; nothing of ours is queued on the channel after its outgoing SCTP stream reset was asked for.
 * Threads: messages arrive on the association's delivery thread ({@link #onMessage}, never blocking); reads, writes
 * and the decoding of messages that waited for room come from the stream's handler thread; the two timeouts run on
 * the configured scheduler.
 */
final class DataChannelStream implements MuxedStream {
    private static final Logger log = LoggerFactory.getLogger(DataChannelStream.class);

    private final int id;
    private final DataChannelConnection connection;
    private final DataChannelConfig config;
    private final StreamBuffer buffer;
    private final InputStream input;
    private final OutputStream output;
    /** Decodes one message at a time, in arrival order, on whichever thread delivers it. */
    private final ReentrantLock delivery = new ReentrantLock();
    private final MessageFrame.Decoder decoder = new MessageFrame.Decoder(); // guarded by delivery
    private final ReentrantLock lock = new ReentrantLock();
    // The four volatile fields are written under lock and read without it by the send guards (checkWritable,
    // checkChannelOpen), which run under the association's lock: the lock order is ours, then the association's.
    private volatile boolean finSent; // guarded by lock
    private boolean finReceived; // guarded by lock
    private boolean finAcked; // guarded by lock
    private boolean stopSendingSent; // guarded by lock
    private volatile boolean stopSendingReceived; // guarded by lock
    private volatile boolean channelClosed; // guarded by lock: our outgoing SCTP stream was reset
    private boolean remoteChannelClosed; // guarded by lock: the peer's outgoing stream was reset, not yet acted on
    private volatile IOException failure; // guarded by lock: a reset or the connection's end
    private final ArrayDeque<byte[]> waiting = new ArrayDeque<>(); // guarded by lock: arrived, no room yet
    private long waitingBytes; // guarded by lock
    private int decoding; // guarded by lock: bytes of the message being decoded
    private int partial; // guarded by lock: bytes of an incomplete frame the decoder holds
    private long charged; // guarded by lock: bytes counted against the association's window
    private Scheduler.Cancellable slowReader; // guarded by lock
    private Scheduler.Cancellable finAckTimer; // guarded by lock
    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;

    DataChannelStream(int id, DataChannelConnection connection, DataChannelConfig config) {
        this.id = id;
        this.connection = connection;
        this.config = config;
        // the bound is enforced by deliverWaiting, which lets a message larger than it into an empty buffer
        this.buffer = new StreamBuffer(Long.MAX_VALUE);
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
        int n = buffer.read(buf, off, len, readTimeoutNanos);
        if (n > 0) {
            deliverWaiting(true); // the room just made may let waiting messages in; gives the window back
        }
        return n;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        for (int at = off; at < off + len; at += MessageFrame.MAX_DATA) {
            int end = Math.min(off + len, at + MessageFrame.MAX_DATA);
            connection.send(id, MessageFrame.data(java.util.Arrays.copyOfRange(buf, at, end)).encode(),
                    writeTimeoutNanos, this::checkWritable);
        }
    }

    /**
     * The guard of a data message: checked before each wait for send-buffer room and, under the association's lock,
     * right before the message is queued, so a writer waiting for room learns at once that its stream was reset,
     * and no data follows the request to reset our outgoing stream.
     */
    private void checkWritable() throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw weft.Rethrowable.freshCopyOf(failed);
        }
        if (finSent) {
            throw new StreamClosedException("webrtc: stream " + id + " closed for writing");
        }
        if (stopSendingReceived) {
            throw new StreamClosedException("webrtc: stream " + id + " stopped by remote (stop_sending)");
        }
        checkChannelOpen();
    }

    /**
     * The guard of our FIN (and part of {@link #checkWritable}): nothing is queued once the stream failed or our
     * outgoing SCTP stream was reset. RFC 6525 section 5.2.2: the peer resets its incoming stream once every TSN up
     * to the request's "Sender's Last Assigned TSN" arrived; a message queued later counts for the stream's next
     * use. Closed without a failure means the peer closed the channel (its outgoing reset, answered by ours) while
     * we still meant to write: for our writes, that is a reset by the remote.
     */
    private void checkChannelOpen() throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw weft.Rethrowable.freshCopyOf(failed);
        }
        if (channelClosed) {
            throw new StreamResetException(id, 0, true);
        }
    }

    @Override
    public void closeWrite() throws IOException {
        lock.lock();
        try {
            if (finSent || failure != null || stopSendingReceived || channelClosed) { // nothing more to send
                return;
            }
            finSent = true;
        } finally {
            lock.unlock();
        }
        try {
            connection.send(id, MessageFrame.flag(MessageFrame.Flag.FIN).encode(), writeTimeoutNanos,
                    this::checkChannelOpen);
        } catch (IOException e) {
            lock.lock();
            try {
                finSent = false; // not queued: a later closeWrite may try again
                if (failure != null || stopSendingReceived || channelClosed) {
                    // Changed while the FIN waited (the guard saw it): nothing more to send, as in the check above.
                    // E.g. channel 0 after Noise: the peer's FIN and STOP_SENDING arrive between that check and the
                    // queueing, and close our side of the channel; the channel ended cleanly, not by a reset.
                    return;
                }
            } finally {
                lock.unlock();
            }
            throw e; // a write timeout or an interrupt
        }
        lock.lock();
        try {
            if (!finAcked && failure == null) {
                finAckTimer = config.scheduler().schedule(config.finAckTimeout(), this::onFinAckTimeout);
            }
        } finally {
            lock.unlock();
        }
        closeChannelIfDone();
    }

    /** No FIN_ACK in time: the write half counts as closed, so that a peer that never acks cannot keep the channel. */
    private void onFinAckTimeout() {
        lock.lock();
        try {
            if (finAcked || failure != null) {
                return;
            }
            finAcked = true;
            finAckTimer = null;
        } finally {
            lock.unlock();
        }
        log.debug("webrtc: stream {}: no fin_ack within {} ms, closing the write half anyway", id,
                config.finAckTimeout().toMillis());
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
        deliverWaiting(false); // what waited is discarded now, its flags (a FIN_ACK) still acted on
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
            sendResetAndCloseChannel();
        }
    }

    /**
     * RESET_STREAM, unless our outgoing stream was reset already (the peer closed the channel first: a message now
     * would reach the channel that next uses this id, see {@link #checkChannelOpen}), then the channel's close. Both
     * under the lock, so that no other thread closes the channel between the check and the message.
     */
    private void sendResetAndCloseChannel() {
        lock.lock();
        try {
            if (!channelClosed) {
                connection.offer(id, MessageFrame.flag(MessageFrame.Flag.RESET_STREAM).encode());
            }
            closeChannel();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        readTimeoutNanos = timeout == null ? 0 : timeout.toNanos();
    }

    /**
     * Bounds each wait of {@link #write} (and {@link #closeWrite}'s FIN) for room in the association's send buffer;
     * expiry throws {@link java.net.SocketTimeoutException}, and the bytes of that call not yet queued are not sent.
     */
    @Override
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNanos = timeout == null ? 0 : timeout.toNanos();
    }

    /** One data channel message (PPID 51/53) for this stream; called on the delivery thread, never blocks. */
    void onMessage(byte[] payload) {
        lock.lock();
        try {
            charged += payload.length;
            waiting.add(payload);
            waitingBytes += payload.length;
        } finally {
            lock.unlock();
        }
        deliverWaiting(false);
    }

    /**
     * Decodes waiting messages in arrival order while the buffer has room for them (or their data is discarded
     * anyway), then gives the association's window back what left the stream. When the head message does not fit,
     * the slow-reader timer runs; it starts over whenever the reader made progress ({@code read}: it took bytes) or
     * room for at least one message, so only a reader that takes nothing for the whole timeout loses its stream.
     */
    private void deliverWaiting(boolean read) {
        boolean progressed = read;
        boolean remoteClosed = false;
        delivery.lock();
        try {
            while (true) {
                byte[] next;
                lock.lock();
                try {
                    next = waiting.peek();
                    if (next == null) {
                        cancelSlowReader();
                        remoteClosed = remoteChannelClosed;
                        remoteChannelClosed = false;
                        break;
                    }
                    if (keepsData() && buffer.size() > 0 && buffer.size() + next.length > config.streamReceiveBuffer()) {
                        if (slowReader == null || progressed) {
                            cancelSlowReader();
                            slowReader = config.scheduler().schedule(config.slowReaderTimeout(), this::onSlowReader);
                        }
                        break;
                    }
                    waiting.poll();
                    waitingBytes -= next.length;
                    decoding = next.length;
                } finally {
                    lock.unlock();
                }
                decode(next);
                progressed = true;
            }
        } finally {
            delivery.unlock();
        }
        if (remoteClosed) {
            onChannelClosedByRemote();
        }
        settle();
    }

    /** Caller holds {@code lock}. Whether data that arrives now is kept for the reader. */
    private boolean keepsData() {
        return failure == null && !finReceived && !stopSendingSent;
    }

    /** Caller holds {@code lock}. */
    private void cancelSlowReader() {
        if (slowReader != null) {
            slowReader.cancel();
            slowReader = null;
        }
    }

    /** Caller holds {@code delivery}. One message's frames: data to the buffer (or discarded), flags acted on. */
    private void decode(byte[] payload) {
        try {
            for (MessageFrame frame : decoder.feed(payload)) {
                if (connection.trace().on()) WebRtcTrace.frame(trace(), false, frame);
                if (frame.message() != null && frame.message().length > 0 && acceptsData()) {
                    buffer.append(frame.message());
                }
                if (frame.flag() != null) {
                    onFlag(frame.flag());
                }
            }
        } catch (ProtocolViolationException | weft.ResourceLimitException e) {
            log.debug("webrtc: stream {}: {}", id, e.getMessage());
            reset();
        } finally {
            lock.lock();
            try {
                decoding = 0;
                partial = decoder.pendingLength();
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean acceptsData() {
        lock.lock();
        try {
            return keepsData();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives the association's window back every byte that left this stream (read, discarded as framing or after a
     * close, dropped by a reset): what was charged minus what the stream still holds. Exactly once per byte.
     */
    private void settle() {
        long release;
        lock.lock();
        try {
            long held = buffer.size() + waitingBytes + decoding + partial;
            release = charged - held;
            if (release <= 0) {
                return;
            }
            charged = held;
        } finally {
            lock.unlock();
        }
        connection.consumed((int) release);
    }

    /** The slow-reader timeout ran out: if the head message still has no room, reset the stream. */
    private void onSlowReader() {
        long held;
        lock.lock();
        try {
            slowReader = null;
            byte[] next = waiting.peek();
            if (next == null || !keepsData() || buffer.size() == 0
                    || buffer.size() + next.length <= config.streamReceiveBuffer()) {
                held = -1; // room was made meanwhile, the reader's deliverWaiting is on its way
            } else {
                held = buffer.size() + waitingBytes;
            }
        } finally {
            lock.unlock();
        }
        if (held < 0) {
            deliverWaiting(false);
            return;
        }
        log.debug("webrtc: stream {} reset, receive buffer full ({} > {} bytes, no read for {} ms)", id, held,
                config.streamReceiveBuffer(), config.slowReaderTimeout().toMillis());
        StreamResetException reset = new StreamResetException(id, 0, false);
        reset.initCause(new weft.ResourceLimitException("webrtc: stream " + id + " receive buffer full (" + held
                + " > " + config.streamReceiveBuffer() + " bytes): the application reads too slowly"));
        if (fail(reset)) {
            sendResetAndCloseChannel();
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
                connection.wakeSenders();
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
                    if (finAckTimer != null) {
                        finAckTimer.cancel();
                        finAckTimer = null;
                    }
                } finally {
                    lock.unlock();
                }
                closeChannelIfDone();
            }
        }
    }

    /**
     * The peer reset its outgoing SCTP stream: the channel is closing. Unfinished reading means a reset. Messages
     * still waiting for room come first (the reset follows all of them, and one may carry the FIN).
     */
    void onChannelClosedByRemote() {
        lock.lock();
        boolean unfinished;
        try {
            if (!waiting.isEmpty()) {
                remoteChannelClosed = true; // acted on once they were decoded
                return;
            }
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
            dropTimersAndWaiting();
        } finally {
            lock.unlock();
        }
        connection.wakeSenders();
        if (!keepUnread) {
            buffer.fail(cause);
        }
    }

    /** Records the first failure, drops what the stream holds and returns it to the window; true if this call did. */
    private boolean fail(IOException cause) {
        lock.lock();
        try {
            if (failure != null) {
                return false;
            }
            failure = cause;
            dropTimersAndWaiting();
        } finally {
            lock.unlock();
        }
        connection.wakeSenders(); // a writer waiting for send-buffer room throws the failure now
        buffer.fail(cause);
        settle();
        return true;
    }

    /** Caller holds {@code lock}. */
    private void dropTimersAndWaiting() {
        cancelSlowReader();
        if (finAckTimer != null) {
            finAckTimer.cancel();
            finAckTimer = null;
        }
        waiting.clear();
        waitingBytes = 0;
    }

    /**
     * Closes the data channel once both halves are done: "A node SHOULD only consider its write-half closed once it
     * has received a FIN_ACK" (or the peer stopped reading, or the FIN_ACK timed out), and the peer sent FIN or we
     * stopped reading. Closing earlier lets the peer's channel close before its application read what we sent
     * (js-libp2p then reports an early end of stream).
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

    /** Bytes that arrived for this stream and wait for room in its buffer. */
    long waitingBytes() {
        lock.lock();
        try {
            return waitingBytes;
        } finally {
            lock.unlock();
        }
    }

    /** True once our side of the channel was closed (an SCTP reset of our outgoing stream was asked for). */
    boolean isChannelClosed() {
        return channelClosed;
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
            connection.wakeSenders(); // a writer waiting for room gives up: see checkChannelOpen
        } finally {
            lock.unlock();
        }
    }
}
