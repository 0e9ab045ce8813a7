package weft.security.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
 * libp2p's TLS security protocol, {@code /tls/1.0.0}: a TLS 1.3 handshake (a {@link javax.net.ssl.SSLEngine})
 * in which both peers present a {@link Libp2pCertificate}, then the TLS record layer as a {@link SecureConnection}.
 * Spec: <a href="https://github.com/libp2p/specs/blob/master/tls/tls.md">libp2p TLS</a> (r0, 2019-03-23) and
 * <a href="https://github.com/libp2p/specs/blob/master/connections/inlined-muxer-negotiation.md">inlined muxer
 * negotiation</a> (r1). The package documentation explains the certificate and ALPN.
 *
 * <p>Immutable and thread-safe: one instance serves every connection of a host; each handshake runs on the calling
 * thread. Configure with the {@code with...} methods, which return a new channel:
 *
 * <pre>{@code
 * SecureChannel tls = new TlsSecureChannel(identity)
 *         .withMuxers(List.of("/yamux/1.0.0", "/mplex/6.7.0"))
 *         .withHandshakeTimeout(Duration.ofSeconds(10));
 * }</pre>
 *
 * <ul>
 *   <li><b>Certificate.</b> "Endpoints MAY generate a new key and certificate for every connection attempt, or they
 *       MAY reuse the same key and certificate". One per channel, made by the constructor and kept by the
 *       {@code with...} copies, as go-libp2p makes one per host ({@code NewIdentity}): building one costs an ECDSA
 *       key generation and two signatures, and a fresh one per connection would hide nothing, since every
 *       certificate carries the host key anyway.
 *   <li><b>Versions and suites.</b> "Endpoints MUST NOT negotiate lower TLS versions" than 1.3: TLS 1.3 only, with
 *       its three cipher suites, which weft's engine and go both support: {@code TLS_AES_128_GCM_SHA256} first
 *       (RFC 8446 §9.1 makes it mandatory, and with AES instructions it is the fastest; go's own order also starts
 *       with it, where the JDK's default order starts with AES-256), then {@code TLS_AES_256_GCM_SHA384} and
 *       {@code TLS_CHACHA20_POLY1305_SHA256}.
 *   <li><b>Client certificates.</b> "servers MUST require client authentication": the server aborts a client that
 *       sends none.
 *   <li><b>SNI.</b> "clients ... MUST NOT send any value in the Server Name Indication": no host name reaches the
 *       engine, and the server-name list is set empty.
 *   <li><b>ALPN and early muxer negotiation.</b> The client offers its {@link #withMuxers muxers} in order, then
 *       {@value #ALPN_LIBP2P}. The server picks the first of the client's protocols that it supports (the client's
 *       preference, as the spec says and go's {@code GetConfigForClient} does), else {@value #ALPN_LIBP2P}, and
 *       aborts the handshake when the client offered neither ("The server MUST abort the handshake if it doesn't
 *       support any of the application protocols offered by the client"). A muxer result becomes
 *       {@link SecureConnection#negotiatedMuxer()}; {@value #ALPN_LIBP2P} (or no ALPN at all) leaves it empty, and
 *       the muxer is then negotiated with multistream-select.
 *   <li><b>Engine.</b> Bouncy Castle's JSSE provider, privately ({@code EngineProvider}): the JDK's own TLS
 *       stack refuses the certificates js-libp2p and rust-libp2p send (their issuer name is empty). The record
 *       layer's ciphers still come from the JDK.
 *   <li><b>No resumption.</b> Every handshake is a full one with certificates (go sets
 *       {@code SessionTicketsDisabled}): each connection gets its own {@code SSLContext}, so no session or ticket
 *       outlives it, and the server sends no {@code NewSessionTicket}.
 *   <li><b>Deadline.</b> The whole handshake is bounded by {@link #handshakeTimeout()} (default 15 s, go-libp2p's
 *       {@code defaultAcceptTimeout}). When it expires the insecure stream is closed, and the handshake throws a
 *       {@link HandshakeException} whose message says "timed out" and whose cause is a
 *       {@link java.net.SocketTimeoutException}.
 * </ul>
 */
public final class TlsSecureChannel implements SecureChannel {
    /** The multistream-select protocol id (libp2p TLS spec, "Handshake Protocol"). */
    public static final String PROTOCOL_ID = "/tls/1.0.0";
    /** "libp2p" is used as the application protocol for ALPN" (spec, "ALPN"); MUST be last in the client's list. */
    public static final String ALPN_LIBP2P = "libp2p";
    /** go-libp2p bounds the whole upgrade by 15 s ({@code defaultAcceptTimeout}, {@code upgrader.go}). */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);
    /** The TLS 1.3 cipher suites (RFC 8446 §9.1 makes the first mandatory), most preferred first. */
    static final List<String> CIPHER_SUITES =
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    /** An ALPN protocol name is 1 to 255 bytes (RFC 7301 §3.1, {@code opaque ProtocolName<1..2^8-1>}). */
    private static final int MAX_ALPN_NAME = 255;

    private final PrivateKey identity;
    private final PeerId localPeer;
    private final Libp2pCertificate certificate;
    private final List<String> muxers;
    private final List<String> alpnOffer; // what a client offers: muxers, then "libp2p"
    private final Duration handshakeTimeout;

    /** A channel that proves {@code identity} with a fresh certificate, no early muxers and the default timeout. */
    public TlsSecureChannel(PrivateKey identity) {
        this(identity, Libp2pCertificate.generate(identity), List.of(), null, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    private TlsSecureChannel(PrivateKey identity, Libp2pCertificate certificate, List<String> muxers,
            List<String> alpnOffer, Duration handshakeTimeout) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.localPeer = identity.peerId();
        this.certificate = certificate;
        this.muxers = muxers;
        this.alpnOffer = alpnOffer != null ? alpnOffer : offer(muxers);
        this.handshakeTimeout = handshakeTimeout;
    }

    private static List<String> offer(List<String> muxers) {
        List<String> offer = new ArrayList<>(muxers);
        offer.add(ALPN_LIBP2P);
        return List.copyOf(offer);
    }

    /**
     * The stream muxers to negotiate in the handshake, most preferred first (e.g. {@code /yamux/1.0.0}); may be
     * empty. Each must be a valid ALPN name (1 to 255 bytes) other than {@value #ALPN_LIBP2P}.
     */
    public TlsSecureChannel withMuxers(List<String> muxers) {
        for (String muxer : muxers) {
            int length = muxer.getBytes(StandardCharsets.ISO_8859_1).length;
            if (length == 0 || length > MAX_ALPN_NAME || muxer.equals(ALPN_LIBP2P)) {
                throw new IllegalArgumentException("tls: '" + muxer + "' cannot be offered as a muxer in ALPN");
            }
        }
        return new TlsSecureChannel(identity, certificate, List.copyOf(muxers), null, handshakeTimeout);
    }

    /** Bounds the whole handshake; must be positive. */
    public TlsSecureChannel withHandshakeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tls: handshake timeout must be positive (" + timeout + ")");
        }
        return new TlsSecureChannel(identity, certificate, muxers, alpnOffer, timeout);
    }

    /** Presents {@code certificate} instead of the generated one (tests: expired or malformed certificates). */
    TlsSecureChannel withCertificate(Libp2pCertificate certificate) {
        return new TlsSecureChannel(identity, certificate, muxers, alpnOffer, handshakeTimeout);
    }

    /** Offers exactly these ALPN names as a client (tests: peers that break the ALPN rules). */
    TlsSecureChannel withAlpnOffer(List<String> protocols) {
        return new TlsSecureChannel(identity, certificate, muxers, List.copyOf(protocols), handshakeTimeout);
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
     * Runs the handshake as the TLS client. Note the spec's "Note for clients": in TLS 1.3 the client finishes
     * before the server has checked its certificate, so a server that rejects it shows up as an {@link IOException}
     * on the connection's first read, not here.
     *
     * @throws PeerIdMismatchException the server's certificate proves another peer than {@code expectedRemote}; the
     *     handshake is aborted before our certificate is sent, and the stream is closed
     * @throws HandshakeException any other failure (bad certificate, no common protocol, garbage, timeout); the
     *     stream is closed
     */
    @Override
    public SecureConnection secureOutbound(DuplexStream insecure, PeerId expectedRemote) throws IOException {
        return new TlsHandshake(this, insecure, true, expectedRemote).run();
    }

    /** Runs the handshake as the TLS server, requiring and verifying the client's certificate. */
    @Override
    public SecureConnection secureInbound(DuplexStream insecure) throws IOException {
        return new TlsHandshake(this, insecure, false, null).run();
    }

    PeerId localPeer() {
        return localPeer;
    }

    Libp2pCertificate certificate() {
        return certificate;
    }

    List<String> alpnOffer() {
        return alpnOffer;
    }

    /**
     * The server's ALPN choice: "The server SHOULD respect the client's preference and pick the first protocol from
     * the list that it supports"; {@value #ALPN_LIBP2P} when no muxer is shared; null when the client offered
     * nothing we support, which makes the engine abort with a {@code no_application_protocol} alert.
     */
    static String selectProtocol(List<String> offered, List<String> muxers) {
        for (String protocol : offered) {
            if (muxers.contains(protocol)) {
                return protocol;
            }
        }
        return offered.contains(ALPN_LIBP2P) ? ALPN_LIBP2P : null;
    }

    /** The muxer an ALPN result names: empty for {@value #ALPN_LIBP2P}, and for no ALPN (null or ""). */
    static Optional<String> muxerOf(String applicationProtocol) {
        if (applicationProtocol == null || applicationProtocol.isEmpty()
                || applicationProtocol.equals(ALPN_LIBP2P)) {
            return Optional.empty();
        }
        return Optional.of(applicationProtocol);
    }
}
