package weft.security.noise;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.io.DuplexStream;
import weft.io.StreamViews;
import weft.security.SecureConnection;
import weft.trace.Trace;

/**
 * The Noise transport phase: a {@link SecureConnection} over the insecure stream, after the XX handshake.
 *
 * <p>Wire format (libp2p Noise spec, "Wire Format"): every message is {@code [u16 big-endian length][noise
 * message]}, where the noise message is ChaCha20-Poly1305 ciphertext plus its 16-byte tag. "noise_message_len
 * MUST be less than or equal to 65535 bytes", so one message carries at most {@value #MAX_PLAINTEXT} bytes of
 * plaintext (65535 - 16, go-libp2p {@code rw.go MaxPlaintextLength}).
 *
 * <ul>
 *   <li>{@code write} of any size splits the bytes into chunks of at most {@value #MAX_PLAINTEXT} bytes, seals each
 *       into a reused buffer behind its length prefix, and hands up to {@value #MAX_BATCH_MESSAGES} sealed messages
 *       to the socket in one write. A zero-length write sends nothing.
 *   <li>A write of at most {@value #HOLD_LIMIT} bytes (a muxer frame header) is held, not sealed: the next write
 *       seals it in the same message as its own first bytes, in the same socket write, without copying the larger
 *       write ({@link CipherState}'s two-part seal); {@code flush()}, {@code shutdownOutput()} and
 *       {@code output().close()} send held bytes alone. So the bytes on the wire keep their order, and a writer that
 *       flushes after each batch (as {@link weft.io.FrameWriter} does) leaves nothing held.
 *   <li>{@code read} delivers bytes across message boundaries: a message is opened whole (its tag checked) before
 *       any of its bytes are returned, straight into the caller's array when they fit, else into a reused buffer
 *       that later reads drain. Empty messages are legal and skipped.
 *   <li>A message that fails authentication, or a stream that ends inside a message, throws a typed
 *       {@link IOException} ({@link weft.ProtocolViolationException}, {@link EOFException}); the connection is
 *       closed and every later call fails with {@link ConnectionClosedException}.
 * </ul>
 *
 * <p><b>Threads.</b> One reader thread and one writer thread, as the connection reader and writer of
 * {@code weft/io}: reads may run concurrently with writes, but never two reads, nor two writes, at a time. The
 * class takes no locks; each direction's state is owned by its thread. {@link #close()} may be called from any
 * thread and wakes both by closing the insecure stream.
 */
final class NoiseConnection implements SecureConnection {
    /** 65535 - 16: the largest plaintext one Noise message can carry (go-libp2p {@code rw.go}). */
    static final int MAX_PLAINTEXT = NoiseSecureChannel.MAX_MESSAGE_LENGTH - CipherState.TAG_LENGTH;
    /**
     * How many sealed messages one socket write may carry when a write spans that many (weft's choice): fewer
     * socket writes for big writes, while the send buffer stays at most 4 x 65537 bytes (256 KiB) per connection.
     */
    static final int MAX_BATCH_MESSAGES = 4;
    /**
     * Writes that fit, with what is held already, in this many bytes are held rather than sealed at once (weft's
     * choice): the next write seals them in front of its own first chunk, or {@link #flush()} sends them alone. The
     * muxer writer hands a large frame to us as two writes, its header (yamux 12 bytes, mplex at most 2 x 9) from its
     * batch buffer and then the payload from the caller's array; holding the header saves a message (18 bytes on the
     * wire, a cipher initialisation) and a socket write per frame. 64 bytes hold that header with a few control
     * frames (yamux window update, ping: 12 bytes each) and cost one 64-byte array per connection and a copy of at
     * most 64 bytes, against a Noise message's fixed cost of about 580 ns (DESIGN.md §8).
     */
    static final int HOLD_LIMIT = 64;
    private static final int LENGTH_PREFIX = 2;
    private static final byte[] NOTHING = new byte[0];
    private static final Logger log = LoggerFactory.getLogger(NoiseConnection.class);
    private static final String LAYER = NoiseHandshake.LAYER;

    private final DuplexStream insecure;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final PeerId localPeer;
    private final PeerId remotePeer;
    private final PublicKey remoteKey;
    private final Optional<String> muxer;
    private final Trace trace;
    private final InputStream input;
    private final OutputStream output;

