package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import weft.multiformats.Multiaddr;

/**
 * Listener and dialer as the runners start them: two JVMs with nothing but the runner's environment variables, a
 * real redis-server between them; exit codes, stdout and stderr checked the way each runner reads them. A
 * cross-section of the stacks, in which every transport, security protocol and muxer meets each convention
 * ({@link InteropMatrixTest} runs every combination in-process: JVM start-up is most of a pair's time here).
 */
class InteropRunnerTest {
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    /**
     * Each convention over each transport, with noise and tls, mplex and yamux each seen in both conventions (the
     * standalone quic-v1 has neither); only stacks {@link Stacks} supports (all of them today).
     */
    static Stream<Arguments> pairs() {
        return Stream.of(
                        Arguments.of(Convention.LEGACY, new Stacks.Stack("tcp", "noise", "mplex")),
                        Arguments.of(Convention.LEGACY, new Stacks.Stack("ws", "tls", "yamux")),
                        Arguments.of(Convention.UNIFIED, new Stacks.Stack("tcp", "tls", "mplex")),
                        Arguments.of(Convention.UNIFIED, new Stacks.Stack("ws", "noise", "yamux")),
                        Arguments.of(Convention.LEGACY, new Stacks.Stack("quic-v1", null, null)),
                        Arguments.of(Convention.UNIFIED, new Stacks.Stack("quic-v1", null, null)))
                .filter(pair -> Stacks.supported().contains((Stacks.Stack) pair.get()[1]));
    }

    @Test
    void theCrossSectionCoversEveryTransportSecurityAndMuxerInEachConvention() {
        for (Convention convention : Convention.values()) {
            List<Stacks.Stack> stacks = pairs().filter(p -> p.get()[0] == convention)
                    .map(p -> (Stacks.Stack) p.get()[1]).toList();
            assertEquals(Stacks.TRANSPORTS.keySet(), stacks.stream().map(Stacks.Stack::transport)
                    .collect(java.util.stream.Collectors.toSet()), convention + ": " + stacks);
            assertEquals(Stacks.SECURITY.keySet(), stacks.stream().map(Stacks.Stack::security).filter(java.util.Objects::nonNull)
                    .collect(java.util.stream.Collectors.toSet()), convention + ": " + stacks);
            assertEquals(Stacks.MUXERS.keySet(), stacks.stream().map(Stacks.Stack::muxer).filter(java.util.Objects::nonNull)
                    .collect(java.util.stream.Collectors.toSet()), convention + ": " + stacks);
        }
    }

    private static Map<String, String> env(Convention convention, Stacks.Stack stack, boolean dialer, String testKey) {
        return RunnerApp.env(convention, stack, dialer, testKey, redis.address());
    }

