package weft.cli.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;

/**
 * What weft answers to, in the runners' words: the {@code transport}, {@code security} ({@code SECURE_CHANNEL}) and
 * {@code muxer} ({@code MUXER}) names of the libp2p test matrices, mapped onto a {@link HostConfig}. This file is
 * the one table to extend when a layer lands (and then the {@code images.yaml} entry in
 * {@code src/test/interop/runner/README.md}); the tests run every combination it lists.
 *
 * <p>Names as the runners spell them: test-plans {@code transport-interop/versionsInput.json} and unified-testing
 * {@code transport/images.yaml} ({@code transports: [tcp, ws, quic-v1, webrtc-direct, ...]},
 * {@code secureChannels: [noise, tls]}, {@code muxers: [yamux, mplex]}). "Standalone" transports bring their own
 * security and multiplexing: unified-testing {@code lib/lib-generate-tests.sh} lists
 * {@code STANDALONE_TRANSPORTS="quic quic-v1 webtransport webrtc webrtc-direct https"}, and for them the runners
 * set neither security nor muxer (test-plans {@code transport-interop/README.md}: "muxer ... security ... no, except
 * when transport is one of quic, quic-v1, webtransport").
 */
final class Stacks {
    private Stacks() {}

    /**
     * A transport: how to listen on it, given the IP the runner says ({@code ip}, {@code LISTENER_IP}), and whether
     * it is standalone (one of {@code STANDALONE_TRANSPORTS}: security and muxer are ignored).
     */
    record Transport(String name, String listenSuffix, boolean standalone) {
        Multiaddr listenAddress(String ip) {
            return Multiaddr.parse((ip.contains(":") ? "/ip6/" : "/ip4/") + ip + listenSuffix);
        }
    }

    /**
     * The transports weft speaks. QUIC needs netty's native QUIC on the class path (the CLI jar has it); webrtc-direct
     * ({@code /udp/0/webrtc-direct}, standalone) goes here when the Host listens on it.
     */
    static final Map<String, Transport> TRANSPORTS = Map.of(
            "tcp", new Transport("tcp", "/tcp/0", false),
            "ws", new Transport("ws", "/tcp/0/ws", false),
            "quic-v1", new Transport("quic-v1", "/udp/0/quic-v1", true));

    /** Security protocols weft speaks. */
    static final Map<String, HostConfig.Security> SECURITY = Map.of(
            "noise", HostConfig.Security.NOISE,
            "tls", HostConfig.Security.TLS);

    /** Stream muxers weft speaks. */
    static final Map<String, HostConfig.Muxer> MUXERS = Map.of(
            "yamux", HostConfig.Muxer.YAMUX,
            "mplex", HostConfig.Muxer.MPLEX);

    /**
     * One test's choice. {@code security} and {@code muxer} are null for a standalone transport (and ignored if a
     * runner passes them anyway).
     */
    record Stack(String transport, String security, String muxer) {
        @Override
        public String toString() {
            return security == null ? transport : transport + "/" + security + "/" + muxer;
        }
    }

    /** A combination this build of weft cannot run: the test app exits non-zero, as the runners expect of errors. */
    static final class UnsupportedStackException extends Exception {
        UnsupportedStackException(String message) {
            super(message);
        }
    }

    /**
     * The stack the runner asked for, checked against the tables. A standalone transport drops security and muxer.
     *
     * @throws UnsupportedStackException naming what is not supported and what is
     */
    static Stack check(String transport, String security, String muxer) throws UnsupportedStackException {
        if (transport == null || !TRANSPORTS.containsKey(transport)) {
            throw new UnsupportedStackException("interop: unsupported transport " + quoted(transport)
                    + " (weft speaks " + names(TRANSPORTS) + ")");
        }
        if (TRANSPORTS.get(transport).standalone()) {
            return new Stack(transport, null, null);
        }
        if (security == null || !SECURITY.containsKey(security)) {
            throw new UnsupportedStackException("interop: unsupported security " + quoted(security) + " over "
                    + transport + " (weft speaks " + names(SECURITY) + ")");
        }
        if (muxer == null || !MUXERS.containsKey(muxer)) {
            throw new UnsupportedStackException("interop: unsupported muxer " + quoted(muxer) + " over " + transport
                    + " (weft speaks " + names(MUXERS) + ")");
        }
        return new Stack(transport, security, muxer);
    }

    /** The host for {@code stack}: only that security protocol and that muxer, so that nothing else is negotiated. */
    static HostConfig configure(HostConfig base, Stack stack) {
        if (stack.security() == null) {
            return base;
        }
        return base.withSecurity(SECURITY.get(stack.security())).withMuxers(MUXERS.get(stack.muxer()));
    }

    /** Every combination of the tables, sorted: what the tests run and what {@code images.yaml} may claim. */
    static List<Stack> supported() {
        List<Stack> out = new ArrayList<>();
        for (Transport t : new TreeMap<>(TRANSPORTS).values()) {
            if (t.standalone()) {
                out.add(new Stack(t.name(), null, null));
                continue;
            }
            for (String security : new TreeMap<>(SECURITY).keySet()) {
                for (String muxer : new TreeMap<>(MUXERS).keySet()) {
                    out.add(new Stack(t.name(), security, muxer));
                }
            }
        }
        return out;
    }

    /** The tables as an {@code images.yaml} entry's capability lines. */
    static List<String> imagesYaml() {
        return List.of(
                "transports: [" + names(TRANSPORTS) + "]",
                "secureChannels: [" + names(SECURITY) + "]",
                "muxers: [" + names(MUXERS) + "]");
    }

    private static String names(Map<String, ?> table) {
        return String.join(", ", new TreeMap<>(table).keySet());
    }

    private static String quoted(String name) {
        return name == null ? "(not set)" : "\"" + name + "\"";
    }
}