    // writer thread only
    private final CipherState sender;
    private byte[] sendBuffer = new byte[1024];
    private final byte[] held = new byte[HOLD_LIMIT];
    private int heldLength; // bytes written but not yet sealed: the next write or flush seals them first

    // reader thread only
    private final CipherState receiver;
    private final byte[] header = new byte[LENGTH_PREFIX];
    private byte[] messageBuffer = new byte[1024];
    private byte[] plaintext = new byte[0];
    private int plainPosition;
    private int plainLimit;

    private volatile boolean closed;
    private volatile IOException failure; // the first read or write failure; later calls fail with it as cause

    NoiseConnection(DuplexStream insecure, CipherState sender, CipherState receiver, PeerId localPeer,
            PeerId remotePeer, PublicKey remoteKey, Optional<String> muxer) {
        this.insecure = insecure;
        this.rawIn = insecure.input();
        this.rawOut = insecure.output();
        this.sender = sender;
        this.receiver = receiver;
        this.localPeer = localPeer;
        this.remotePeer = remotePeer;
        this.remoteKey = remoteKey;
        this.muxer = muxer;
        this.trace = insecure.trace();
        this.input = StreamViews.input(this::read, () -> plainLimit - plainPosition, this::close);
        this.output = StreamViews.output(this::write, this::flush, this::closeOutput);
    }

