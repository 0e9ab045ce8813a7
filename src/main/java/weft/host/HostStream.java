package weft.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import weft.connection.Connection;
import weft.io.Deadline;
import weft.io.DuplexStream;
import weft.multistream.MultistreamSelect;
import weft.mux.ErrorCode;
import weft.mux.MuxedStream;
import weft.trace.Trace;

/**
 * A stream we opened with {@link Host#newStream}, after multistream-select agreed on a protocol: the muxed stream
 * itself (every call goes straight to it) plus the protocol the peer accepted and the connection it runs on.
 * In multistream-select 1.0 the responder accepts a proposal by echoing its id and refuses it with {@code na}, and
 * the initiator may then propose the next; {@link #protocol()} is the first proposal the peer echoed. (go-libp2p's
 * {@code host.NewStream(ctx, peer, pids...)} likewise returns a stream whose {@code Protocol()} is the one chosen.)
 *
 * <p>When the peer's identify already listed a protocol we propose, the stream selects it optimistically
 * ({@link #openOptimistic}, go-libp2p's {@code NewStream} does the same with {@code msmux.NewMSSelect} for its
 * "preferred protocol"; go-multistream {@code lazyClient.go}): header and proposal ride on the first write and
 * the first read checks the echo, so a request-response protocol takes one round trip instead of two. A peer that
 * declines anyway (its handler went away since identify) answers {@code na}: the data sent behind the proposal is
 * lost, and the first read throws {@link weft.multistream.ProtocolNotSupportedException}, as does every read after
 * it.
 *
 * <pre>{@code
 * HostStream s = host.newStream(peer, "/chat/2.0.0", "/chat/1.0.0");
 * boolean modern = s.protocol().equals("/chat/2.0.0");
 * }</pre>
 */
public final class HostStream implements MuxedStream {
    private final MuxedStream stream;
    private final String protocol;
    private final Connection connection;
    /** The optimistic selection wrapped around {@code stream}, or null when the protocol was agreed before. */
    private final DuplexStream optimistic;

    private HostStream(MuxedStream stream, String protocol, Connection connection, DuplexStream optimistic) {
        this.stream = stream;
        this.protocol = protocol;
        this.connection = connection;
        this.optimistic = optimistic;
    }

    /**
     * Opens a stream on {@code connection} and proposes {@code protocol} without waiting for the answer
     * ({@link MultistreamSelect#selectLazily}): the peer's identify said it speaks it.
     */
    static HostStream openOptimistic(Connection connection, String protocol) throws IOException {
        MuxedStream stream = connection.openStream();
        return new HostStream(stream, protocol, connection, MultistreamSelect.selectLazily(stream, protocol));
    }

    /**
     * Opens a stream on {@code connection} and proposes {@code proposals} in order. A negotiation longer than
     * {@code timeout} resets the stream with {@link ErrorCode#PROTOCOL_NEGOTIATION_FAILED} and throws
     * {@link SocketTimeoutException}; any other failure resets it and is rethrown.
     */
    static HostStream open(Connection connection, List<String> proposals, Duration timeout) throws IOException {
        if (proposals.isEmpty()) {
            throw new IllegalArgumentException("host: no protocol to propose");
        }
        MuxedStream stream = connection.openStream();
        Deadline deadline = Deadline.closeAfter(timeout, () -> stream.reset(ErrorCode.PROTOCOL_NEGOTIATION_FAILED));
        try {
            String selected = MultistreamSelect.select(stream, proposals);
            deadline.close();
            if (deadline.expired()) {
                throw timedOut(proposals, connection, timeout, null);
            }
            return new HostStream(stream, selected, connection, null);
        } catch (IOException | RuntimeException e) {
            deadline.close();
            stream.reset();
            if (deadline.expired() && !(e instanceof SocketTimeoutException)) {
                throw timedOut(proposals, connection, timeout, e);
            }
            throw e;
        }
    }

    private static SocketTimeoutException timedOut(List<String> proposals, Connection connection, Duration timeout,
            Throwable cause) {
        String protocol = proposals.size() == 1 ? proposals.get(0) : proposals.toString();
        SocketTimeoutException e = new SocketTimeoutException("host: negotiating " + protocol + " with "
                + connection.remotePeer() + " timed out (" + timeout.toMillis() + " ms)");
        e.initCause(cause);
        return e;
    }

    /** The protocol id both sides agreed on. */
    public String protocol() {
        return protocol;
    }

    /** The connection this stream is multiplexed on (remote peer, addresses, security and muxer). */
    public Connection connection() {
        return connection;
    }

    @Override
    public long id() {
        return stream.id();
    }

    @Override
    public Trace trace() {
        return stream.trace();
    }

    @Override
    public InputStream input() {
        return optimistic == null ? stream.input() : optimistic.input();
    }

    @Override
    public OutputStream output() {
        return optimistic == null ? stream.output() : optimistic.output();
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        return optimistic == null ? stream.read(buf, off, len) : optimistic.input().read(buf, off, len);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        if (optimistic == null) {
            stream.write(buf, off, len);
        } else {
            optimistic.output().write(buf, off, len);
        }
    }

    /** Half-closes; an optimistic stream that wrote nothing yet sends its proposal first. */
    @Override
    public void closeWrite() throws IOException {
        if (optimistic == null) {
            stream.closeWrite();
        } else {
            optimistic.shutdownOutput();
        }
    }

    @Override
    public void reset() {
        stream.reset();
    }

    @Override
    public void reset(int errorCode) {
        stream.reset(errorCode);
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        stream.setReadTimeout(timeout);
    }

    @Override
    public void setWriteTimeout(Duration timeout) {
        stream.setWriteTimeout(timeout);
    }

    @Override
    public void close() throws IOException {
        if (optimistic == null) {
            stream.close();
        } else {
            optimistic.close();
        }
    }

    @Override
    public String toString() {
        return "HostStream[" + protocol + " #" + stream.id() + " to " + connection.remotePeer() + "]";
    }
}
