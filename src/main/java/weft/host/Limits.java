package weft.host;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds a {@link Host} keeps whatever its peers do, and what happens at each. Per-connection stream and memory
 * bounds are the muxer's ({@link weft.mux.yamux.YamuxConfig}: streams, accept backlog, summed receive windows); these
 * are the host's own. Immutable; start from {@link #defaults()}:
 * {@code Limits.defaults().withMaxInboundConnections(1000)}.
 *
 * @param maxInboundConnections upgraded inbound connections at once; a connection accepted beyond is closed before
 *     its handshake (js-libp2p {@code maxConnections} 300, {@code connection-manager/constants.ts})
 * @param maxInboundConnectionsPerPeer upgraded inbound connections from one peer ID; one more is closed right after
 *     its handshake (go-libp2p resource manager {@code PeerBaseLimit.ConnsInbound} 8, {@code limit_defaults.go})
 * @param maxPendingInboundConnections inbound connections still in their upgrade (multistream, Noise, muxer); one
 *     accepted beyond is closed at once (js-libp2p {@code maxIncomingPendingConnections} 10,
 *     {@code connection-manager/constants.defaults.ts}); WebRTC-direct setups run inside their listener and are
 *     bounded by {@link HostConfig#webRtc()} instead
 * @param negotiationTimeout how long multistream-select may take on a stream: an inbound stream that has not
 *     proposed a protocol we serve by then is reset with {@code PROTOCOL_NEGOTIATION_FAILED}; an outbound
 *     {@link Host#newStream} fails with {@link java.net.SocketTimeoutException} (go-libp2p basic host
 *     {@code DefaultNegotiationTimeout} 10 s)
 * @param streamIdleTimeout bounds each read and write of an inbound stream's handler after negotiation, so a peer
 *     that stops sending or reading loses the stream ({@link java.net.SocketTimeoutException}, then reset); zero
 *     (the default) means no bound, as in go-libp2p, which has none (protocols such as ping set their own)
 */
public record Limits(
        int maxInboundConnections,
        int maxInboundConnectionsPerPeer,
        int maxPendingInboundConnections,
        Duration negotiationTimeout,
        Duration streamIdleTimeout) {

    public static final int DEFAULT_MAX_INBOUND_CONNECTIONS = 300;
    public static final int DEFAULT_MAX_INBOUND_CONNECTIONS_PER_PEER = 8;
    public static final int DEFAULT_MAX_PENDING_INBOUND_CONNECTIONS = 10;
    public static final Duration DEFAULT_NEGOTIATION_TIMEOUT = Duration.ofSeconds(10);

    public Limits {
        Objects.requireNonNull(negotiationTimeout, "negotiationTimeout");
        Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
        require(maxInboundConnections > 0, "maxInboundConnections must be positive");
        require(maxInboundConnectionsPerPeer > 0, "maxInboundConnectionsPerPeer must be positive");
        require(maxPendingInboundConnections > 0, "maxPendingInboundConnections must be positive");
        require(negotiationTimeout.isPositive(), "negotiationTimeout must be positive");
        require(!streamIdleTimeout.isNegative(), "streamIdleTimeout must not be negative");
    }

    /** The defaults named in the class doc. */
    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_INBOUND_CONNECTIONS, DEFAULT_MAX_INBOUND_CONNECTIONS_PER_PEER,
                DEFAULT_MAX_PENDING_INBOUND_CONNECTIONS, DEFAULT_NEGOTIATION_TIMEOUT, Duration.ZERO);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("host: " + message);
        }
    }

    public Limits withMaxInboundConnections(int v) {
        return new Limits(v, maxInboundConnectionsPerPeer, maxPendingInboundConnections, negotiationTimeout,
                streamIdleTimeout);
    }

    public Limits withMaxInboundConnectionsPerPeer(int v) {
        return new Limits(maxInboundConnections, v, maxPendingInboundConnections, negotiationTimeout,
                streamIdleTimeout);
    }

    public Limits withMaxPendingInboundConnections(int v) {
        return new Limits(maxInboundConnections, maxInboundConnectionsPerPeer, v, negotiationTimeout,
                streamIdleTimeout);
    }

    public Limits withNegotiationTimeout(Duration v) {
        return new Limits(maxInboundConnections, maxInboundConnectionsPerPeer, maxPendingInboundConnections, v,
                streamIdleTimeout);
    }

    public Limits withStreamIdleTimeout(Duration v) {
        return new Limits(maxInboundConnections, maxInboundConnectionsPerPeer, maxPendingInboundConnections,
                negotiationTimeout, v);
    }
}
