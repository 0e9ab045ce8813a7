package weft.transport.quic;

import java.time.Duration;

/**
 * The settings of a {@link QuicTransport}. The defaults are go-libp2p's ({@code p2p/transport/quicreuse/config.go}):
 * 256 incoming bidirectional streams, a 10 MiB window per stream and 15 MiB per connection, and quic-go's 30 s idle
 * timeout.
 *
 * <p>The windows are how much the peer may send before we read: quiche keeps that much per stream and per connection
 * and grants more only as the application reads ({@code MAX_STREAM_DATA}, {@code MAX_DATA}, RFC 9000 §4.1). One
 * window is also the most a single stream can have in flight, so at 10 MiB a stream fills a 1 Gbit/s path up to 80
 * ms of round trip. Memory is bounded by the connection window, whatever the number of streams.
 *
 * @param idleTimeout the connection closes after this long without a packet from the peer (QUIC
 *     {@code max_idle_timeout}, RFC 9000 §10.1; the smaller of both peers' values applies); it also bounds a
 *     handshake that stalls on the listener's side
 * @param handshakeTimeout bounds a dial: UDP setup, the TLS handshake and the peer check
 * @param streamReceiveWindow {@code initial_max_stream_data_bidi_local} and {@code _remote}, bytes
 * @param connectionReceiveWindow {@code initial_max_data}, bytes
 * @param maxIncomingStreams {@code initial_max_streams_bidi}: streams the peer may have open towards us at once
 * @param eventLoopThreads the netty threads that run every QUIC connection of the transport (UDP IO, quiche, TLS)
 * @param keepAlivePeriod how often a {@link weft.host.Host} pings a QUIC connection so that neither side's idle
 *     timeout closes it while nothing else moves; {@link Duration#ZERO}: never. go-libp2p's QUIC sends a QUIC PING
 *     frame every 15 s ({@code quicreuse/config.go}, {@code KeepAlivePeriod}); netty's codec cannot send one, so
 *     the host sends a libp2p ping ({@code /ipfs/ping/1.0.0}) on a new stream instead. A bare {@link QuicTransport}
 *     does not use it
 */
public record QuicConfig(Duration idleTimeout, Duration handshakeTimeout, long streamReceiveWindow,
        long connectionReceiveWindow, int maxIncomingStreams, int eventLoopThreads, Duration keepAlivePeriod) {

    public QuicConfig {
        if (idleTimeout.isNegative() || idleTimeout.isZero() || handshakeTimeout.isNegative()
                || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("quic: timeouts must be positive (" + idleTimeout + ", "
                    + handshakeTimeout + ")");
        }
        if (streamReceiveWindow < 1 || connectionReceiveWindow < streamReceiveWindow) {
            throw new IllegalArgumentException("quic: windows must be positive, the connection's at least the "
                    + "stream's (" + streamReceiveWindow + ", " + connectionReceiveWindow + ")");
        }
        if (keepAlivePeriod.isNegative()) {
            throw new IllegalArgumentException("quic: keepAlivePeriod must not be negative (" + keepAlivePeriod + ")");
        }
        if (maxIncomingStreams < 1 || eventLoopThreads < 1) {
            throw new IllegalArgumentException("quic: maxIncomingStreams and eventLoopThreads must be positive ("
                    + maxIncomingStreams + ", " + eventLoopThreads + ")");
        }
    }

    /** go-libp2p's values, one event-loop thread. */
    public static QuicConfig defaults() {
        return new QuicConfig(Duration.ofSeconds(30), Duration.ofSeconds(15), 10L << 20, 15L << 20, 256, 1,
                Duration.ofSeconds(15));
    }

    public QuicConfig withIdleTimeout(Duration timeout) {
        return new QuicConfig(timeout, handshakeTimeout, streamReceiveWindow, connectionReceiveWindow,
                maxIncomingStreams, eventLoopThreads, keepAlivePeriod);
    }

    public QuicConfig withHandshakeTimeout(Duration timeout) {
        return new QuicConfig(idleTimeout, timeout, streamReceiveWindow, connectionReceiveWindow,
                maxIncomingStreams, eventLoopThreads, keepAlivePeriod);
    }

    public QuicConfig withWindows(long stream, long connection) {
        return new QuicConfig(idleTimeout, handshakeTimeout, stream, connection, maxIncomingStreams,
                eventLoopThreads, keepAlivePeriod);
    }

    public QuicConfig withMaxIncomingStreams(int streams) {
        return new QuicConfig(idleTimeout, handshakeTimeout, streamReceiveWindow, connectionReceiveWindow, streams,
                eventLoopThreads, keepAlivePeriod);
    }

    public QuicConfig withEventLoopThreads(int threads) {
        return new QuicConfig(idleTimeout, handshakeTimeout, streamReceiveWindow, connectionReceiveWindow,
                maxIncomingStreams, threads, keepAlivePeriod);
    }

    /** {@link Duration#ZERO}: no keep-alive. */
    public QuicConfig withKeepAlivePeriod(Duration period) {
        return new QuicConfig(idleTimeout, handshakeTimeout, streamReceiveWindow, connectionReceiveWindow,
                maxIncomingStreams, eventLoopThreads, period);
    }
}
