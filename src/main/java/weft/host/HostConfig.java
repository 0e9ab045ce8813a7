package weft.host;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.mplex.MplexConfig;
import weft.mux.yamux.YamuxConfig;
import weft.trace.TraceListener;
import weft.transport.quic.QuicConfig;
import weft.transport.webrtc.WebRtcDirectListener;
import weft.transport.webrtc.dtls.DtlsCertificate;

/**
 * How a {@link Host} is set up. Immutable; start from {@link #defaults()} and change what you need:
 *
 * <pre>{@code
 * HostConfig config = HostConfig.defaults()
 *         .withIdentity(PrivateKey.generate())
 *         .withListenAddresses(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001")))
 *         .withPerf(true);
 * }</pre>
 *
 * @param identity the host's key; its peer ID is the host's ID. {@code null}: a fresh Ed25519 key
 * @param listenAddresses where to listen; empty: dial only
 * @param earlyMuxerNegotiation offer the muxers inside the security handshake, Noise extensions or TLS ALPN (saves
 *        a round trip; go and js do it)
 * @param dialTimeout bounds a TCP connect (go-libp2p's {@code defaultConnectTimeout} is 5 s)
 * @param upgradeTimeout bounds security handshake plus muxer selection (go-libp2p: 15 s)
 * @param agentVersion what identify tells peers about us, {@code weft/<version>}
 * @param echo serve {@code /echo/1.0.0}
 * @param perf serve {@code /perf/1.0.0} (the perf spec: "SHOULD NOT be enabled by default")
 * @param security security protocols, most preferred first (default: Noise, then TLS, as js-libp2p and go-libp2p
 *        both speak them; go prefers TLS, js and weft Noise)
 * @param muxers stream muxers, most preferred first (default: yamux only; go-libp2p dropped mplex from its
 *        defaults in v0.23, add it for peers that speak nothing else)
 * @param yamux the yamux settings, passed to every connection as they are (streams, backlog, windows)
 * @param mplex the mplex settings (frame sizes, per-stream buffer bound)
 * @param limits the host's bounds on connections and stream negotiation ({@link Limits#defaults()})
 * @param trace where each connection's wire trace goes ({@link weft.trace}); the default,
 *        {@link TraceListener#slf4j()}, traces while the logger {@code weft.trace} is at TRACE level
 * @param webRtcCertificate the DTLS certificate of every {@code /udp/N/webrtc-direct} listener, whose fingerprint is
 *        the {@code /certhash} of their addresses; keep it (e.g. with
 *        {@link weft.transport.webrtc.dtls.CertificateFile}) for addresses that survive restarts. {@code null}: a
 *        fresh one, made on the host's first webrtc-direct listen
 * @param quic the settings of the host's QUIC transport, for {@code /udp/N/quic-v1} dials and listeners (idle
 *        timeout, handshake timeout, windows, incoming streams; {@link QuicConfig#defaults()}: go-libp2p's)
 * @param webRtc the bounds of every {@code /udp/N/webrtc-direct} listener: remotes in total, per IP address and in
 *        flight (the WebRTC counterpart of {@link Limits#maxPendingInboundConnections()}: a browser's STUN, DTLS,
 *        SCTP and Noise run inside the listener), the setup timeout, and each data channel's receive bound
 */
