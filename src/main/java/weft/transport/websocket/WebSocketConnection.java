package weft.transport.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.io.Deadline;
import weft.multiformats.Multiaddr;
import weft.transport.RawConnection;

/**
 * A WebSocket connection after the opening handshake, seen as one byte stream: the libp2p connection rides on
 * the payloads of the messages, and message boundaries mean nothing (go-libp2p's {@code websocket/conn.go} reads
 * across messages the same way).
 *
 * <p>Reading ({@link #input()}, one thread) walks the frames: data frames ({@code binary}, and {@code text}, which
 * js-libp2p and go-libp2p also take as bytes; continuation frames of a fragmented message) give their payload,
 * unmasked when the peer is a client. Control frames between them are handled on the spot: "Upon receipt of a
 * Ping frame, an endpoint MUST send a Pong frame in response" (RFC 6455 §5.5.2); a Pong is ignored; "If an
 * endpoint receives a Close frame and did not previously send a Close frame, the endpoint MUST send a Close frame
 * in response" (§5.5.1), after which the input ends. A rule broken by the peer fails the connection: we send a
 * Close frame with the code of the {@link WebSocketProtocolException} and throw it.
 *
 * <p>Writing ({@link #output()}, one thread) sends each {@code write} as binary frames of at most
 * {@link #MAX_WRITE_PAYLOAD} bytes (one frame for one write of the Noise layer), header and payload copied into
 * one buffer and sent in one socket write (sockets have {@code TCP_NODELAY}: no tiny header packets).
 * A client masks every frame with a fresh key from a {@link SecureRandom} ("The masking key needs to be
 * unpredictable", §5.3).
 *
 * <p>Two threads may send frames: the writer (data) and the reader (Pong, Close). Every frame goes out under
 * {@link #writeLock}, so frames never interleave. The reader never waits for that lock: it leaves its control
 * frame in {@link #pendingControl} and sends it only if the lock is free; otherwise the writer sends it as soon as
 * its own frame is out. So a reader is never stuck behind a writer blocked on a full socket.
 */
final class WebSocketConnection implements RawConnection {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    /**
     * The largest payload of one frame we write: what the Noise layer hands down in one write, 4 messages of
     * 2 + 65535 bytes ({@code NoiseConnection.MAX_BATCH_MESSAGES}; noise spec: 65535-byte messages). So one write
     * from above is one frame and one socket write; a larger write becomes several frames.
     */
    static final int MAX_WRITE_PAYLOAD = 4 * (2 + 65535);
    /** The frame buffer starts this small and grows to the largest write seen, so idle connections stay light. */
    static final int INITIAL_WRITE_BUFFER = 16 * 1024;
    /** RFC 6455 §7.4.1: "1000 indicates a normal closure". */
    static final int NORMAL_CLOSURE = 1000;
    /** How long {@link #close()} may spend sending its Close frame: go-libp2p's {@code GracefulCloseTimeout} (conn.go). */
    static final Duration CLOSE_TIMEOUT = Duration.ofMillis(100);

    /** A control frame waiting to be sent. */
    private record Control(int opcode, byte[] payload) {}

    private final Socket socket;
    private final InputStream socketIn;
    private final OutputStream socketOut;
    private final boolean client;
    private final long maxPayload;
    private final Multiaddr local;
    private final Multiaddr remote;
    private final FrameInput input = new FrameInput();
    private final FrameOutput output = new FrameOutput();
    private final AtomicBoolean closed = new AtomicBoolean();

    private final ReentrantLock writeLock = new ReentrantLock();
    /** Header plus payload of the frame being written. Guarded by writeLock. */
    private byte[] frameBuffer = new byte[INITIAL_WRITE_BUFFER];
    /** Masking keys (client only). Guarded by writeLock. */
    private final SecureRandom random;
    /** Guarded by writeLock. */
    private boolean closeSent;
    /** A Pong or Close the reader asked for; a Close replaces a Pong (§5.5.3: a Pong for only the latest Ping). */
    private final AtomicReference<Control> pendingControl = new AtomicReference<>();

