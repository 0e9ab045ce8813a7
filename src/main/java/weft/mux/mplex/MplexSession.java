package weft.mux.mplex;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;
import weft.trace.Trace;

/**
 * An mplex session over one connection: opens and accepts streams, dispatches received frames, bounds what the
 * peer can make it hold, and ends every stream when it ends. Created by {@link Mplex#start}.
 *
 * <p>Stream ids: spec "Opening a new stream": "first allocate a new unique stream ID"; each side counts its own
 * streams from 0 (go-mplex {@code nextChanID}, js {@code _streamId}, rust {@code LocalStreamId::dialer(0)} all do;
 * the spec's odd/even split is followed by none of them and is not needed, since the flags say who opened a stream).
 * So the session keeps two maps, one for the streams we opened and one for the peer's, as js does.
 *
 * <p>No flow control: the spec's "Implementation notes" ask an implementation to handle a slow reader by "Blocking
 * the entire connection until the offending stream is read" or "Resetting the offending stream", or both, as
 * go-mplex "blocks for a short period of time and then resets the stream". weft does both: when a stream's unread
 * data would pass {@link MplexConfig#maxBufferedBytes()}, the reader waits up to
 * {@link MplexConfig#slowReaderTimeout()} for the application to read, then resets the stream (we send Reset, the
 * application's reads and writes throw {@link StreamResetException} caused by a {@link ResourceLimitException}),
 * and every other stream goes on.
 *
 * <p>Threads: {@code weft-reader-<id>} (virtual) decodes frames and dispatches them; it only queues frames on the
 * writer's control lane, never waits on it, and never runs application code; it waits only for a slow stream
 * reader, at most {@code slowReaderTimeout}. {@code weft-writer-<id>} (a
 * {@link FrameWriter}) is the only thread that writes to the channel. Application threads open, accept, read and
 * write. Lock order: session lock, then a stream's lock, then the writer's.
 *
 * <p>Ending: mplex has no go-away. {@link #close()} sends what is queued and closes the channel. A protocol
 * violation or too many refused stream opens close with a {@link LingeringClose} (half-close, drain, close: a FIN for
 * the peer, not a TCP reset); the end of the input or a write failure close the channel at once.
 * Every blocked or later call on every stream, and {@link #acceptStream()}, then throws
 * {@link ConnectionClosedException} with the cause.
 */
public final class MplexSession implements MuxedConnection {
    private static final Logger log = LoggerFactory.getLogger(MplexSession.class);
    private static final AtomicLong SESSIONS = new AtomicLong();
    /** Refused stream opens are counted per second: js {@code new RateLimiter({ points: disconnectThreshold,
     * duration: 1 })}. */
    private static final long REFUSAL_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String connectionId;
    private final Trace trace;
    private final MplexConfig config;
    private final boolean dialer;
    private final FrameWriter writer;
    private final Thread reader;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition acceptable = lock.newCondition();
    private final Map<Long, MplexStream> ours = new HashMap<>(); // guarded by lock; streams we opened
    private final Map<Long, MplexStream> theirs = new HashMap<>(); // guarded by lock; streams the peer opened
    private final ArrayDeque<MplexStream> acceptQueue = new ArrayDeque<>(); // guarded by lock
    private long nextId; // guarded by lock
    private ConnectionClosedException closed; // guarded by lock; non-null once the session ended

    MplexSession(DuplexStream channel, boolean dialer, MplexConfig config) {
        this.connectionId = "c" + SESSIONS.incrementAndGet();
        this.trace = channel.trace();
        this.config = config;
        this.dialer = dialer;
        // Every field closeWith needs is set before the first thread starts.
        this.writer = FrameWriter.start(connectionId, channel.output(), channel, config.writeQueueBytes(),
                config.closeTimeout(), e -> closeWith(
                        new ConnectionClosedException("mplex: connection write failed", false, e), true));
        FrameReader frames = new FrameReader(channel.input(), config.maxFramePayload(), trace);
        this.reader = Threads.startVirtual("weft-reader-" + connectionId, () -> readLoop(frames, channel));
    }