public record HostConfig(
        PrivateKey identity,
        List<Multiaddr> listenAddresses,
        boolean earlyMuxerNegotiation,
        Duration dialTimeout,
        Duration upgradeTimeout,
        String agentVersion,
        boolean echo,
        boolean perf,
        List<Security> security,
        List<Muxer> muxers,
        YamuxConfig yamux,
        MplexConfig mplex,
        Limits limits,
        TraceListener trace,
        DtlsCertificate webRtcCertificate,
        QuicConfig quic,
        WebRtcDirectListener.Config webRtc) {

    /** go-libp2p's {@code defaultConnectTimeout} ({@code p2p/transport/tcp/tcp.go}). */
    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);
    /** go-libp2p's {@code defaultAcceptTimeout} ({@code p2p/net/upgrader/upgrader.go}). */
    public static final Duration DEFAULT_UPGRADE_TIMEOUT = Duration.ofSeconds(15);

    public HostConfig {
        listenAddresses = List.copyOf(listenAddresses);
        Objects.requireNonNull(dialTimeout, "dialTimeout");
        Objects.requireNonNull(upgradeTimeout, "upgradeTimeout");
        Objects.requireNonNull(agentVersion, "agentVersion");
        security = List.copyOf(security);
        muxers = List.copyOf(muxers);
        if (security.isEmpty()) throw new IllegalArgumentException("host config: no security protocol");
        if (muxers.isEmpty()) throw new IllegalArgumentException("host config: no stream muxer");
        Objects.requireNonNull(yamux, "yamux");
        Objects.requireNonNull(mplex, "mplex");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(quic, "quic");
        Objects.requireNonNull(webRtc, "webRtc");
    }

    /** A security protocol a host can speak, with its multistream protocol ID. */
    public enum Security {
        /** {@code /noise}: the Noise XX handshake (libp2p noise spec). */
        NOISE("/noise"),
        /** {@code /tls/1.0.0}: TLS 1.3 with the libp2p certificate extension (libp2p tls spec). */
        TLS("/tls/1.0.0");

        private final String protocolId;

        Security(String protocolId) {
            this.protocolId = protocolId;
        }

        public String protocolId() {
            return protocolId;
        }
    }

    /** A stream muxer a host can speak, with its multistream protocol ID. */
    public enum Muxer {
        /** {@code /yamux/1.0.0}: flow-controlled streams (libp2p yamux spec, hashicorp's spec.md). */
        YAMUX("/yamux/1.0.0"),
        /** {@code /mplex/6.7.0}: legacy, no flow control (libp2p mplex spec). */
        MPLEX("/mplex/6.7.0");

        private final String protocolId;

        Muxer(String protocolId) {
            this.protocolId = protocolId;
        }

        public String protocolId() {
            return protocolId;
        }
    }

    /** A fresh identity, no listen addresses, Noise then TLS, yamux, early muxer negotiation on, echo and perf off. */
    public static HostConfig defaults() {
        return new HostConfig(null, List.of(), true, DEFAULT_DIAL_TIMEOUT, DEFAULT_UPGRADE_TIMEOUT,
                "weft/" + version(), false, false, List.of(Security.NOISE, Security.TLS), List.of(Muxer.YAMUX),
                YamuxConfig.defaults(), MplexConfig.defaults(), Limits.defaults(), TraceListener.slf4j(), null,
                QuicConfig.defaults(), WebRtcDirectListener.Config.defaults());
    }

    /** The version in the jar's manifest, or {@code dev} when running from classes. */
    static String version() {
        String v = HostConfig.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public HostConfig withIdentity(PrivateKey key) {
        return new HostConfig(key, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, security, muxers, yamux, mplex, limits, trace, webRtcCertificate, quic, webRtc);
    }

    public HostConfig withListenAddresses(List<Multiaddr> addresses) {
        return new HostConfig(identity, addresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, security, muxers, yamux, mplex, limits, trace, webRtcCertificate, quic, webRtc);
    }

    public HostConfig withEarlyMuxerNegotiation(boolean on) {
        return new HostConfig(identity, listenAddresses, on, dialTimeout, upgradeTimeout, agentVersion, echo,
                perf, security, muxers, yamux, mplex, limits, trace, webRtcCertificate, quic, webRtc);
    }

    public HostConfig withDialTimeout(Duration timeout) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, timeout, upgradeTimeout,
                agentVersion, echo, perf, security, muxers, yamux, mplex, limits, trace, webRtcCertificate, quic, webRtc);
    }

    public HostConfig withUpgradeTimeout(Duration timeout) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, timeout,
                agentVersion, echo, perf, security, muxers, yamux, mplex, limits, trace, webRtcCertificate, quic, webRtc);
    }

    public HostConfig withAgentVersion(String agent) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agent, echo, perf, security, muxers, yamux, mplex, limits, trace, webRtcCertificate, quic, webRtc);
    }

    public HostConfig withEcho(boolean on) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, on, perf, security, muxers, yamux, mplex, limits, trace, webRtcCertificate, quic, webRtc);
    }

    public HostConfig withPerf(boolean on) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, on, security, muxers, yamux, mplex, limits, trace, webRtcCertificate, quic, webRtc);
    }

    /** Security protocols in order of preference: the first is proposed when dialing, all are accepted. */
    public HostConfig withSecurity(Security... preference) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, List.of(preference), muxers, yamux, mplex, limits, trace, webRtcCertificate,
                quic, webRtc);
    }

    /** Stream muxers in order of preference: the first is proposed when dialing, all are accepted. */
    public HostConfig withMuxers(Muxer... preference) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, security, List.of(preference), yamux, mplex, limits, trace,
                webRtcCertificate, quic, webRtc);
    }

    public HostConfig withYamux(YamuxConfig config) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, security, muxers, config, mplex, limits, trace, webRtcCertificate, quic, webRtc);
    }

    public HostConfig withMplex(MplexConfig config) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, security, muxers, yamux, config, limits, trace, webRtcCertificate, quic, webRtc);
    }

    /** Traces every connection to {@code listener} ({@link TraceListener#OFF}: never, whatever the logging says). */
    public HostConfig withTrace(TraceListener listener) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, security, muxers, yamux, mplex, limits, listener, webRtcCertificate, quic, webRtc);
    }

    public HostConfig withLimits(Limits v) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, security, muxers, yamux, mplex, v, trace, webRtcCertificate, quic, webRtc);
    }

    /** The settings of the host's QUIC transport (made on the first QUIC dial or listen). */
    public HostConfig withQuic(QuicConfig config) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, security, muxers, yamux, mplex, limits, trace, webRtcCertificate, config, webRtc);
    }

    /** The DTLS certificate of the host's WebRTC-direct listeners ({@code null}: a fresh one per host). */
    public HostConfig withWebRtcCertificate(DtlsCertificate certificate) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, security, muxers, yamux, mplex, limits, trace, certificate, quic, webRtc);
    }

    /** The bounds of the host's WebRTC-direct listeners ({@link WebRtcDirectListener.Config#defaults()}). */
    public HostConfig withWebRtc(WebRtcDirectListener.Config config) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, security, muxers, yamux, mplex, limits, trace, webRtcCertificate, quic,
                config);
    }
}