    /** Whether this machine has an up, non-loopback IPv4 interface: then a 0.0.0.0 listener must publish it. */
    static boolean hasNonLoopbackIpv4() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .anyMatch(a -> a instanceof Inet4Address && !a.isLoopbackAddress()); // as the Host reads them
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pairs")
    void listenerAndDialerMeetThroughRedisAndTheDialerReportsItsLatency(Convention convention, Stacks.Stack stack)
            throws Exception {
        String key = RunnerApp.testKey();
        String name = convention.lowerName() + "-" + stack.toString().replace('/', '-');
        try (RunnerApp.Listener listener = RunnerApp.listen(name, env(convention, stack, false, key), "interop")) {
            RunnerApp.Run dialer = RunnerApp.run(name + "-dialer", env(convention, stack, true, key), "interop");
            assertEquals(0, dialer.exitCode(), dialer.toString());

            Reports.latency(convention, dialer.stdout());

            Multiaddr published = listener.published();
            assertEquals(hasNonLoopbackIpv4(), !TestApp.loopback(published), published.toString());
            assertTrue(published.toString().contains("/p2p/12D3KooW"), published.toString());
            assertEquals(stack.transport().equals("ws"), published.toString().contains("/ws/"), published.toString());
            assertTrue(listener.isAlive(), "the listener serves until the runner stops it");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perfStacks")
    void perfDialerPrintsUploadDownloadAndLatencySummaries(Stacks.Stack stack) throws Exception {
        String key = RunnerApp.testKey();
        String name = "perf-" + stack.toString().replace('/', '-');
        try (RunnerApp.Listener listener = RunnerApp.listen(name,
                env(Convention.UNIFIED, stack, false, key), "interop", "perf")) {
            Map<String, String> env = env(Convention.UNIFIED, stack, true, key);
            env.putAll(Map.of("UPLOAD_BYTES", "262144", "DOWNLOAD_BYTES", "524288", "UPLOAD_ITERATIONS", "3",
                    "DOWNLOAD_ITERATIONS", "2", "LATENCY_ITERATIONS", "5", "DURATION", "20"));
            RunnerApp.Run dialer = RunnerApp.run(name + "-dialer", env, "interop", "perf");
            assertEquals(0, dialer.exitCode(), dialer.toString());

            Map<String, Map<String, String>> blocks = Reports.perf(dialer.stdout());
            assertEquals(List.of("upload", "download", "latency"), List.copyOf(blocks.keySet()), dialer.stdout());
            Reports.check(blocks.get("upload"), 3, "Gbps");
            Reports.check(blocks.get("download"), 2, "Gbps");
            Reports.check(blocks.get("latency"), 5, "ms");
            try (RedisClient client = redis.client()) {
                assertEquals(listener.published().toString(), client.get(key + "_listener_multiaddr").orElseThrow(),
                        "perf listeners SET their address (and the dialer only reads it)");
            }
        }
    }

    /** One process pair for the perf app; {@link InteropMatrixTest} runs it over every stack in-process. */
    static Stream<Stacks.Stack> perfStacks() {
        return Stream.of(new Stacks.Stack("tcp", "noise", "yamux"));
    }

    @Test
    void unsupportedStackExitsNonZeroNamingWhatIsSupported() throws Exception {
        Stacks.Stack webtransport = new Stacks.Stack("webtransport", null, null);
        RunnerApp.Run dialer = RunnerApp.run("unsupported-transport",
                env(Convention.UNIFIED, webtransport, true, RunnerApp.testKey()), "interop");
        assertEquals(1, dialer.exitCode(), dialer.toString());
        assertEquals("", dialer.stdout());
        assertTrue(dialer.stderr().startsWith("weft: interop: unsupported transport \"webtransport\" (weft speaks "),
                dialer.toString());

        RunnerApp.Run listener = RunnerApp.run("unsupported-security",
                env(Convention.LEGACY, new Stacks.Stack("tcp", "secio", "yamux"), false, null), "interop");
        assertEquals(1, listener.exitCode(), listener.toString());
        assertTrue(listener.stderr().startsWith("weft: interop: unsupported security \"secio\" over tcp"),
                listener.toString());
    }

    @Test
    void legacyListenerExitsNonZeroWhenItsTimeoutRunsOutAndDialerWhenNoListenerCame() throws Exception {
        Stacks.Stack stack = Stacks.supported().get(0);
        Map<String, String> listenerEnv = env(Convention.LEGACY, stack, false, null);
        listenerEnv.put("test_timeout_seconds", "1");
        try (RunnerApp.Listener listener = RunnerApp.listen("legacy-timeout", listenerEnv, "interop")) {
            RunnerApp.Run run = listener.awaitExit();
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.stderr().contains("weft: interop: listener timed out after 1 s"), run.toString());
        }
        redis.forgetLegacyAddresses(); // the address it published is stale now

        Map<String, String> dialerEnv = env(Convention.LEGACY, stack, true, null);
        dialerEnv.put("test_timeout_seconds", "1");
        RunnerApp.Run dialer = RunnerApp.run("legacy-no-listener", dialerEnv, "interop");
        assertEquals(1, dialer.exitCode(), dialer.toString());
        assertEquals("", dialer.stdout());
        assertTrue(dialer.stderr().contains("weft: interop: no listener address under listenerAddr after 1 s"),
                dialer.toString());
    }
}
