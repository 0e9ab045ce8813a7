package weft.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import weft.connection.Connection;
import weft.io.Deadline;
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
 * <pre>{@code
 * HostStream s = host.newStream(peer, "/chat/2.0.0", "/chat/1.0.0");
 * boolean modern = s.protocol().equals("/chat/2.0.0");
 * }</pre>
 */
public final class HostStream implements MuxedStream {
    private final MuxedStream stream;
    private final String protocol;
    private final Connection connection;

    HostStream(MuxedStream stream, String protocol, Connection connection) {
        this.stream = stream;
        this.protocol = protocol;
        this.connection = connection;
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
            return new HostStream(stream, selected, connection);
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
        return stream.input();
    }

    @Override
    public OutputStream output() {
        return stream.output();
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        return stream.read(buf, off, len);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        stream.write(buf, off, len);
    }

    @Override
    public void closeWrite() throws IOException {
        stream.closeWrite();
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
        stream.close();
    }

    @Override
    public String toString() {
        return "HostStream[" + protocol + " #" + stream.id() + " to " + connection.remotePeer() + "]";
    }
}