    // ---- the application's side

    /**
     * Opens a stream: queues NewStream with the id in decimal as its name (as go-mplex; the spec: "Stream names are
     * purely for interfaces and are not otherwise considered by the protocol"). NewStream goes on the control lane,
     * so it precedes the stream's data and any Reset of it.
     *
     * @throws ConnectionClosedException when the session ended
     * @throws ResourceLimitException when {@code maxOutboundStreams} of our streams are open
     */
    @Override
    public MuxedStream openStream() throws IOException {
        MplexStream stream;
        lock.lock();
        try {
            if (closed != null) {
                throw closedException();
            }
            if (ours.size() >= config.maxOutboundStreams()) {
                throw new ResourceLimitException("mplex: too many outbound streams (" + ours.size() + ", limit "
                        + config.maxOutboundStreams() + ")");
            }
            if (nextId > Frame.MAX_STREAM_ID) {
                throw new ResourceLimitException("mplex: stream ids exhausted (" + nextId + ")");
            }
            long id = nextId++;
            stream = new MplexStream(this, id, false, config);
            ours.put(id, stream);
        } finally {
            lock.unlock();
        }
        byte[] name = Long.toString(stream.id()).getBytes(StandardCharsets.US_ASCII);
        sendControl(Frame.encode(stream.id(), Frame.NEW_STREAM, name, 0, name.length));
        return stream;
    }

