package weft.security.noise;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.io.DuplexStream;
import weft.security.HandshakeException;
import weft.security.PeerIdMismatchException;
import weft.security.SecureChannel;
import weft.security.SecureConnection;

/**
 * libp2p's Noise security protocol, {@code /noise}: the {@code Noise_XX_25519_ChaChaPoly_SHA256} handshake with
 * libp2p identity payloads, then an encrypted {@link SecureConnection}. Spec:
 * <a href="https://github.com/libp2p/specs/blob/master/noise/README.md">libp2p noise</a> (r5, 2022-12-07) and
 * <a href="https://github.com/libp2p/specs/blob/master/connections/inlined-muxer-negotiation.md">inlined muxer
 * negotiation</a> (r1, 2022-12-07). The package documentation walks through the handshake message by message.
 *
 * <p>Immutable and thread-safe: one instance serves every connection of a host; each handshake runs on the
 * calling thread. Configure with the {@code with...} methods, which return a new channel:
 *
 * <pre>{@code
 * SecureChannel noise = new NoiseSecureChannel(identity)
 *         .withMuxers(List.of("/yamux/1.0.0"))
 *         .withHandshakeTimeout(Duration.ofSeconds(10));
 * }</pre>
 *
 * <ul>
 *   <li><b>Static key.</b> "The static Noise keypair ... MAY be generated per session" and "SHOULD NOT be
 *       persisted": by default each handshake gets a fresh X25519 key (20 µs with Bouncy Castle) and a fresh
 *       identity signature over it. {@link #withStaticKey} fixes one, for tests and for hosts that want to sign once.
 *   <li><b>Prologue.</b> Empty by default, as in go, rust and js; both sides must use the same one.
 *   <li><b>Early muxer negotiation.</b> With a non-empty {@link #withMuxers} list, the responder sends its list in
 *       message 2 and the initiator its list in message 3; both pick the first muxer of the <em>initiator's</em>
 *       list that the responder also supports, as the spec says. When either list is empty or they share nothing,
 *       {@link SecureConnection#negotiatedMuxer()} is empty and the upgrader falls back to multistream-select, as
 *       go-libp2p does ({@code upgrader.go setupMuxer}); the spec says the handshake "MUST fail" then, but failing
 *       would refuse connections go accepts. js-libp2p initiators choose by the <em>responder's</em> order instead:
 *       the two agree whenever the shared muxers are listed in the same order, and always with one muxer.
 *   <li><b>Deadline.</b> The whole handshake is bounded by {@link #handshakeTimeout()} (default 15 s, go-libp2p's
 *       {@code defaultAcceptTimeout} in {@code p2p/net/upgrader/upgrader.go}). When it expires the insecure stream is
 *       closed, and the handshake throws a {@link HandshakeException} whose message says "timed out" and whose
 *       cause is a {@link java.net.SocketTimeoutException}.
 * </ul>
 */
public final class NoiseSecureChannel implements SecureChannel {
    /** The multistream-select protocol id (libp2p noise spec, "Protocol Identifier"). */
    public static final String PROTOCOL_ID = "/noise";
    /** "noise_message_len MUST be less than or equal to 65535 bytes": the most a 2-byte length can say. */
    public static final int MAX_MESSAGE_LENGTH = 65535;
    /** go-libp2p bounds the whole upgrade by 15 s ({@code defaultAcceptTimeout}, {@code upgrader.go}). */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);

    private final PrivateKey identity;
    private final PeerId localPeer;
    private final byte[] prologue;
    private final List<String> muxers;
    private final Duration handshakeTimeout;
    private final byte[] staticKey; // null: a fresh key per handshake

    /** A channel that proves {@code identity}, with an empty prologue, no early muxers and the default timeout. */
    public NoiseSecureChannel(PrivateKey identity) {
        this(identity, new byte[0], List.of(), DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    private NoiseSecureChannel(PrivateKey identity, byte[] prologue, List<String> muxers, Duration handshakeTimeout,
            byte[] staticKey) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.localPeer = identity.peerId();
        this.prologue = prologue;
        this.muxers = muxers;
        this.handshakeTimeout = handshakeTimeout;
        this.staticKey = staticKey;
    }

    /** The Noise prologue both sides mix into the handshake hash; must match the remote's. */
    public NoiseSecureChannel withPrologue(byte[] prologue) {
        return new NoiseSecureChannel(identity, prologue.clone(), muxers, handshakeTimeout, staticKey);
    }

    /** The stream muxers to offer in the handshake, most preferred first (e.g. {@code /yamux/1.0.0}); may be empty. */
    public NoiseSecureChannel withMuxers(List<String> muxers) {
        return new NoiseSecureChannel(identity, prologue, List.copyOf(muxers), handshakeTimeout, staticKey);
    }

    /** Bounds the whole handshake; must be positive. */
    public NoiseSecureChannel withHandshakeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("noise: handshake timeout must be positive (" + timeout + ")");
        }
        return new NoiseSecureChannel(identity, prologue, muxers, timeout, staticKey);
    }

    /** Uses this 32-byte X25519 private key as the static Noise key of every handshake, instead of a fresh one. */
    public NoiseSecureChannel withStaticKey(byte[] x25519PrivateKey) {
        if (x25519PrivateKey.length != HandshakeState.DH_LENGTH) {
            throw new IllegalArgumentException(
                    "noise: static key must be 32 bytes (" + x25519PrivateKey.length + ")");
        }
        return new NoiseSecureChannel(identity, prologue, muxers, handshakeTimeout, x25519PrivateKey.clone());
    }

    public List<String> muxers() {
        return muxers;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    @Override
    public String protocolId() {
        return PROTOCOL_ID;
    }

    /**
     * Runs the handshake as the initiator: sends message 1, reads and verifies the responder's identity in message
     * 2, sends message 3.
     *
     * @throws PeerIdMismatchException the responder proved another identity than {@code expectedRemote}; message 3
     *     is not sent and the stream is closed
     * @throws HandshakeException any other failure (bad, truncated or oversized message, bad signature, timeout);
     *     the stream is closed
     */
    @Override
    public SecureConnection secureOutbound(DuplexStream insecure, PeerId expectedRemote) throws IOException {
        return new NoiseHandshake(this, insecure, true, expectedRemote).run();
    }

    /** Runs the handshake as the responder: reads message 1, sends message 2, reads and verifies message 3. */
    @Override
    public SecureConnection secureInbound(DuplexStream insecure) throws IOException {
        return new NoiseHandshake(this, insecure, false, null).run();
    }

    PrivateKey identity() {
        return identity;
    }

    PeerId localPeer() {
        return localPeer;
    }

    byte[] prologue() {
        return prologue;
    }

    /** The static key for one handshake: the configured one, or a fresh one. */
    byte[] staticKeyForHandshake() {
        return staticKey != null ? staticKey.clone() : HandshakeState.generatePrivateKey();
    }

    /** An early-negotiated muxer: the first of the initiator's muxers the responder supports (spec rule). */
    static Optional<String> selectMuxer(List<String> initiatorMuxers, List<String> responderMuxers) {
        for (String muxer : initiatorMuxers) {
            if (responderMuxers.contains(muxer)) {
                return Optional.of(muxer);
            }
        }
        return Optional.empty();
    }
}
