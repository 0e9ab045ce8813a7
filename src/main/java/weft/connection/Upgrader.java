package weft.connection;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ProtocolViolationException;
import weft.crypto.PeerId;
import weft.io.Deadline;
import weft.io.DuplexStream;
import weft.multiformats.Multiaddr;
import weft.multistream.MultistreamSelect;
import weft.mux.MuxedConnection;
import weft.mux.StreamMuxer;
import weft.security.SecureChannel;
import weft.security.SecureConnection;
import weft.trace.Trace;
import weft.transport.RawConnection;

/**
 * Turns a raw transport connection into a {@link Connection}, top to bottom as go-libp2p's
 * {@code p2p/net/upgrader/upgrader.go} reads (libp2p specs {@code connections/README.md}, "Upgrading
 * connections"):
 *
 * <ol>
 *   <li>multistream-select a security protocol ({@code /noise}, {@code /tls/1.0.0}); the dialer proposes them in
 *       its order of preference, the listener accepts the first it supports;
 *   <li>run its handshake; the dialer checks the remote's peer ID against the {@code /p2p/} of the address;
 *   <li>take the muxer the handshake agreed on (inlined muxer negotiation), or else multistream-select one
 *       ({@code /yamux/1.0.0}) over the secured channel;
 *   <li>start the muxer.
 * </ol>
 *
 * <p>Every layer reads from the same stream object and none reads past its last message, so a peer that pipelines
 * (rust-libp2p sends its first Noise message right behind {@code /noise\n}) loses nothing. The whole upgrade is
 * bounded by one deadline that closes the raw connection when it passes; any failure closes the raw connection.
 * Early muxer negotiation happens when the security channel is configured to offer muxers (Noise and TLS:
 * {@code withMuxers(List.of("/yamux/1.0.0", "/mplex/6.7.0"))}); when the handshake agrees on none (Noise: no
 * common muxer; TLS: the ALPN result {@code libp2p}), the muxer is multistream-selected as without it, as
 * go-libp2p's {@code setupMuxer} does.
 *
 * <p>Immutable and thread-safe; each upgrade runs on the calling thread.
 */
public final class Upgrader {
    private static final Logger log = LoggerFactory.getLogger(Upgrader.class);

    /** go-libp2p bounds an inbound upgrade by 15 s ({@code defaultAcceptTimeout}, {@code upgrader.go}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final List<SecureChannel> securityProtocols;
    private final List<StreamMuxer> muxers;
    private final Duration timeout;

    /**
     * @param securityProtocols in order of preference; the dialer proposes them in this order
     * @param muxers in order of preference
     */
    public Upgrader(List<SecureChannel> securityProtocols, List<StreamMuxer> muxers, Duration timeout) {
        if (securityProtocols.isEmpty() || muxers.isEmpty()) {
            throw new IllegalArgumentException("upgrader: needs at least one security protocol and one muxer");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("upgrader: timeout must be positive (" + timeout + ")");
        }
        this.securityProtocols = List.copyOf(securityProtocols);
        this.muxers = List.copyOf(muxers);
        this.timeout = timeout;
    }

    public Upgrader(List<SecureChannel> securityProtocols, List<StreamMuxer> muxers) {
        this(securityProtocols, muxers, DEFAULT_TIMEOUT);
    }