    /** Reads up to {@code len} bytes, blocking until at least one is there; -1 at the end of the stream. */
    int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        if (len == 0) {
            return 0;
        }
        try {
            while (plainPosition == plainLimit) {
                int length = readMessage();
                if (length < 0) {
                    return -1;
                }
                int plainLength = length - CipherState.TAG_LENGTH;
                if (plainLength >= 0 && plainLength <= len) {
                    // Fits: open it straight into the caller's array and save a copy. The JDK cipher checks the tag
                    // before it writes any plaintext, so a forged message leaves the caller's array untouched.
                    int n = receiver.decryptWithAd(null, messageBuffer, 0, length, b, off);
                    if (n > 0) {
                        return n;
                    }
                } else {
                    if (plaintext.length < plainLength) {
                        plaintext = new byte[Math.max(plainLength, Math.min(2 * plaintext.length, MAX_PLAINTEXT))];
                    }
                    plainLimit = receiver.decryptWithAd(null, messageBuffer, 0, length, plaintext, 0);
                    plainPosition = 0;
                }
            }
            int n = Math.min(len, plainLimit - plainPosition);
            System.arraycopy(plaintext, plainPosition, b, off, n);
            plainPosition += n;
            return n;
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /** Reads one whole Noise message into {@link #messageBuffer}; returns its length, or -1 at a clean EOF. */
    private int readMessage() throws IOException {
        int got = rawIn.readNBytes(header, 0, LENGTH_PREFIX);
        if (got == 0) {
            return -1;
        }
        if (got < LENGTH_PREFIX) {
            throw new EOFException("noise: stream ended inside a length prefix (1 of 2 bytes)");
        }
        int length = (header[0] & 0xFF) << 8 | (header[1] & 0xFF);
        if (messageBuffer.length < length) {
            messageBuffer = new byte[Math.max(length, Math.min(2 * messageBuffer.length,
                    NoiseSecureChannel.MAX_MESSAGE_LENGTH))];
        }
        got = rawIn.readNBytes(messageBuffer, 0, length);
        if (got < length) {
            throw new EOFException("noise: stream ended inside a message (" + got + " of " + length + " bytes)");
        }
        if (trace.on()) traceTransport(trace.received(LAYER), length, receiver.nonce());
        return length;
    }

    /**
     * Seals and sends all {@code len} bytes, in messages of at most {@value #MAX_PLAINTEXT} bytes of plaintext. While
     * the held bytes and this write together fit in {@value #HOLD_LIMIT} bytes they are only held; otherwise the held
     * bytes open the first message, sealed together with the start of this write.
     */
    void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        if (len <= HOLD_LIMIT - heldLength) {
            System.arraycopy(b, off, held, heldLength, len);
            heldLength += len;
            return;
        }
        try {
            while (len > 0) {
                int total = heldLength + len;
                int messages = Math.min(MAX_BATCH_MESSAGES, (total + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT);
                int batchPlaintext = Math.min(total, messages * MAX_PLAINTEXT);
                ensureSendCapacity(batchPlaintext + messages * (LENGTH_PREFIX + CipherState.TAG_LENGTH));
                int position = 0;
                for (int i = 0; i < messages; i++) {
                    int chunk = Math.min(len, MAX_PLAINTEXT - heldLength);
                    position = seal(b, off, chunk, position);
                    off += chunk;
                    len -= chunk;
                }
                rawOut.write(sendBuffer, 0, position);
            }
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /**
     * Sends the held bytes, if any, as a message of their own, then flushes the insecure stream: the muxer's writer
     * calls this once per batch, so no byte waits past the batch that wrote it.
     */
    void flush() throws IOException {
        try {
            if (heldLength > 0) {
                checkOpen();
                ensureSendCapacity(heldLength + LENGTH_PREFIX + CipherState.TAG_LENGTH);
                rawOut.write(sendBuffer, 0, seal(NOTHING, 0, 0, 0)); // the held bytes alone
            }
            rawOut.flush();
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /**
     * Seals the held bytes followed by {@code b[off, off+len)} as one message at {@code sendBuffer[position]}, behind
     * its length prefix, and forgets the held bytes; returns the position after the message.
     */
    private int seal(byte[] b, int off, int len, int position) throws NonceExhaustedException {
        int plain = heldLength + len;
        if (trace.on()) traceTransport(trace.sent(LAYER), plain + CipherState.TAG_LENGTH, sender.nonce());
        int sealed = heldLength == 0
                ? sender.encryptWithAd(null, b, off, len, sendBuffer, position + LENGTH_PREFIX)
                : sender.encryptWithAd(null, held, 0, heldLength, b, off, len, sendBuffer, position + LENGTH_PREFIX);
        heldLength = 0;
        sendBuffer[position] = (byte) (sealed >>> 8);
        sendBuffer[position + 1] = (byte) sealed;
        return position + LENGTH_PREFIX + sealed;
    }

    /** {@code ← noise transport length=1034 nonce=7}: one sealed message (bulk: its plaintext is counted). */
    private static void traceTransport(Trace.Builder event, int length, long nonce) {
        event.word("message", "transport").pair("length", length).pair("nonce", nonce)
                .bulk(length - CipherState.TAG_LENGTH).emit();
    }

    private void ensureSendCapacity(int needed) {
        if (sendBuffer.length < needed) {
            int max = MAX_BATCH_MESSAGES * (LENGTH_PREFIX + NoiseSecureChannel.MAX_MESSAGE_LENGTH);
            sendBuffer = new byte[Math.max(needed, Math.min(2 * sendBuffer.length, max))];
        }
    }

    private void checkOpen() throws IOException {
        IOException cause = failure;
        if (cause != null) {
            throw new ConnectionClosedException("noise: connection failed earlier: " + cause.getMessage(), cause);
        }
        if (closed) {
            throw new ConnectionClosedException("noise: connection closed locally", null);
        }
    }

    /**
     * Records the first failure and closes the connection: a Noise session cannot resynchronise. A call that was
     * blocked when {@link #close()} ran gets a {@link ConnectionClosedException} rather than the stream's error.
     */
    private IOException fail(IOException e) {
        if (closed && failure == null) {
            return new ConnectionClosedException("noise: connection closed locally", e);
        }
        if (failure == null) {
            failure = e;
            log.debug("noise: connection to {} failed: {}", remotePeer, e.getMessage());
        }
        closeQuietly();
        return e;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // already failing; the caller gets the original exception
        }
    }

    /**
     * Half-closes the insecure stream: Noise has no close message (the spec leaves closing to the transport), so the
     * peer reads the end of the stream after our last sealed message.
     */
    @Override
    public void shutdownOutput() throws IOException {
        flush();
        insecure.shutdownOutput();
    }

    /**
     * {@code output().close()}: as {@link java.io.FilterOutputStream#close()}, sends what is held first, then closes
     * the connection. Only the writing thread may call it; {@link #close()} (any thread) drops held bytes.
     */
    private void closeOutput() throws IOException {
        try {
            if (heldLength > 0 && !closed && failure == null) {
                flush();
            }
        } finally {
            close();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        insecure.close();
    }

    /** The trace of the stream under it: Noise adds no connection of its own. */
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
        return NoiseSecureChannel.PROTOCOL_ID;
    }

    @Override
    public Optional<String> negotiatedMuxer() {
        return muxer;
    }

    @Override
    public String toString() {
        return "NoiseConnection[" + localPeer + " <-> " + remotePeer + "]";
    }
}
