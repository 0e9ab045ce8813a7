package weft.mux.yamux;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.ResourceLimitException;
import weft.io.DuplexStream;
import weft.io.FrameWriter;
import weft.io.LingeringClose;
import weft.io.Threads;
import weft.mux.ErrorCode;
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;
import weft.trace.Trace;

/**
 * A yamux session over one connection: opens and accepts streams, dispatches received frames, answers pings, and
 * ends every stream when it ends. Created by {@link Yamux#start}.
 *
 * <p>Threads: {@code weft-reader-<id>} (virtual) decodes frames and dispatches them; it only queues frames on the
 * writer's control lane, never waits on it, and never runs application code. {@code weft-writer-<id>} (a
 * {@link FrameWriter}) is the only thread that writes to the channel. Application threads open, accept, read and
 * write; the scheduler runs keep-alive and RTT timers ({@link KeepAlive}). Lock order: session lock, then a stream's
 * lock, then the writer's; the writer never calls back while holding its lock.
 *
 * <p>Ending: {@link #close()} sends GO_AWAY(normal) after the queued frames, then closes the channel. A protocol
 * violation sends GO_AWAY with the {@link YamuxProtocolException}'s code and closes with a {@link LingeringClose}
 * (half-close, drain, close), so the peer reads the GO_AWAY instead of a TCP reset. A received GO_AWAY(normal) only
 * stops new streams (go-yamux v4; go-yamux v5 and rust close the connection right after, which ends the session here
 * too); any other code, end of stream, a write failure or a keep-alive timeout ends the session at once. Every
 * blocked or later call on every stream, and {@link #acceptStream()}, then throws {@link ConnectionClosedException}
 * with the cause.
 */
public final class YamuxSession implements MuxedConnection {
    private static final Logger log = LoggerFactory.getLogger(YamuxSession.class);
    private static final AtomicLong SESSIONS = new AtomicLong();
    /** go-yamux session.go OpenStream: ErrStreamsExhausted once the next id reaches MaxUint32 - 1. */
    private static final long LAST_STREAM_ID = 0xFFFF_FFFFL - 2;
    /** go-yamux mux.go DefaultConfig ReadBufSize. */
    private static final int READ_BUFFER_BYTES = 4096;

    private final String connectionId;
    private final YamuxConfig config;
    private final boolean dialer;
    private final FrameWriter writer;
    private final KeepAlive keepAlive;
    private final Thread reader;
    private final AtomicInteger queuedPongs = new AtomicInteger();
    private final ConnectionWindow connectionWindow;
    private final Trace trace;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition acceptable = lock.newCondition();
    private final Condition openSlot = lock.newCondition();
    private final Map<Integer, YamuxStream> streams = new HashMap<>(); // guarded by lock
    private final Set<Integer> unacked = new HashSet<>(); // guarded by lock; our SYNs without ACK
    private final ArrayDeque<YamuxStream> acceptQueue = new ArrayDeque<>(); // guarded by lock
    private long nextId; // guarded by lock
    private int inbound; // guarded by lock
    private boolean localGoAway; // guarded by lock
    private boolean remoteGoAway; // guarded by lock
    private ConnectionClosedException closed; // guarded by lock; non-null once the session ended

    YamuxSession(DuplexStream channel, boolean dialer, YamuxConfig config) {
        this.connectionId = "c" + SESSIONS.incrementAndGet();
        this.config = config;
        this.dialer = dialer;
        this.trace = channel.trace();
        this.connectionWindow = new ConnectionWindow(config.maxConnectionReceiveWindow());
        this.nextId = dialer ? 1 : 2; // spec: "The client side should use odd ID's, and the server even."
        // Every field closeWith needs is set before the first thread starts.
        this.keepAlive = new KeepAlive(config.scheduler(), config, this::sendPing, e -> closeWith(new
                ConnectionClosedException("yamux: keep-alive timeout, session closed", false, e), null, true, null));
        this.writer = FrameWriter.start(connectionId, channel.output(), channel, config.writeQueueBytes(),
                config.connectionWriteTimeout(), e -> closeWith(
                        new ConnectionClosedException("yamux: connection write failed", false, e), null, true, null));
        // go-yamux mux.go ReadBufSize 4096: headers and small frames come from the buffer, large payloads bypass it.
        InputStream input = new BufferedInputStream(channel.input(), READ_BUFFER_BYTES);
        this.reader = Threads.startVirtual("weft-reader-" + connectionId,
                () -> readLoop(new FrameReader(input, trace), input, channel));
        keepAlive.start();
    }

