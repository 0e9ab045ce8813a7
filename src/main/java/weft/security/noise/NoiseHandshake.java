package weft.security.noise;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.crypto.KeyFormatException;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.crypto.PublicKey;
import weft.io.Deadline;
import weft.io.DuplexStream;
import weft.security.HandshakeException;
import weft.security.PeerIdMismatchException;
import weft.trace.Trace;

/**
 * One libp2p Noise handshake over an insecure stream, top to bottom: the three XX messages, each framed with a
 * 2-byte big-endian length, the identity payloads and their verification, then the switch to a
 * {@link NoiseConnection}. Reads take exactly the bytes of each framed message, never more, so whatever the remote
 * sends after message 3 stays in the stream for the transport phase.
 *
 * <p>Runs on the calling (upgrade) thread, under a {@link Deadline} that closes the stream when it expires.
 */
final class NoiseHandshake {
    /** Signed with the identity key before the static key: libp2p noise spec, "Static Key Authentication". */
    static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.UTF_8);
    private static final Logger log = LoggerFactory.getLogger(NoiseHandshake.class);
    /** The layer name in trace events. */
    static final String LAYER = "noise";
    /** The tokens of the three XX messages (Noise Protocol Framework §7.5, "XX"). */
    private static final String[] TOKENS = {"e", "e,ee,s,es", "s,se"};

    private final NoiseSecureChannel channel;
    private final DuplexStream insecure;
    private final InputStream in;
    private final OutputStream out;
    private final boolean initiator;
    private final PeerId expectedRemote;
    private final HandshakeState state;
    private final Trace trace;
    private int messageNumber; // 1-based number of the message being read or written, for errors

    NoiseHandshake(NoiseSecureChannel channel, DuplexStream insecure, boolean initiator, PeerId expectedRemote) {
        this.channel = channel;
        this.insecure = insecure;
        this.in = insecure.input();
        this.out = insecure.output();
        this.initiator = initiator;
        this.expectedRemote = expectedRemote;
        this.state = new HandshakeState(initiator, channel.prologue(), channel.staticKeyForHandshake());
        this.trace = insecure.trace();
    }

    /** Runs the handshake; on any failure closes the stream and throws a {@link HandshakeException}. */
    NoiseConnection run() throws HandshakeException {
        Deadline deadline = Deadline.closeAfter(channel.handshakeTimeout(), insecure);
        try {
            NoiseConnection connection = initiator ? runInitiator() : runResponder();
            deadline.close();
            if (deadline.expired()) { // fired after the last message, before we cancelled it: the stream is closed
                throw timeout(null);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            deadline.close();
            closeQuietly();
            log.debug("noise: {} handshake failed at message {}: {}", initiator ? "outbound" : "inbound",
                    messageNumber, e.toString());
            if (deadline.expired()) {
                throw timeout(e);
            }
            if (e instanceof HandshakeException he) {
                throw he;
            }
            if (e instanceof IOException) {
                throw new HandshakeException("noise: handshake failed at message " + messageNumber + ": "
                        + e.getMessage(), e);
            }
            throw (RuntimeException) e; // a bug, not peer input: peer input only ever throws typed exceptions
        }
    }

    private NoiseConnection runInitiator() throws IOException {
        // -> e                                    (payload empty: "MUST NOT send extensions" in message 1)
        writeMessage(null);
        // <- e, ee, s, es + responder's payload   (its identity and muxers)
        Remote remote = verify(state.readMessage(readMessage()));
        // -> s, se + our payload                  (sent only once the responder proved who it is)
        writeMessage(localPayload());
        Optional<String> muxer = NoiseSecureChannel.selectMuxer(channel.muxers(), remote.muxers());
        CipherState[] split = state.split();
        return connection(split[0], split[1], remote, muxer);
    }

    private NoiseConnection runResponder() throws IOException {
        // -> e                                    (any payload in message 1 is unauthenticated; ignored)
        state.readMessage(readMessage());
        // <- e, ee, s, es + our payload
        writeMessage(localPayload());
        // -> s, se + initiator's payload
        Remote remote = verify(state.readMessage(readMessage()));
        Optional<String> muxer = NoiseSecureChannel.selectMuxer(remote.muxers(), channel.muxers());
        CipherState[] split = state.split();
        return connection(split[1], split[0], remote, muxer);
    }

    private NoiseConnection connection(CipherState sender, CipherState receiver, Remote remote,
            Optional<String> muxer) {
        PeerId local = channel.localPeer();
        log.debug("noise: secured {} connection with {} (muxer {})", initiator ? "outbound" : "inbound", remote.peer,
                muxer.orElse("none"));
        if (trace.on()) trace.local(LAYER).word("message", "secured").pair("peer", remote.peer).pair("muxer",
                muxer.orElse(null)).emit();
        return new NoiseConnection(insecure, sender, receiver, local, remote.peer, remote.key, muxer);
    }

    /** Our payload: the identity key, its signature over our static key, and our muxers. */
    private HandshakePayload localPayload() {
        PrivateKey identity = channel.identity();
        byte[] signature = identity.sign(signedData(state.localStaticKey()));
        return new HandshakePayload(identity.publicKey().marshal(), signature, List.of(), channel.muxers());
    }

    /**
     * Checks the remote's payload: "the receiver MUST verify the signature ... and terminate the handshake if it is
     * invalid"; then derives its peer ID and compares it with the one we dialed.
     */
    private Remote verify(byte[] payloadBytes) throws HandshakeException {
        HandshakePayload payload = HandshakePayload.decode(payloadBytes);
        if (trace.on()) tracePayload(trace.received(LAYER), payload);
        if (payload.identityKey() == null || payload.identitySignature() == null) {
            throw new HandshakeException("noise: handshake payload lacks the identity "
                    + (payload.identityKey() == null ? "key" : "signature") + " (message " + messageNumber + ")");
        }
        PublicKey key;
        try {
            key = PublicKey.unmarshal(payload.identityKey());
        } catch (KeyFormatException e) {
            throw new HandshakeException("noise: remote identity key is invalid: " + e.getMessage(), e);
        }
        if (!key.verify(signedData(state.remoteStaticKey()), payload.identitySignature())) {
            throw new HandshakeException("noise: remote identity signature over its static key is invalid (message "
                    + messageNumber + ")");
        }
        PeerId peer = PeerId.fromPublicKey(key);
        if (expectedRemote != null && !expectedRemote.equals(peer)) {
            throw new PeerIdMismatchException(expectedRemote, peer);
        }
        return new Remote(peer, key, payload.muxers());
    }

    static byte[] signedData(byte[] staticPublicKey) {
        byte[] data = new byte[SIGNATURE_PREFIX.length + staticPublicKey.length];
        System.arraycopy(SIGNATURE_PREFIX, 0, data, 0, SIGNATURE_PREFIX.length);
        System.arraycopy(staticPublicKey, 0, data, SIGNATURE_PREFIX.length, staticPublicKey.length);
        return data;
    }

    /** Makes the next handshake message around {@code payload} (null: none); writes {@code [u16 length][message]}. */
    private void writeMessage(HandshakePayload payload) throws IOException {
        byte[] message = state.writeMessage(payload == null ? new byte[0] : payload.encode());
        messageNumber++;
        if (message.length > NoiseSecureChannel.MAX_MESSAGE_LENGTH) {
            throw new HandshakeException("noise: handshake message " + messageNumber + " too long ("
                    + message.length + " > " + NoiseSecureChannel.MAX_MESSAGE_LENGTH + " bytes)");
        }
        byte[] framed = new byte[2 + message.length];
        framed[0] = (byte) (message.length >>> 8);
        framed[1] = (byte) message.length;
        System.arraycopy(message, 0, framed, 2, message.length);
        out.write(framed);
        out.flush();
        if (trace.on()) traceMessage(trace.sent(LAYER), message.length);
        if (trace.on() && payload != null) tracePayload(trace.sent(LAYER), payload);
    }

    /** Reads exactly one {@code [u16 length][message]}: two bytes, then the length they give. */
    private byte[] readMessage() throws IOException {
        messageNumber++;
        byte[] header = new byte[2];
        int got = in.readNBytes(header, 0, 2);
        if (got < 2) {
            throw new HandshakeException("noise: stream ended before handshake message " + messageNumber + " ("
                    + got + " of 2 length bytes)");
        }
        int length = (header[0] & 0xFF) << 8 | (header[1] & 0xFF);
        byte[] message = in.readNBytes(length);
        if (message.length < length) {
            throw new HandshakeException("noise: stream ended inside handshake message " + messageNumber + " ("
                    + message.length + " of " + length + " bytes)");
        }
        if (trace.on()) traceMessage(trace.received(LAYER), length);
        return message;
    }

    /** {@code → noise handshake 1/3 tokens=e length=32}: the XX message and its tokens (noise spec, "XX"). */
    private void traceMessage(Trace.Builder event, int length) {
        event.word("message", "handshake " + messageNumber + "/3").pair("tokens", TOKENS[messageNumber - 1])
                .pair("length", length).emit();
    }

    /**
     * {@code ← noise payload identity_key=36 identity_sig=64 stream_muxers=[/yamux/1.0.0]}: which fields the
     * payload carries and their sizes in bytes, never a key or signature itself.
     */
    private static void tracePayload(Trace.Builder event, HandshakePayload payload) {
        event.word("message", "payload")
                .pair("identity_key", payload.identityKey() == null ? null : payload.identityKey().length)
                .pair("identity_sig", payload.identitySignature() == null ? null : payload.identitySignature().length)
                .pair("webtransport_certhashes", payload.webtransportCerthashes().isEmpty() ? null
                        : payload.webtransportCerthashes().size())
                .pair("stream_muxers", payload.muxers()).emit();
    }

    private HandshakeException timeout(Exception cause) {
        long millis = channel.handshakeTimeout().toMillis();
        SocketTimeoutException timeout = new SocketTimeoutException("noise: handshake timed out (" + millis + " ms)");
        if (cause != null) {
            timeout.initCause(cause);
        }
        return new HandshakeException("noise: handshake timed out at message " + messageNumber + " (" + millis
                + " ms)", timeout);
    }

    private void closeQuietly() {
        try {
            insecure.close();
        } catch (IOException | RuntimeException ignored) {
            // the handshake already failed; that failure is what the caller needs
        }
    }

    private record Remote(PeerId peer, PublicKey key, List<String> muxers) {}
}
