package weft.host;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.yamux.YamuxConfig;

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
 * @param earlyMuxerNegotiation offer yamux inside the Noise handshake (saves a round trip; go and js do it)
 * @param dialTimeout bounds a TCP connect (go-libp2p's {@code defaultConnectTimeout} is 5 s)
 * @param upgradeTimeout bounds security handshake plus muxer selection (go-libp2p: 15 s)
 * @param agentVersion what identify tells peers about us, {@code weft/<version>}
 * @param echo serve {@code /echo/1.0.0}
 * @param perf serve {@code /perf/1.0.0} (the perf spec: "SHOULD NOT be enabled by default")
 * @param yamux the muxer's settings
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
        YamuxConfig yamux) {

    /** go-libp2p's {@code defaultConnectTimeout} ({@code p2p/transport/tcp/tcp.go}). */
    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);
    /** go-libp2p's {@code defaultAcceptTimeout} ({@code p2p/net/upgrader/upgrader.go}). */
    public static final Duration DEFAULT_UPGRADE_TIMEOUT = Duration.ofSeconds(15);

    public HostConfig {
        listenAddresses = List.copyOf(listenAddresses);
        Objects.requireNonNull(dialTimeout, "dialTimeout");
        Objects.requireNonNull(upgradeTimeout, "upgradeTimeout");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(yamux, "yamux");
    }

    /** A fresh identity, no listen addresses, early muxer negotiation on, echo and perf off. */
    public static HostConfig defaults() {
        return new HostConfig(null, List.of(), true, DEFAULT_DIAL_TIMEOUT, DEFAULT_UPGRADE_TIMEOUT,
                "weft/" + version(), false, false, YamuxConfig.defaults());
    }

    /** The version in the jar's manifest, or {@code dev} when running from classes. */
    static String version() {
        String v = HostConfig.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public HostConfig withIdentity(PrivateKey key) {
        return new HostConfig(key, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout, agentVersion,
                echo, perf, yamux);
    }

    public HostConfig withListenAddresses(List<Multiaddr> addresses) {
        return new HostConfig(identity, addresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout, agentVersion,
                echo, perf, yamux);
    }

    public HostConfig withEarlyMuxerNegotiation(boolean on) {
        return new HostConfig(identity, listenAddresses, on, dialTimeout, upgradeTimeout, agentVersion, echo, perf,
                yamux);
    }

    public HostConfig withDialTimeout(Duration timeout) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, timeout, upgradeTimeout, agentVersion,
                echo, perf, yamux);
    }

    public HostConfig withUpgradeTimeout(Duration timeout) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, timeout, agentVersion,
                echo, perf, yamux);
    }

    public HostConfig withAgentVersion(String agent) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout, agent,
                echo, perf, yamux);
    }

    public HostConfig withEcho(boolean on) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, on, perf, yamux);
    }

    public HostConfig withPerf(boolean on) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, on, yamux);
    }

    public HostConfig withYamux(YamuxConfig config) {
        return new HostConfig(identity, listenAddresses, earlyMuxerNegotiation, dialTimeout, upgradeTimeout,
                agentVersion, echo, perf, config);
    }
}