    // ---- the application's side

    /**
     * Opens a stream: sends WINDOW_UPDATE with SYN at once (go-yamux; the delta grants any initial window above the
     * spec's 256 KiB). Waits while {@code maxOutboundUnacked} of our streams are not yet acknowledged.
     *
     * @throws ConnectionClosedException when the session ended or either side sent GO_AWAY
     * @throws ResourceLimitException when no slot freed within {@code streamOpenTimeout}, or ids ran out
     */
    @Override
    public MuxedStream openStream() throws IOException {
        YamuxStream stream;
        lock.lock();
        try {
            long remaining = config.streamOpenTimeout().toNanos();
            while (true) {
                checkCanOpen();
                if (unacked.size() < config.maxOutboundUnacked()) {
                    break;
                }
                if (remaining <= 0) {
                    throw new ResourceLimitException("yamux: open timed out, " + unacked.size()
                            + " streams wait for ack (limit " + config.maxOutboundUnacked() + ", waited "
                            + config.streamOpenTimeout().toMillis() + " ms)");
                }
                remaining = openSlot.awaitNanos(remaining);
            }
            if (nextId > LAST_STREAM_ID) {
                throw new ResourceLimitException("yamux: stream ids exhausted (" + nextId + ")");
            }
            int id = (int) nextId;
            nextId += 2;
            stream = new YamuxStream(this, id, YamuxStream.Handshake.INIT, config, nanoTime());
            streams.put(id, stream);
            unacked.add(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("yamux: interrupted while opening a stream");
        } finally {
            lock.unlock();
        }
        stream.sendWindowUpdate(0); // WINDOW_UPDATE|SYN
        return stream;
    }

    /** Holds the lock. */
    private void checkCanOpen() throws ConnectionClosedException {
        if (closed != null) {
            throw closedException();
        }
        if (localGoAway) {
            throw new ConnectionClosedException("yamux: cannot open stream, we sent go away", false, null);
        }
        if (remoteGoAway) {
            throw new ConnectionClosedException("yamux: cannot open stream, remote sent go away", true, null);
        }
    }

    /**
     * Waits for a stream the peer opened and acknowledges it (WINDOW_UPDATE with ACK, as go-yamux
     * {@code AcceptStream}). A stream the peer reset before it was accepted is dropped from the queue (go-yamux hands
     * it out, and its first read fails).
     *
     * @throws ConnectionClosedException as soon as the session ends, whatever the reason
     */
    @Override
    public MuxedStream acceptStream() throws IOException {
        YamuxStream stream;
        lock.lock();
        try {
            while (true) {
                if (closed != null) {
                    throw closedException();
                }
                stream = acceptQueue.poll();
                if (stream != null) {
                    break;
                }
                acceptable.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("yamux: interrupted while accepting a stream");
        } finally {
            lock.unlock();
        }
        stream.sendWindowUpdate(0); // WINDOW_UPDATE|ACK
        return stream;
    }

    /**
     * Sends GO_AWAY(normal) and refuses new streams from now on (inbound SYNs are answered with RST, as go-yamux
     * {@code GoAway}); existing streams go on. {@link #close()} ends the session.
     */
    public void goAway() {
        lock.lock();
        try {
            if (localGoAway || closed != null) {
                return;
            }
            localGoAway = true;
            openSlot.signalAll();
        } finally {
            lock.unlock();
        }
        sendControl(Frame.header(Frame.TYPE_GO_AWAY, 0, 0, GoAwayCode.NORMAL));
    }

    /** The smoothed round-trip time measured with PINGs (go-yamux {@code RTT()}), zero until the first pong. */
    public Duration rtt() {
        return keepAlive.rtt();
    }

    @Override
    public boolean isClosed() {
        lock.lock();
        try {
            return closed != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends GO_AWAY(normal) after the frames already queued, ends every stream, and closes the channel; waits at
     * most {@code connectionWriteTimeout} for the writer to finish.
     */
    @Override
    public void close() throws IOException {
        closeWith(new ConnectionClosedException("yamux: session closed locally", false, null), GoAwayCode.NORMAL,
                false, null);
        try {
            writer.awaitTermination(config.connectionWriteTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Like {@link #close()}, but the GO_AWAY carries {@code code}: a libp2p error code such as
     * {@link ErrorCode#RESOURCE_LIMIT_EXCEEDED} (go-yamux v5 {@code CloseWithError} puts it in the GO_AWAY length;
     * peers without error codes read it as a non-normal termination).
     */
    public void closeWithError(int code) throws IOException {
        closeWith(new ConnectionClosedException("yamux: session closed locally (" + GoAwayCode.describe(code) + ")",
                false, null), code, false, null);
        try {
            writer.awaitTermination(config.connectionWriteTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Streams in the session's map (open, half-closed, or waiting to be accepted). */
    public int streamCount() {
        lock.lock();
        try {
            return streams.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "yamux session " + connectionId + (dialer ? " (dialer)" : " (listener)");
    }

    // ---- for streams

    ConnectionWindow connectionWindow() {
        return connectionWindow;
    }

    /** The sum of the receive windows granted to the streams in the map (bounded by maxConnectionReceiveWindow). */
    long grantedReceiveWindow() {
        return connectionWindow.granted();
    }

    long rttNanos() {
        return keepAlive.rttNanos();
    }

    long nanoTime() {
        return config.scheduler().nanoTime();
    }

    /** Queues a control frame; never blocks. After the session ended there is nobody to tell: dropped. */
    void sendControl(byte[] frame) {
        if (trace.on()) FrameTrace.sent(this, frame);
        try {
            writer.sendControlLater(frame);
        } catch (ConnectionClosedException e) {
            log.debug("yamux {}: control frame dropped, writer closed", connectionId);
        }
    }

    /** Queues a data-lane frame, waiting while the lane is full. */
    void sendData(byte[] frame, long timeoutNanos) throws IOException {
        if (trace.on()) FrameTrace.sent(this, frame);
        try {
            writer.sendDataLater(frame, timeoutNanos);
        } catch (ConnectionClosedException e) {
            throw closedOr(e);
        }
    }

    /** The session's own closed exception once it ended (it says why), else {@code e}. */
    IOException closedOr(IOException e) {
        if (!(e instanceof ConnectionClosedException)) {
            return e;
        }
        lock.lock();
        try {
            return closed != null ? closedException() : e;
        } finally {
            lock.unlock();
        }
    }

    /** A stream with no open half leaves the map (and frees its slots). */
    void removeStream(YamuxStream stream) {
        lock.lock();
        try {
            int id = stream.rawId();
            if (!streams.remove(id, stream)) {
                return;
            }
            stream.receiveWindow.release();
            if (isInbound(id)) {
                inbound--;
                acceptQueue.remove(stream); // reset before it was accepted: the application never sees it
            }
            if (unacked.remove(id)) {
                openSlot.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean isInbound(int id) {
        return ((id & 1) == 1) != dialer;
    }

    private void sendPing(int id) {
        sendControl(Frame.header(Frame.TYPE_PING, Frame.FLAG_SYN, 0, id));
    }

    /** A fresh exception with the session's cause for one caller. Holds the lock. */
    private ConnectionClosedException closedException() {
        return closed.freshCopy();
    }

    /**
     * Ends the session once: every stream and waiter fails with {@code cause}; the writer sends what is queued (or
     * only control frames when {@code dropData}), then {@code goAwayCode}'s GO_AWAY if not null, and closes the
     * channel, or only runs {@code halfClose} if not null (the first step of a {@link LingeringClose}). Never
     * blocks, so the reader and the timers may call it. True if this call ended the session.
     */
    private boolean closeWith(ConnectionClosedException cause, Integer goAwayCode, boolean dropData,
            Closeable halfClose) {
        List<YamuxStream> open;
        lock.lock();
        try {
            if (closed != null) {
                return false;
            }
            closed = cause;
            open = new ArrayList<>(streams.values());
            streams.clear();
            acceptQueue.clear();
            unacked.clear();
            acceptable.signalAll();
            openSlot.signalAll();
        } finally {
            lock.unlock();
        }
        log.debug("yamux {}: session closed: {}", connectionId, cause.getMessage(), cause.getCause());
        keepAlive.stop();
        for (YamuxStream stream : open) {
            stream.terminate(cause);
            stream.receiveWindow.release();
        }
        byte[] goAway = goAwayCode == null ? null : Frame.header(Frame.TYPE_GO_AWAY, 0, 0, goAwayCode);
        if (goAway != null && trace.on()) FrameTrace.sent(this, goAway);
        if (trace.on()) FrameTrace.closed(trace, cause);
        writer.finish(goAway, dropData, halfClose);
        return true;
    }

    // ---- the connection reader

    private void readLoop(FrameReader frames, InputStream input, DuplexStream channel) {
        SessionFrameHandler handler = new SessionFrameHandler(this);
        try {
            while (frames.nextFrame(handler)) {
                // every frame was dispatched; keep-alive heard it in SessionFrameHandler.headerReceived
            }
            closeWith(new ConnectionClosedException("yamux: connection closed by remote", true,
                    new EOFException("yamux: end of stream")), null, true, null);
        } catch (YamuxProtocolException e) {
            log.debug("yamux {}: protocol violation: {}", connectionId, e.getMessage());
            // GO_AWAY with the code, then a lingering close: the peer reads it rather than a TCP reset
            if (closeWith(new ConnectionClosedException("yamux: session closed on protocol violation", false, e),
                    e.goAwayCode(), true, channel::shutdownOutput)) {
                LingeringClose.drainThenClose(input, channel, writer);
            }
        } catch (ConnectionClosedException e) {
            closeWith(e, null, true, null);
        } catch (IOException e) {
            closeWith(new ConnectionClosedException("yamux: connection read failed", true, e), null, true, null);
        } catch (RuntimeException | Error e) {
            // a bug or an OutOfMemoryError: still end the session, so nobody waits forever on it
            closeWith(new ConnectionClosedException("yamux: reader failed", false, e), GoAwayCode.INTERNAL_ERROR,
                    true, null);
            throw e;
        }
    }

    // ---- for the frame handler (reader thread)

    /** The stream a DATA or WINDOW_UPDATE frame is for, or null (unknown, or refused just now). */
    YamuxStream streamFor(int flags, int streamId) throws IOException {
        return (flags & Frame.FLAG_SYN) != 0 ? incoming(streamId) : stream(streamId);
    }

    /** A SYN: a new inbound stream, unless it breaks a rule (protocol error) or a limit (RST). */
    private YamuxStream incoming(int streamId) throws IOException {
        long id = Integer.toUnsignedLong(streamId);
        if (streamId == 0) {
            throw new YamuxProtocolException("yamux: stream id 0 opened (reserved for the session)");
        }
        if (!isInbound(streamId)) {
            throw new YamuxProtocolException("yamux: stream " + id + " opened with our parity (the dialer uses "
                    + "odd ids, the listener even; we are the " + (dialer ? "dialer)" : "listener)"));
        }
        String refused;
        int code = ErrorCode.RESOURCE_LIMIT_EXCEEDED;
        YamuxStream stream = null;
        lock.lock();
        try {
            if (closed != null) {
                return null;
            }
            if (streams.containsKey(streamId)) {
                throw new YamuxProtocolException("yamux: stream " + id + " opened twice");
            }
            if (localGoAway) {
                refused = "we sent go away";
                code = 0;
            } else if (inbound >= config.maxIncomingStreams()) {
                refused = "too many inbound streams (" + inbound + ")";
            } else if (acceptQueue.size() >= config.acceptBacklog()) {
                refused = "accept backlog full (" + acceptQueue.size() + ")";
            } else {
                refused = null;
                stream = new YamuxStream(this, streamId, YamuxStream.Handshake.SYN_RECEIVED, config,
                        nanoTime());
                streams.put(streamId, stream); // acceptable only once its SYN frame is applied: publish()
                inbound++;
            }
        } finally {
            lock.unlock();
        }
        if (refused != null) {
            log.debug("yamux {}: stream {} refused: {}", connectionId, id, refused);
            // go-yamux v5 carries a stream error code in the RST's length; older peers read 0 there anyway
            sendControl(Frame.header(Frame.TYPE_WINDOW_UPDATE, Frame.FLAG_RST, streamId, code));
        }
        return stream;
    }

    /**
     * Makes a new inbound stream acceptable, once the frame that opened it is fully applied (its window delta,
     * its data, its other flags): an application that accepts it sees the window the peer granted with its SYN.
     * The reader thread does this before it reads the next frame, so the backlog count in {@link #incoming}
     * stays exact.
     */
    void publish(YamuxStream stream) {
        lock.lock();
        try {
            // a SYN that also carried RST already removed the stream: the application never sees it
            if (closed == null && streams.get(stream.rawId()) == stream) {
                acceptQueue.add(stream);
                acceptable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    void acked(YamuxStream stream) {
        if (stream.onAck()) {
            lock.lock();
            try {
                if (unacked.remove(stream.rawId())) {
                    openSlot.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** A GO_AWAY(normal) arrived: no new streams from us. */
    void remoteGoAway() {
        lock.lock();
        try {
            remoteGoAway = true;
            openSlot.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void frameReceived() {
        keepAlive.frameReceived();
    }

    /** Queues a pong unless the ping backlog is full (go-yamux handlePing: "dropped ping reply"). */
    void pong(int value) throws ConnectionClosedException {
        if (queuedPongs.get() >= config.pingBacklog()) {
            log.debug("yamux {}: ping backlog full, ping {} not answered", connectionId, value);
            return;
        }
        queuedPongs.incrementAndGet();
        byte[] pong = Frame.header(Frame.TYPE_PING, Frame.FLAG_ACK, 0, value);
        if (trace.on()) FrameTrace.sent(this, pong);
        writer.sendControlLater(pong, queuedPongs::decrementAndGet);
    }

    /** Our ping came back: an RTT sample for keep-alive. */
    void pongReceived(int value) throws YamuxProtocolException {
        long rttSample = keepAlive.pong(value);
        if (trace.on() && rttSample > 0) FrameTrace.rtt(trace, rttSample, keepAlive.rtt());
    }

    /** The trace of this session's connection ({@link FrameTrace}); a stream's adds its id. */
    Trace trace() {
        return trace;
    }

    /** The stream with this id, or null. */
    YamuxStream stream(int id) {
        lock.lock();
        try {
            return streams.get(id);
        } finally {
            lock.unlock();
        }
    }

    /** The reader thread (for tests that check it ends). */
    Thread readerThread() {
        return reader;
    }

    FrameWriter writer() {
        return writer;
    }
}