    /**
     * The peer ID an address names with a trailing {@code /p2p/<id>}, if it does.
     *
     * @throws ProtocolViolationException if the {@code /p2p/} value is not a valid peer ID
     */
    public static Optional<PeerId> peerIdOf(Multiaddr address) throws ProtocolViolationException {
        Optional<byte[]> bytes = address.peerIdBytes();
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PeerId.fromBytes(bytes.get()));
        } catch (IllegalArgumentException e) { // MultiformatException, KeyFormatException
            throw new ProtocolViolationException("upgrader: invalid peer id in " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Upgrades a connection we dialed.
     *
     * @param expectedRemote the peer we meant to reach, or null to accept whoever answers
     * @throws weft.security.PeerIdMismatchException if the remote proved another identity
     * @throws weft.multistream.ProtocolNotSupportedException if the remote supports none of our protocols
     * @throws SocketTimeoutException if the upgrade took longer than the timeout
     */
    public Connection upgradeOutbound(RawConnection raw, PeerId expectedRemote) throws IOException {
        return upgrade(raw, expectedRemote, true, Trace.OFF);
    }

    /** Upgrades a connection we dialed, every layer reporting to {@code trace} ({@link weft.trace}). */
    public Connection upgradeOutbound(RawConnection raw, PeerId expectedRemote, Trace trace) throws IOException {
        return upgrade(raw, expectedRemote, true, trace);
    }

    /** Upgrades a connection a listener accepted. */
    public Connection upgradeInbound(RawConnection raw) throws IOException {
        return upgrade(raw, null, false, Trace.OFF);
    }

    /** Upgrades a connection a listener accepted, every layer reporting to {@code trace}. */
    public Connection upgradeInbound(RawConnection raw, Trace trace) throws IOException {
        return upgrade(raw, null, false, trace);
    }

    private Connection upgrade(RawConnection raw, PeerId expectedRemote, boolean dialer, Trace trace)
            throws IOException {
        Deadline deadline = Deadline.closeAfter(timeout, raw);
        if (trace.on()) traceStart(trace, raw, dialer);
        DuplexStream wire = DuplexStream.traced(raw, trace); // every layer finds the connection's trace on its stream
        try {
            String securityId = dialer
                    ? MultistreamSelect.select(wire, securityIds())
                    : MultistreamSelect.handle(wire, securityIds());
            SecureChannel security = securityProtocols.stream()
                    .filter(s -> s.protocolId().equals(securityId))
                    .findFirst()
                    .orElseThrow();
            SecureConnection secure = dialer
                    ? security.secureOutbound(wire, expectedRemote)
                    : security.secureInbound(wire);
            Optional<StreamMuxer> early = secure.negotiatedMuxer().flatMap(this::muxer);
            StreamMuxer muxer;
            if (early.isPresent()) {
                muxer = early.get();
            } else {
                String muxerId = dialer
                        ? MultistreamSelect.select(secure, muxerIds())
                        : MultistreamSelect.handle(secure, muxerIds());
                muxer = muxer(muxerId).orElseThrow();
            }
            deadline.close();
            if (deadline.expired()) {
                throw new SocketTimeoutException("upgrader: timed out as it finished (" + timeout.toMillis() + " ms)");
            }
            MuxedConnection muxed = muxer.start(secure, dialer);
            Connection connection = new Connection(muxed, secure.localPeer(), secure.remotePeer(),
                    secure.remotePublicKey(), raw.localAddress(), raw.remoteAddress(), securityId,
                    muxer.protocolId(), early.isPresent(), dialer, trace);
            log.debug("upgrader: {}", connection);
            if (trace.on()) traceUpgraded(trace, connection);
            return connection;
        } catch (IOException | RuntimeException e) {
            deadline.close();
            raw.close();
            if (deadline.expired() && !(e instanceof SocketTimeoutException)) {
                SocketTimeoutException timedOut = new SocketTimeoutException("upgrader: " + (dialer ? "outbound" : "inbound")
                        + " upgrade with " + raw.remoteAddress() + " timed out (" + timeout.toMillis() + " ms)");
                timedOut.initCause(e);
                throw timedOut;
            }
            throw e;
        }
    }

    /** {@code · connection outbound local=/ip4/.../tcp/53124 remote=/ip4/.../tcp/4001} */
    private static void traceStart(Trace trace, RawConnection raw, boolean dialer) {
        trace.local("connection").word("role", dialer ? "outbound" : "inbound").pair("local", raw.localAddress())
                .pair("remote", raw.remoteAddress()).emit();
    }

    /**
     * {@code · connection upgraded peer=12D3KooW... security=/noise muxer=/yamux/1.0.0 (muxer from handshake)}.
     */
    private static void traceUpgraded(Trace trace, Connection c) {
        trace.local("connection").word("event", "upgraded").pair("peer", c.remotePeer()).pair("security",
                c.securityProtocol()).pair("muxer", c.muxerProtocol()).note("muxer_from", c.earlyMuxerNegotiation()
                        ? "handshake" : "multistream-select").emit();
    }

    private List<String> securityIds() {
        return securityProtocols.stream().map(SecureChannel::protocolId).toList();
    }

    private List<String> muxerIds() {
        return muxers.stream().map(StreamMuxer::protocolId).toList();
    }

    private Optional<StreamMuxer> muxer(String id) {
        return muxers.stream().filter(m -> m.protocolId().equals(id)).findFirst();
    }
}
