package weft.transport.webrtc;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.Rethrowable;
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;
import weft.trace.Trace;
import weft.transport.webrtc.sctp.Association;

/**
 * The streams of one WebRTC connection: each libp2p stream is one data channel (webrtc/README.md, Multiplexing),
 * opened in band with DCEP (RFC 8832) on an SCTP stream, plus the negotiated channel 0 for the Noise handshake.
 *
 * <p>Stream ids: RFC 8832 section 6, "The DTLS client MUST use even stream identifiers, the DTLS server MUST use
 * odd stream identifiers." A WebRTC-direct listener is the DTLS server, so its streams are 1, 3, 5, ...; an id is
 * used again once both directions of its SCTP stream were reset ("Streams are available for reuse after a reset
 * has been performed", RFC 8831 section 6.7).
 *
 * <p>Threads: the association calls {@link #onMessage} and the other {@link Association.Handler} methods on its
 * delivery thread; they never block (DCEP ACKs and FIN_ACKs go out with {@link Association#offer}).
 * {@link #openStream} and {@link #acceptStream} block on application threads.
 */
final class DataChannelConnection implements MuxedConnection, Association.Handler {
    private static final Logger log = LoggerFactory.getLogger(DataChannelConnection.class);
    /** The negotiated channel of the Noise handshake (webrtc-direct.md: "{@code negotiated: true, id: 0}"). */
    static final int HANDSHAKE_CHANNEL = 0;

    private final boolean dtlsClient;
    private final DataChannelConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition acceptable = lock.newCondition();
    private final Map<Integer, DataChannelStream> streams = new HashMap<>(); // guarded by lock
    private final Set<Integer> resetOut = new HashSet<>(); // guarded by lock: our side of the id was reset
    private final Set<Integer> resetIn = new HashSet<>(); // guarded by lock: the peer's side was reset
    private final Set<Integer> resetRequested = new HashSet<>(); // guarded by lock: we asked to reset ours
    private final ArrayDeque<DataChannelStream> accepted = new ArrayDeque<>(); // guarded by lock
    private final DataChannelStream handshake;
    private final Trace trace;
    private int nextId; // guarded by lock
    private IOException closed; // guarded by lock
    private volatile Association association;

    /**
     * @param dtlsClient our DTLS role, which picks the stream id parity
     * @param config the stream limit, each stream's receive bound and the timeouts
     */
    DataChannelConnection(boolean dtlsClient, DataChannelConfig config) {
        this(dtlsClient, config, Trace.OFF);
    }

    /** As above, reporting to {@code trace}: the association's start and end, DCEP, each channel's frames. */
    DataChannelConnection(boolean dtlsClient, DataChannelConfig config, Trace trace) {
        this.trace = trace;
        this.dtlsClient = dtlsClient;
        this.config = config;
        this.nextId = dtlsClient ? 2 : 1;
        this.handshake = new DataChannelStream(HANDSHAKE_CHANNEL, this, config);
        streams.put(HANDSHAKE_CHANNEL, handshake);
    }

    /** Binds the association this connection is the handler of; before any packet reaches it. */
    void attach(Association association) {
        this.association = association;
    }

    /** The connection's trace; each channel's adds its stream id. */
    Trace trace() {
        return trace;
    }

    /** Channel 0, negotiated out of band, which carries the Noise handshake. */
    MuxedStream handshakeChannel() {
        return handshake;
    }

    @Override
    public MuxedStream openStream() throws IOException {
        DataChannelStream stream;
        lock.lock();
        try {
            throwIfClosed();
            if (streams.size() >= config.maxStreams()) {
                throw new weft.ResourceLimitException("webrtc: too many open streams (" + streams.size() + ")");
            }
            int id = nextId;
            while (streams.containsKey(id) || resetOut.contains(id) || resetIn.contains(id)) {
                id = next(id);
            }
            nextId = next(id);
            stream = new DataChannelStream(id, this, config);
            streams.put(id, stream);
        } finally {
            lock.unlock();
        }
        if (trace.on()) WebRtcTrace.dcep(stream.trace(), true, Dcep.LIBP2P_OPEN.encode());
        association.send((int) stream.id(), Dcep.PPID_DCEP, Dcep.LIBP2P_OPEN.encode(), false);
        return stream;
    }

    private int next(int id) {
        int candidate = id + 2;
        return candidate > 65534 ? (dtlsClient ? 2 : 1) : candidate;
    }