    /**
     * @param socketIn the buffered input the handshake read from (it may hold the first frames already)
     * @param client we dialed: we mask our frames and expect unmasked ones
     */
    WebSocketConnection(Socket socket, InputStream socketIn, OutputStream socketOut, boolean client, long maxPayload,
            Multiaddr local, Multiaddr remote) {
        this.socket = socket;
        this.socketIn = socketIn;
        this.socketOut = socketOut;
        this.client = client;
        this.maxPayload = maxPayload;
        this.local = local;
        this.remote = remote;
        this.random = client ? new SecureRandom() : null;
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
    public Multiaddr localAddress() {
        return local;
    }

    @Override
    public Multiaddr remoteAddress() {
        return remote;
    }

    /**
     * Sends a Close frame (1000, normal closure) if we have not sent one and can within {@link #CLOSE_TIMEOUT},
     * then closes the socket: blocked reads and writes fail at once. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (Deadline ignored = Deadline.closeAfter(CLOSE_TIMEOUT, socket)) {
            queueControl(new Control(Frame.CLOSE, closePayload(NORMAL_CLOSURE)));
            sendPendingControl();
        } catch (IOException e) {
            log.debug("websocket: no close frame sent to {}: {}", remote, e.toString());
        } finally {
            socket.close();
        }
    }

    /** For tests of socket options. */
    Socket socket() {
        return socket;
    }

    @Override
    public String toString() {
        return "websocket " + local + " -> " + remote;
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /** Writes one frame. The caller holds writeLock. */
    private void writeFrame(boolean fin, int opcode, byte[] payload, int offset, int length) throws IOException {
        if (closeSent) {
            throw new SocketException("websocket: write after our close frame (" + remote + ")");
        }
        if (frameBuffer.length < Frame.MAX_HEADER_BYTES + length) {
            frameBuffer = new byte[Math.max(Frame.MAX_HEADER_BYTES + length, Math.min(2 * frameBuffer.length,
                    Frame.MAX_HEADER_BYTES + MAX_WRITE_PAYLOAD))];
        }
        int maskKey = client ? random.nextInt() : 0;
        int header = Frame.writeHeader(frameBuffer, 0, fin, opcode, client, maskKey, length);
        System.arraycopy(payload, offset, frameBuffer, header, length);
        if (client) {
            Frame.mask(frameBuffer, header, length, maskKey, 0);
        }
        socketOut.write(frameBuffer, 0, header + length);
        if (opcode == Frame.CLOSE) {
            closeSent = true;
        }
        if (log.isTraceEnabled()) {
            log.trace("websocket: sent opcode 0x{} fin {} length {} to {}", Integer.toHexString(opcode), fin, length, remote);
        }
    }

    private void queueControl(Control control) {
        if (control.opcode() == Frame.CLOSE) {
            pendingControl.set(control);
        } else {
            pendingControl.getAndUpdate(old -> old != null && old.opcode() == Frame.CLOSE ? old : control);
        }
    }

    /**
     * Sends the pending control frame if no one else is writing; if someone is, that writer sends it when its
     * frame is out (it calls this after releasing the lock). Looping on a second look after unlocking closes the
     * window where a control frame is queued just as the lock is released.
     */
    private void sendPendingControl() throws IOException {
        while (pendingControl.get() != null && writeLock.tryLock()) {
            try {
                Control control = pendingControl.getAndSet(null);
                if (control != null && !closeSent) {
                    writeFrame(true, control.opcode(), control.payload(), 0, control.payload().length);
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    private static byte[] closePayload(int code) {
        return new byte[] {(byte) (code >>> 8), (byte) code};
    }

    /** Each write becomes binary frames; each frame is a whole message (FIN set), as js's {@code ws.send} sends. */
    private final class FrameOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return;
            }
            writeLock.lock();
            try {
                while (len > 0) {
                    int n = Math.min(len, MAX_WRITE_PAYLOAD);
                    writeFrame(true, Frame.BINARY, b, off, n);
                    off += n;
                    len -= n;
                }
            } finally {
                writeLock.unlock();
            }
            sendPendingControl();
        }

        @Override
        public void flush() throws IOException {
            socketOut.flush();
        }

        @Override
        public void close() throws IOException {
            WebSocketConnection.this.close();
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** The payloads of the data frames as one stream. Reader thread only. */
    private final class FrameInput extends InputStream {
        private final byte[] one = new byte[1];
        /** Payload bytes of the current data frame not yet read. */
        private long remaining;
        private boolean masked;
        private int maskKey;
        /** Index in the current frame's payload of the next byte, for unmasking. */
        private long position;
        /** A fragmented message has begun and its final frame has not come. */
        private boolean inMessage;
        private boolean ended;
        private IOException failure;

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            while (remaining == 0) {
                if (failure != null) {
                    throw failure;
                }
                if (ended || !nextDataFrame()) {
                    ended = true;
                    return -1;
                }
            }
            int n = socketIn.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("websocket: connection ended inside a frame (" + remaining + " bytes missing)");
            }
            if (masked) {
                Frame.mask(b, off, n, maskKey, position);
            }
            position += n;
            remaining -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(remaining, socketIn.available());
        }

        @Override
        public void close() throws IOException {
            WebSocketConnection.this.close();
        }

        /** Reads frames until a data frame with payload (true) or the end of the stream (false). */
        private boolean nextDataFrame() throws IOException {
            try {
                while (true) {
                    Frame frame = Frame.read(socketIn, !client, maxPayload);
                    if (frame == null) {
                        return false; // TCP closed at a frame boundary without a Close frame: take it as the end
                    }
                    if (log.isTraceEnabled()) {
                        log.trace("websocket: received opcode 0x{} fin {} length {} from {}",
                                Integer.toHexString(frame.opcode()), frame.fin(), frame.length(), remote);
                    }
                    if (frame.isControl()) {
                        if (!onControl(frame)) {
                            return false;
                        }
                        continue;
                    }
                    if (frame.opcode() == Frame.CONTINUATION && !inMessage) {
                        throw Frame.protocolError("continuation frame with no message to continue");
                    }
                    if (frame.opcode() != Frame.CONTINUATION && inMessage) {
                        throw Frame.protocolError("new message (opcode 0x%x) inside a fragmented one", frame.opcode());
                    }
                    inMessage = !frame.fin();
                    remaining = frame.length();
                    masked = frame.masked();
                    maskKey = frame.maskKey();
                    position = 0;
                    if (remaining > 0) {
                        return true;
                    }
                }
            } catch (WebSocketProtocolException e) {
                failure = e;
                queueControl(new Control(Frame.CLOSE, closePayload(e.closeCode())));
                try {
                    sendPendingControl();
                } catch (IOException sendFailed) {
                    e.addSuppressed(sendFailed);
                }
                throw e;
            }
        }

        /** Handles a Ping, Pong or Close; false for a Close (the input ends). */
        private boolean onControl(Frame frame) throws IOException {
            byte[] payload = socketIn.readNBytes((int) frame.length());
            if (payload.length < frame.length()) {
                throw new EOFException("websocket: connection ended inside a control frame (" + payload.length + " of "
                        + frame.length() + " bytes)");
            }
            if (frame.masked()) {
                Frame.mask(payload, 0, payload.length, frame.maskKey(), 0);
            }
            switch (frame.opcode()) {
                case Frame.PING -> {
                    queueControl(new Control(Frame.PONG, payload));
                    sendControlQuietly();
                    return true;
                }
                case Frame.PONG -> {
                    return true;
                }
                default -> {
                    // §5.5.1: "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer".
                    if (payload.length == 1) {
                        throw Frame.protocolError("close frame with a 1-byte body");
                    }
                    byte[] echo = payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0];
                    log.debug("websocket: close frame from {} (code {})", remote,
                            payload.length >= 2 ? (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF) : "none");
                    queueControl(new Control(Frame.CLOSE, echo));
                    sendControlQuietly();
                    return false;
                }
            }
        }

        /** A Pong or Close reply that cannot be sent (the peer went away) must not fail our read. */
        private void sendControlQuietly() {
            try {
                sendPendingControl();
            } catch (IOException e) {
                log.debug("websocket: control frame to {} not sent: {}", remote, e.toString());
            }
        }
    }
}
