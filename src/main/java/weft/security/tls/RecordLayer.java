package weft.security.tls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.io.DuplexStream;

/**
 * Drives an {@link SSLEngine} over a blocking {@link DuplexStream}: the engine only transforms buffers (it
 * {@code wrap}s plaintext into TLS records and {@code unwrap}s records into plaintext) and this class moves the
 * records between its buffers and the stream. Used first for the handshake, then as the record layer of a
 * {@link TlsConnection}.
 *
 * <p>Buffers, all heap, allocated once at the sizes the engine asks for ({@code getPacketBufferSize} for records,
 * about 16.7 KB; {@code getApplicationBufferSize} for plaintext) and reused:
 * <ul>
 *   <li>{@code netIn}: ciphertext read from the stream and not yet unwrapped. Reads take whatever the stream has
 *       (up to the buffer's room), so bytes past the handshake (a client's first records, sent right behind its
 *       {@code Finished}) stay here and are unwrapped by the connection: after the handshake this layer owns the
 *       stream.
 *   <li>{@code appIn}: plaintext unwrapped and not yet delivered.
 *   <li>{@code netOut}: sealed records not yet written; up to {@value #MAX_BATCH_RECORDS} records (one per
 *       {@code wrap}) go to the stream in one write, so a server's whole flight ({@code ServerHello} to
 *       {@code Finished}) leaves in one write, and a large write in few.
 * </ul>
 *
 * <p><b>Threads.</b> During the handshake only the handshake thread calls in. Afterwards one reader thread calls
 * {@link #read} and one writer thread {@link #write}; the {@code SSLEngine} documentation allows that: "The
 * {@code wrap()} and {@code unwrap()} methods may execute concurrently of each other", and asks that "generated
 * packets are delivered in sequence". (Bouncy Castle's engine serialises the two internally on its monitor, for
 * the length of one record's crypto; no stream IO happens inside an engine call, so that monitor is always the
 * innermost lock and never held across a blocking read or write.) So every {@code wrap} and the stream write of its output happen under
 * {@code sendLock}: the writer's data, the reader's rare post-handshake answer (a TLS 1.3 {@code KeyUpdate} the
 * peer asked for) and {@code close_notify} reach the stream in the order they were sealed.
 */
final class RecordLayer {
    /** How many records one stream write may carry (weft's choice, as Noise's 4 messages): about 67 KB. */
    static final int MAX_BATCH_RECORDS = 4;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final Logger log = LoggerFactory.getLogger(RecordLayer.class);

    private final SSLEngine engine;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final int packetSize;
    /** A cap on buffer growth, should the engine ask for more than the sizes it reported (weft's choice). */
    private final int maxBuffer;

    // handshake thread, then reader thread only
    private ByteBuffer netIn; // read mode: position..limit is ciphertext not yet unwrapped
    private ByteBuffer appIn; // read mode: position..limit is plaintext not yet delivered
    private boolean inboundDone; // close_notify received

    private final ReentrantLock sendLock = new ReentrantLock();
    // guarded by sendLock (during the handshake, the handshake thread is the only one)
    private ByteBuffer netOut; // write mode: 0..position is sealed, not yet written

    RecordLayer(SSLEngine engine, DuplexStream insecure) {
        this.engine = engine;
        this.rawIn = insecure.input();
        this.rawOut = insecure.output();
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.maxBuffer = 2 * MAX_BATCH_RECORDS * packetSize;
        this.netIn = ByteBuffer.allocate(packetSize).flip();
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(MAX_BATCH_RECORDS * packetSize); // a whole handshake flight fits
    }

