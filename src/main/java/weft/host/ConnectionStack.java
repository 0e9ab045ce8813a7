package weft.host;

import java.util.List;
import weft.connection.Upgrader;
import weft.crypto.PrivateKey;
import weft.mux.StreamMuxer;
import weft.mux.mplex.Mplex;
import weft.mux.yamux.Yamux;
import weft.security.SecureChannel;
import weft.security.noise.NoiseSecureChannel;
import weft.security.tls.TlsSecureChannel;

/**
 * The security protocols and stream muxers a {@link HostConfig} names, built into the host's {@link Upgrader}, in
 * the config's order of preference. A dialer proposes them in that order; a listener accepts every one of them.
 *
 * <p>With {@link HostConfig#earlyMuxerNegotiation()} on, each security protocol carries the configured muxers, in
 * order, into its handshake (libp2p specs {@code connections/inlined-muxer-negotiation.md}): Noise in the
 * {@code stream_muxers} of its handshake payloads, TLS as ALPN names, followed by {@code "libp2p"} ("the
 * {@code libp2p} protocol ... MUST be the last one in the list"). A handshake that agrees on none of them, or an
 * ALPN result of {@code "libp2p"}, leaves the muxer to multistream-select, as go-libp2p's upgrader does. With it
 * off, Noise sends no muxer list and TLS offers only {@code "libp2p"}.
 */
final class ConnectionStack {
    private ConnectionStack() {}

    /** The upgrader for {@code config}, proving {@code identity} (TLS makes its certificate here, once per host). */
    static Upgrader upgrader(HostConfig config, PrivateKey identity) {
        List<StreamMuxer> muxers = config.muxers().stream().map(m -> muxer(m, config)).toList();
        List<String> early = config.earlyMuxerNegotiation()
                ? muxers.stream().map(StreamMuxer::protocolId).toList()
                : List.of();
        List<SecureChannel> security = config.security().stream()
                .map(s -> security(s, identity, early, config))
                .toList();
        return new Upgrader(security, muxers, config.upgradeTimeout());
    }

    private static SecureChannel security(HostConfig.Security security, PrivateKey identity, List<String> early,
            HostConfig config) {
        return switch (security) {
            case NOISE -> new NoiseSecureChannel(identity).withHandshakeTimeout(config.upgradeTimeout())
                    .withMuxers(early);
            case TLS -> new TlsSecureChannel(identity).withHandshakeTimeout(config.upgradeTimeout())
                    .withMuxers(early);
        };
    }

    private static StreamMuxer muxer(HostConfig.Muxer muxer, HostConfig config) {
        return switch (muxer) {
            case YAMUX -> new Yamux(config.yamux());
            case MPLEX -> new Mplex(config.mplex());
        };
    }
}