    @Override
    public MuxedStream acceptStream() throws IOException {
        lock.lock();
        try {
            while (accepted.isEmpty()) {
                throwIfClosed();
                acceptable.await();
            }
            return accepted.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("webrtc: interrupted while accepting a stream");
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

    /** Closes every stream and shuts the association down gracefully. */
    @Override
    public void close() {
        end(new ConnectionClosedException("webrtc: connection closed", false, null));
        association.shutdown();
    }

    private void throwIfClosed() throws IOException {
        if (closed != null) {
            throw Rethrowable.freshCopyOf(closed);
        }
    }

    @Override
    public void onEstablished() {
        log.debug("webrtc: sctp association established");
        if (trace.on()) WebRtcTrace.association(trace, "established", null);
    }

    @Override
    public void onMessage(int streamId, int ppid, byte[] payload) {
        DataChannelStream stream;
        lock.lock();
        try {
            stream = streams.get(streamId);
        } finally {
            lock.unlock();
        }
        switch (ppid) {
            case Dcep.PPID_DCEP -> {
                if (trace.on()) WebRtcTrace.dcep(trace.stream(streamId), false, payload);
                association.consumed(payload.length);
                if (payload.length > 0 && payload[0] == Dcep.OPEN && stream == null) {
                    onOpen(streamId, payload);
                }
            }
            case Dcep.PPID_BINARY, Dcep.PPID_STRING -> {
                if (stream != null) {
                    stream.onMessage(payload);
                } else {
                    association.consumed(payload.length);
                }
            }
            default -> association.consumed(payload.length); // empty-message markers (56, 57) and the unknown
        }
    }

    private void onOpen(int streamId, byte[] payload) {
        try {
            Dcep.decodeOpen(payload);
        } catch (weft.ProtocolViolationException e) {
            log.debug("webrtc: stream {}: {}", streamId, e.getMessage());
            association.resetStream(streamId);
            return;
        }
        boolean refused = false;
        lock.lock();
        try {
            if (closed != null || streams.size() >= config.maxStreams() || (streamId % 2 == 0) != !dtlsClient) {
                refused = true; // too many, or an id of our own parity
            } else {
                resetIn.remove(streamId);
                resetOut.remove(streamId);
                resetRequested.remove(streamId);
                DataChannelStream stream = new DataChannelStream(streamId, this, config);
                streams.put(streamId, stream);
                accepted.add(stream);
                acceptable.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (refused) {
            resetOnce(streamId);
            return;
        }
        if (trace.on()) WebRtcTrace.dcep(trace.stream(streamId), true, Dcep.ack());
        association.offer(streamId, Dcep.PPID_DCEP, Dcep.ack());
    }

    @Override
    public void onIncomingStreamReset(int streamId) {
        DataChannelStream stream;
        lock.lock();
        try {
            stream = streams.get(streamId);
            resetIn.add(streamId);
            release(streamId);
        } finally {
            lock.unlock();
        }
        if (stream != null) {
            stream.onChannelClosedByRemote();
        } else {
            resetOnce(streamId);
        }
    }

    @Override
    public void onOutgoingStreamReset(int streamId) {
        lock.lock();
        try {
            resetOut.add(streamId);
            release(streamId);
        } finally {
            lock.unlock();
        }
    }

    /** Frees an id whose both directions were reset. Caller holds the lock. */
    private void release(int streamId) {
        if (resetIn.contains(streamId) && resetOut.contains(streamId)) {
            resetIn.remove(streamId);
            resetOut.remove(streamId);
            resetRequested.remove(streamId);
            streams.remove(streamId);
        }
    }

    @Override
    public void onClosed(IOException cause) {
        end(cause != null ? cause : new ConnectionClosedException("webrtc: connection closed by remote", true, null));
    }

    private void end(IOException cause) {
        List<DataChannelStream> all;
        lock.lock();
        try {
            if (closed != null) {
                return;
            }
            closed = cause instanceof ConnectionClosedException ? cause
                    : new ConnectionClosedException("webrtc: connection failed", cause);
            all = new ArrayList<>(streams.values());
            acceptable.signalAll();
        } finally {
            lock.unlock();
        }
        if (trace.on()) WebRtcTrace.association(trace, "closed", closed.getMessage());
        all.forEach(s -> s.onConnectionClosed(closed));
    }

    /**
     * Sends one frame, waiting at most {@code timeoutNanos} (zero: without bound) for room in the association's send
     * buffer and within the stream's own {@link DataChannelConfig#streamSendBuffer}; {@code guard} ends the wait when
     * the stream can no longer send (see {@link #wakeSenders}).
     */
    void send(int streamId, byte[] frame, long timeoutNanos, Association.Guard guard) throws IOException {
        association.send(streamId, Dcep.PPID_BINARY, frame, false, timeoutNanos, config.streamSendBuffer(), guard);
        if (trace.on()) WebRtcTrace.frames(trace.stream(streamId), true, frame);
    }

    /** A stream's guard changed its answer (it was reset, or its channel closed): its waiting writer looks again. */
    void wakeSenders() {
        association.wakeSenders();
    }

    void offer(int streamId, byte[] frame) {
        if (trace.on()) WebRtcTrace.frames(trace.stream(streamId), true, frame);
        association.offer(streamId, Dcep.PPID_BINARY, frame);
    }

    void consumed(int bytes) {
        if (bytes > 0) {
            association.consumed(bytes);
        }
    }

    /** A stream finished or was reset: close its channel by resetting our outgoing SCTP stream, once. */
    void closeChannel(int streamId) {
        resetOnce(streamId);
    }

    private void resetOnce(int streamId) {
        lock.lock();
        try {
            if (!resetRequested.add(streamId)) {
                return;
            }
        } finally {
            lock.unlock();
        }
        association.resetStream(streamId);
    }
}