    /**
     * Runs the engine's handshake to its end: wraps and sends each flight in one write, reads and unwraps the
     * peer's, runs the engine's delegated tasks on this thread. Returns once the engine reports
     * {@code FINISHED}; then application data may flow.
     */
    void handshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (true) {
            switch (status) {
                case NEED_WRAP -> status = wrapHandshake();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    sendFlight(); // our flight goes out before we wait for theirs
                    status = unwrapHandshake();
                }
                case NEED_TASK -> status = runTasks();
                case FINISHED, NOT_HANDSHAKING -> {
                    sendFlight();
                    return;
                }
            }
        }
    }

    /**
     * Sends our flight. When that fails because the peer already closed, the reason is usually the alert it sent
     * first, still unread in {@code netIn}: that alert is the failure to report.
     */
    private void sendFlight() throws IOException {
        try {
            sendPending();
        } catch (IOException writeFailure) {
            SSLException alert = bufferedAlert();
            if (alert == null) {
                throw writeFailure;
            }
            alert.addSuppressed(writeFailure);
            throw alert;
        }
    }

    /** Unwraps the records already buffered, without reading more; returns the exception a fatal alert raises. */
    private SSLException bufferedAlert() {
        try {
            while (netIn.hasRemaining()) {
                appIn.compact();
                SSLEngineResult result;
                try {
                    result = engine.unwrap(netIn, appIn);
                } finally {
                    appIn.flip();
                }
                if (result.getStatus() != Status.OK || result.bytesConsumed() == 0) {
                    return null;
                }
            }
            return null;
        } catch (SSLException e) {
            return e;
        }
    }

    private HandshakeStatus wrapHandshake() throws IOException {
        makeRoomForRecord();
        SSLEngineResult result = engine.wrap(EMPTY, netOut);
        if (result.getStatus() == Status.CLOSED) {
            sendPending(); // the engine's alert
            throw new SSLException("tls: engine closed during the handshake");
        }
        if (result.getStatus() == Status.BUFFER_OVERFLOW) {
            growNetOut();
        }
        return result.getHandshakeStatus();
    }

    private HandshakeStatus unwrapHandshake() throws IOException {
        SSLEngineResult result = unwrap();
        if (result == null) {
            throw new EOFException("tls: stream ended during the handshake (" + netIn.remaining()
                    + " bytes of an unfinished record)");
        }
        if (result.getStatus() == Status.CLOSED) {
            throw new SSLException("tls: peer closed the connection during the handshake");
        }
        return result.getHandshakeStatus();
    }

    private HandshakeStatus runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }

    /**
     * Reads up to {@code len} plaintext bytes, blocking until at least one is there. Returns -1 once the peer sent
     * {@code close_notify}, and also when the stream ends between records (go's {@code crypto/tls} returns
     * {@code io.EOF} there too); a stream that ends inside a record throws {@link EOFException}.
     */
    int read(byte[] b, int off, int len) throws IOException {
        while (!appIn.hasRemaining()) {
            if (inboundDone) {
                return -1;
            }
            SSLEngineResult result = unwrap();
            if (result == null) {
                if (netIn.hasRemaining()) {
                    throw new EOFException("tls: stream ended inside a record (" + netIn.remaining() + " bytes)");
                }
                return -1;
            }
            if (result.getStatus() == Status.CLOSED) {
                inboundDone = true;
                log.debug("tls: received close_notify");
                return -1;
            }
            afterPostHandshakeUnwrap(result.getHandshakeStatus());
        }
        int n = Math.min(len, appIn.remaining());
        appIn.get(b, off, n);
        return n;
    }

    /** The plaintext bytes that can be read without blocking. */
    int available() {
        return appIn.remaining();
    }

    /**
     * A record after the handshake may be a post-handshake message: a {@code NewSessionTicket} (consumed by the
     * engine), or a {@code KeyUpdate} whose answer the engine now needs sent.
     */
    private void afterPostHandshakeUnwrap(HandshakeStatus status) throws IOException {
        if (status == HandshakeStatus.NEED_TASK) {
            status = runTasks();
        }
        if (status == HandshakeStatus.NEED_WRAP) {
            sendLock.lock();
            try {
                while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    makeRoomForRecord();
                    if (engine.wrap(EMPTY, netOut).bytesProduced() == 0) {
                        break;
                    }
                }
                sendPending();
            } finally {
                sendLock.unlock();
            }
        }
    }

    /**
     * One {@code unwrap} from {@code netIn} into {@code appIn}, reading more from the stream while the engine needs
     * more bytes for a whole record. Returns null when the stream ended first.
     */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            appIn.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            switch (result.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    if (!fill()) {
                        return null;
                    }
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize(), true);
                case OK, CLOSED -> {
                    if (log.isTraceEnabled()) {
                        log.trace("tls: unwrapped {} record bytes into {} plaintext bytes", result.bytesConsumed(),
                                result.bytesProduced());
                    }
                    return result;
                }
            }
        }
    }

    /** Reads what the stream has (at least one byte) into {@code netIn}; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (netIn.limit() == netIn.capacity() && netIn.position() == 0) {
            netIn = grow(netIn, engine.getSession().getPacketBufferSize(), true); // a record larger than we hold
        }
        netIn.compact();
        try {
            int n = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
            if (n < 0) {
                return false;
            }
            netIn.position(netIn.position() + n);
            return true;
        } finally {
            netIn.flip();
        }
    }

    /** A larger copy of a buffer (in read mode when {@code readMode}), or an exception past {@link #maxBuffer}. */
    private ByteBuffer grow(ByteBuffer buffer, int wanted, boolean readMode) throws SSLException {
        int size = Math.max(wanted, 2 * buffer.capacity());
        if (buffer.capacity() >= maxBuffer) {
            throw new SSLException("tls: engine wants a buffer larger than " + maxBuffer + " bytes");
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.min(size, maxBuffer));
        if (readMode) {
            bigger.put(buffer).flip();
        } else {
            bigger.put(buffer.flip());
        }
        return bigger;
    }

    /** Seals and sends all {@code len} bytes, in records of at most 16 KiB of plaintext. */
    void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer source = ByteBuffer.wrap(b, off, len);
        sendLock.lock();
        try {
            while (source.hasRemaining()) {
                makeRoomForRecord();
                SSLEngineResult result = engine.wrap(source, netOut);
                switch (result.getStatus()) {
                    case CLOSED -> throw new ConnectionClosedException("tls: connection closed for writing", null);
                    case BUFFER_OVERFLOW -> growNetOut();
                    default -> { }
                }
            }
            sendPending();
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends {@code close_notify} ("the sender will not send any more messages on this connection", RFC 8446
     * §6.1) unless a write is in progress: a writer blocked on a stalled peer must not make close wait too.
     */
    void sendCloseNotify() throws IOException {
        if (!sendLock.tryLock()) {
            return;
        }
        try {
            engine.closeOutbound();
            sendAlerts();
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * After a failed handshake, sends the alert the engine queued (e.g. {@code bad_certificate}), so the peer
     * learns why; best effort.
     */
    void sendPendingAlertQuietly() {
        sendLock.lock();
        try {
            sendAlerts();
        } catch (IOException | RuntimeException ignored) {
            // the handshake already failed; that failure is what the caller needs
        } finally {
            sendLock.unlock();
        }
    }

    private void sendAlerts() throws IOException {
        for (int i = 0; i < 4 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
            makeRoomForRecord();
            if (engine.wrap(EMPTY, netOut).bytesProduced() == 0) {
                break;
            }
        }
        sendPending();
    }

    /** Writes out {@code netOut} first if it has no room for one more whole record. */
    private void makeRoomForRecord() throws IOException {
        if (netOut.remaining() < packetSize) {
            sendPending();
        }
    }

    private void growNetOut() throws IOException {
        if (netOut.position() > 0) {
            sendPending();
        } else {
            netOut = grow(netOut, engine.getSession().getPacketBufferSize(), false);
        }
    }

    /** Writes the sealed records in {@code netOut} to the stream in one write, and flushes it. */
    private void sendPending() throws IOException {
        if (netOut.position() > 0) {
            if (log.isTraceEnabled()) {
                log.trace("tls: sending {} record bytes", netOut.position());
            }
            rawOut.write(netOut.array(), netOut.arrayOffset(), netOut.position());
            rawOut.flush();
            netOut.clear();
        }
    }
}