    /**
     * Waits for a stream the peer opened. mplex has no acknowledgement: the peer may have sent data already.
     *
     * @throws ConnectionClosedException as soon as the session ends, whatever the reason
     */
    @Override
    public MuxedStream acceptStream() throws IOException {
        lock.lock();
        try {
            while (true) {
                if (closed != null) {
                    throw closedException();
                }
                MplexStream stream = acceptQueue.poll();
                if (stream != null) {
                    return stream;
                }
                acceptable.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("mplex: interrupted while accepting a stream");
        } finally {
            lock.unlock();
        }
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
     * Ends every stream, writes the frames already queued, and closes the channel; waits at most
     * {@code closeTimeout} for the writer to finish. mplex has no go-away: the peer sees the connection end.
     */
    @Override
    public void close() throws IOException {
        closeWith(new ConnectionClosedException("mplex: session closed locally", false, null), false);
        try {
            writer.awaitTermination(config.closeTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Streams in the session's maps (open, half-closed, or waiting to be accepted), both sides' together. */
    public int streamCount() {
        lock.lock();
        try {
            return ours.size() + theirs.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "mplex session " + connectionId + (dialer ? " (dialer)" : " (listener)");
    }

    // ---- for streams

    /** The trace of this session's connection; a stream's adds its id. */
    Trace trace() {
        return trace;
    }

    /** Queues a control frame; never blocks. After the session ended there is nobody to tell: dropped. */
    void sendControl(byte[] frame) {
        if (trace.on()) Frame.trace(trace, frame);
        try {
            writer.sendControlLater(frame);
        } catch (ConnectionClosedException e) {
            log.debug("mplex {}: control frame dropped, writer closed", connectionId);
        }
    }

    /** Queues a data-lane frame, waiting while the lane is full. */
    void sendData(byte[] frame, long timeoutNanos) throws IOException {
        if (trace.on()) Frame.trace(trace, frame);
        try {
            writer.sendDataLater(frame, timeoutNanos);
        } catch (ConnectionClosedException e) {
            lock.lock();
            try {
                if (closed != null) {
                    throw closedException();
                }
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /** A stream with no open half leaves its map (and frees its slot). */
    void removeStream(MplexStream stream) {
        lock.lock();
        try {
            (stream.peerOpened() ? theirs : ours).remove(stream.id(), stream);
        } finally {
            lock.unlock();
        }
    }

    /** A fresh exception with the session's cause for one caller. Holds the lock. */
    private ConnectionClosedException closedException() {
        return closed.freshCopy();
    }

    /**
     * Ends the session once: every stream and waiter fails with {@code cause}; the writer sends what is queued (or
     * only control frames when {@code dropData}) and closes the channel. Never blocks, so the reader may call it.
     */
    private void closeWith(ConnectionClosedException cause, boolean dropData) {
        closeWith(cause, dropData, null);
    }

    /**
     * As above, but when {@code halfClose} is not null the writer ends with it instead of closing the channel (the
     * first step of a {@link LingeringClose}). True if this call ended the session.
     */
    private boolean closeWith(ConnectionClosedException cause, boolean dropData, Closeable halfClose) {
        List<MplexStream> open;
        lock.lock();
        try {
            if (closed != null) {
                return false;
            }
            closed = cause;
            open = new ArrayList<>(ours.values());
            open.addAll(theirs.values());
            ours.clear();
            theirs.clear();
            acceptQueue.clear();
            acceptable.signalAll();
        } finally {
            lock.unlock();
        }
        log.debug("mplex {}: session closed: {}", connectionId, cause.getMessage(), cause.getCause());
        if (trace.on()) trace.local("mplex").word("flag", "closed").pair("reason", cause.getMessage()).emit();
        for (MplexStream stream : open) {
            stream.terminate(cause);
        }
        writer.finish(null, dropData, halfClose);
        return true;
    }

    // ---- the connection reader

    private void readLoop(FrameReader frames, DuplexStream channel) {
        Handler handler = new Handler();
        try {
            while (frames.nextFrame(handler)) {
                // each frame is dispatched by the handler
            }
            closeWith(new ConnectionClosedException("mplex: connection closed by remote", true,
                    new EOFException("mplex: end of stream")), true);
        } catch (MplexProtocolException e) {
            log.debug("mplex {}: protocol violation: {}", connectionId, e.getMessage());
            closeLingering(new ConnectionClosedException("mplex: session closed on protocol violation", false, e),
                    frames, channel);
        } catch (ResourceLimitException e) {
            log.debug("mplex {}: {}", connectionId, e.getMessage());
            closeLingering(new ConnectionClosedException("mplex: session closed on resource limit", false, e),
                    frames, channel);
        } catch (ConnectionClosedException e) {
            closeWith(e, true);
        } catch (IOException e) {
            closeWith(new ConnectionClosedException("mplex: connection read failed", true, e), true);
        } catch (RuntimeException | Error e) {
            // a bug or an OutOfMemoryError: still end the session, so nobody waits forever on it
            closeWith(new ConnectionClosedException("mplex: reader failed", false, e), true);
            throw e;
        }
    }

    /**
     * Ends the session on the peer's fault with a {@link LingeringClose}: mplex has no go-away to send, but draining
     * the peer's bytes before closing makes the close a FIN, not a TCP reset that can destroy the frames still queued
     * for the peer (the resets of its refused streams).
     */
    private void closeLingering(ConnectionClosedException cause, FrameReader frames, DuplexStream channel) {
        if (closeWith(cause, true, channel::shutdownOutput)) {
            LingeringClose.drainThenClose(frames.input(), channel, writer);
        }
    }

    /** What each received frame does. Reader thread only. */
    private final class Handler implements FrameReader.Handler {
        private long refusalWindowStart; // start of the current one-second window of refused opens
        private int refusedInWindow;

        /**
         * The peer opened a stream. Its name is skipped, as go-mplex does ("not at all useful in the context of
         * libp2p streams"). Past a limit the stream is refused with a Reset (js, rust), and refusing more than
         * {@code disconnectThreshold} in a second closes the session (js: "since there's no backpressure in mplex,
         * the only thing we can really do to protect ourselves is close the connection").
         */
        @Override
        public void newStream(long streamId, int length, InputStream payload) throws IOException {
            FrameReader.skipPayload(payload, length);
            String refused;
            lock.lock();
            try {
                if (closed != null) {
                    return;
                }
                if (theirs.containsKey(streamId)) {
                    // go-mplex ErrInvalidState, rust "Received `Open` frame for open substream": both close.
                    throw new MplexProtocolException("mplex: stream " + streamId + " opened twice");
                }
                if (theirs.size() >= config.maxInboundStreams()) {
                    refused = "too many inbound streams (" + theirs.size() + ")";
                } else if (acceptQueue.size() >= config.acceptBacklog()) {
                    refused = "accept backlog full (" + acceptQueue.size() + ")";
                } else {
                    MplexStream stream = new MplexStream(MplexSession.this, streamId, true, config);
                    theirs.put(streamId, stream);
                    acceptQueue.add(stream);
                    acceptable.signal();
                    return;
                }
            } finally {
                lock.unlock();
            }
            log.debug("mplex {}: stream {} refused: {}", connectionId, streamId, refused);
            // Counted at the refusal, before its reset goes out: what the peer does after the reset is later.
            ResourceLimitException flood = countRefusal();
            sendControl(Frame.empty(streamId, Frame.RESET_RECEIVER));
            if (flood != null) {
                throw flood;
            }
        }

        /** Counts a refusal; the exception that closes the session when it is one too many, else null. */
        private ResourceLimitException countRefusal() {
            long now = config.scheduler().nanoTime();
            if (refusedInWindow == 0 || now - refusalWindowStart >= REFUSAL_WINDOW_NANOS) {
                refusalWindowStart = now;
                refusedInWindow = 0;
            }
            if (++refusedInWindow > config.disconnectThreshold()) {
                return new ResourceLimitException("mplex: peer keeps opening streams past the limits ("
                        + refusedInWindow + " refused within 1 s, threshold " + config.disconnectThreshold() + ")");
            }
            return null;
        }

        /**
         * Data for a stream. For a stream we do not know, or no longer read, it is dropped (go-mplex: "It's likely
         * that we reset it, or simply canceled reads"; rust: "Dropping data for unknown substream"). Data that would
         * pass the stream's buffer bound waits up to {@code slowReaderTimeout} for the application to read (this
         * thread stops reading the connection meanwhile, so TCP holds the peer back), then resets that stream, not
         * the session (go-mplex: "timed out receiving message into stream queue", then {@code Reset}).
         */
        @Override
        public void message(long streamId, boolean peerOpened, int length, InputStream payload) throws IOException {
            MplexStream stream = find(streamId, peerOpened);
            if (stream == null || !stream.readOpen()) {
                FrameReader.skipPayload(payload, length);
                return;
            }
            // Only the application's reads change the buffered size now, and they only shrink it.
            if (!stream.buffer.awaitRoom(length, config.slowReaderTimeout().toNanos())) {
                FrameReader.skipPayload(payload, length);
                overflow(stream, length);
                return;
            }
            byte[] data = FrameReader.readPayload(payload, streamId, length);
            try {
                stream.onMessage(data);
            } catch (ResourceLimitException e) {
                overflow(stream, length); // not expected: awaitRoom saw no more room than there is now
            }
        }

        private void overflow(MplexStream stream, int length) {
            long wouldHold = stream.buffer.size() + length;
            log.debug("mplex {}: stream {} reset, receive buffer full ({} > {} bytes)", connectionId, stream.id(),
                    wouldHold, config.maxBufferedBytes());
            StreamResetException reset = new StreamResetException(stream.id(), 0, false);
            reset.initCause(new ResourceLimitException("mplex: stream " + stream.id() + " receive buffer full ("
                    + wouldHold + " > " + config.maxBufferedBytes() + " bytes): the application reads too slowly"));
            stream.resetWith(reset);
        }

        /** The peer half-closed a stream; unknown streams are ignored (go, js and rust all do). */
        @Override
        public void close(long streamId, boolean peerOpened) {
            MplexStream stream = find(streamId, peerOpened);
            if (stream != null) {
                stream.onClose();
            }
        }

        /** The peer reset a stream; unknown streams are ignored (go-mplex: "We forget the stream on reset"). */
        @Override
        public void reset(long streamId, boolean peerOpened) {
            MplexStream stream = find(streamId, peerOpened);
            if (stream != null) {
                stream.onReset();
            }
        }

        private MplexStream find(long streamId, boolean peerOpened) {
            lock.lock();
            try {
                return (peerOpened ? theirs : ours).get(streamId);
            } finally {
                lock.unlock();
            }
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
