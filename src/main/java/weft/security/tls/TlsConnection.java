package weft.security.tls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.ProtocolViolationException;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.io.Deadline;
import weft.io.DuplexStream;
import weft.io.StreamViews;
import weft.security.SecureConnection;
import weft.trace.Trace;

/**
 * The TLS 1.3 record layer after a libp2p TLS handshake, as a {@link SecureConnection}.
 *
 * <ul>
 *   <li>{@code write} of any size is sealed into records of at most 16 KiB of plaintext (RFC 8446 §5.1,
 *       "The length MUST NOT exceed 2^14 bytes"), up to {@value RecordLayer#MAX_BATCH_RECORDS} records per stream
 *       write. A zero-length write sends nothing.
 *   <li>{@code read} delivers plaintext across record boundaries; it returns -1 after the peer's
 *       {@code close_notify}, or when the stream ends between records.
 *   <li>A record that fails authentication, or an alert from the peer, throws {@link ProtocolViolationException};
 *       a stream that ends inside a record throws {@link EOFException}. The connection is then closed and every
 *       later call fails with {@link ConnectionClosedException}.
 *   <li>{@link #close()} sends {@code close_notify} (unless a write is in progress), waiting at most
 *       {@link #CLOSE_NOTIFY_TIMEOUT} for the stream to take it, then closes the stream.
 * </ul>
 *
 * <p><b>Threads.</b> One reader thread and one writer thread, as the connection reader and writer of
 * {@code weft/io}: reads may run concurrently with writes, never two reads, nor two writes, at a time (see
 * {@link RecordLayer} for why the engine allows it). {@link #close()} may be called from any thread and wakes both
 * by closing the insecure stream.
 */
final class TlsConnection implements SecureConnection {
    /** go's {@code crypto/tls} gives {@code close_notify} 5 s to leave ({@code Conn.closeNotify}, conn.go). */
    static final Duration CLOSE_NOTIFY_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(TlsConnection.class);

    private final DuplexStream insecure;
    private final RecordLayer records;
    private final PeerId localPeer;
    private final PeerId remotePeer;
    private final PublicKey remoteKey;
    private final Optional<String> muxer;
    private final InputStream input;
    private final OutputStream output;

    private volatile boolean closed;
    private volatile IOException failure; // the first read or write failure; later calls fail with it as cause

    TlsConnection(DuplexStream insecure, RecordLayer records, PeerId localPeer, PeerId remotePeer, PublicKey remoteKey,
            Optional<String> muxer) {
        this.insecure = insecure;
        this.records = records;
        this.localPeer = localPeer;
        this.remotePeer = remotePeer;
        this.remoteKey = remoteKey;
        this.muxer = muxer;
        this.input = StreamViews.input(this::read, records::available, this::close);
        this.output = StreamViews.output(this::write, insecure.output()::flush, this::close);
    }

    /** Reads up to {@code len} bytes, blocking until at least one is there; -1 at the end of the stream. */
    int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        if (len == 0) {
            return 0;
        }
        try {
            return records.read(b, off, len);
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /** Seals and sends all {@code len} bytes. */
    void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        if (len == 0) {
            return;
        }
        try {
            records.write(b, off, len);
        } catch (IOException e) {
            throw fail(e);
        }
    }

    private void checkOpen() throws IOException {
        IOException cause = failure;
        if (cause != null) {
            throw new ConnectionClosedException("tls: connection failed earlier: " + cause.getMessage(), cause);
        }
        if (closed) {
            throw new ConnectionClosedException("tls: connection closed locally", null);
        }
    }

    /**
     * Records the first failure and closes the connection: a TLS session cannot resynchronise. A call that was
     * blocked when {@link #close()} ran gets a {@link ConnectionClosedException} rather than the stream's error.
     */
    private IOException fail(IOException e) {
        if (closed && failure == null) {
            return new ConnectionClosedException("tls: connection closed locally", e);
        }
        IOException typed = e instanceof SSLException ? new ProtocolViolationException(tlsMessage(e), e) : e;
        if (failure == null) {
            failure = typed;
            log.debug("tls: connection to {} failed: {}", remotePeer, e.getMessage());
        }
        closeStream();
        return typed;
    }

    /** The message of an engine exception, prefixed {@code tls: } once. */
    private static String tlsMessage(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("tls: ") ? message : "tls: " + message;
    }

    /** Sends {@code close_notify} if the connection is healthy, then closes the stream. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failure == null) {
            Deadline deadline = Deadline.closeAfter(CLOSE_NOTIFY_TIMEOUT, insecure);
            try {
                records.sendCloseNotify();
            } catch (IOException e) {
                log.debug("tls: could not send close_notify to {}: {}", remotePeer, e.getMessage());
            } finally {
                deadline.close();
            }
        }
        insecure.close();
    }

    private void closeStream() {
        closed = true;
        try {
            insecure.close();
        } catch (IOException ignored) {
            // already failing; the caller gets the original exception
        }
    }

    /** The trace of the stream under it: TLS adds no connection of its own. */
    @Override
    public Trace trace() {
        return insecure.trace();
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
    public PeerId localPeer() {
        return localPeer;
    }

    @Override
    public PeerId remotePeer() {
        return remotePeer;
    }

    @Override
    public PublicKey remotePublicKey() {
        return remoteKey;
    }

    @Override
    public String protocolId() {
        return TlsSecureChannel.PROTOCOL_ID;
    }

    @Override
    public Optional<String> negotiatedMuxer() {
        return muxer;
    }

    @Override
    public String toString() {
        return "TlsConnection[" + localPeer + " <-> " + remotePeer + "]";
    }
}
