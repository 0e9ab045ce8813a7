package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunnerSettingsTest {
    /** What test-plans' generator.ts puts in a dialer's compose environment. */
    private static Map<String, String> legacyDialer() {
        return new HashMap<>(Map.of("version", "weft-v0.1", "transport", "tcp", "is_dialer", "true", "ip", "0.0.0.0",
                "muxer", "yamux", "security", "noise"));
    }

    /** What unified-testing's generate_modern_env_vars writes for a listener. */
    private static Map<String, String> unifiedListener() {
        return new HashMap<>(Map.of("IS_DIALER", "false", "REDIS_ADDR", "transport-redis:6379", "TEST_KEY", "a5b50d5e",
                "TRANSPORT", "ws", "LISTENER_IP", "0.0.0.0", "DEBUG", "false", "SECURE_CHANNEL", "noise",
                "MUXER", "yamux"));
    }

    @Test
    void legacyDialerGetsTheReadmeDefaults() throws Exception {
        RunnerSettings s = RunnerSettings.read(Convention.LEGACY, legacyDialer());
        assertTrue(s.dialer());
        assertEquals("redis:6379", s.redisAddress());
        assertEquals(new Stacks.Stack("tcp", "noise", "yamux"), s.stack());
        assertEquals(Optional.of(Duration.ofSeconds(180)), s.timeout());
        assertEquals("listenerAddr", s.listenerKey());
        assertEquals("0.0.0.0", s.listenIp());
    }

    @Test
    void legacyTimeoutComesFromTestTimeoutSeconds() throws Exception {
        Map<String, String> env = legacyDialer();
        env.put("test_timeout_seconds", "300");
        env.put("redis_addr", "localhost:7000");
        RunnerSettings s = RunnerSettings.read(Convention.LEGACY, env);
        assertEquals(Optional.of(Duration.ofSeconds(300)), s.timeout());
        assertEquals("localhost:7000", s.redisAddress());
    }

    @Test
    void unifiedListenerKeyIsNamespacedByTestKeyAndServesUntilStopped() throws Exception {
        RunnerSettings s = RunnerSettings.read(Convention.UNIFIED, unifiedListener());
        assertFalse(s.dialer());
        assertEquals("a5b50d5e_listener_multiaddr", s.listenerKey());
        assertEquals("transport-redis:6379", s.redisAddress());
        assertEquals(Optional.empty(), s.timeout());
        assertEquals(Duration.ofSeconds(180), s.dialerPatience());
        assertFalse(s.debug());
    }

    @Test
    void unifiedDebugTrueTurnsOnDebugLogs() throws Exception {
        Map<String, String> env = unifiedListener();
        env.put("DEBUG", "true");
        assertTrue(RunnerSettings.read(Convention.UNIFIED, env).debug());
    }

    @Test
    void conventionIsDetectedByWhichIsDialerIsSet() {
        assertEquals(Optional.of(Convention.LEGACY), Convention.detect(legacyDialer()));
        assertEquals(Optional.of(Convention.UNIFIED), Convention.detect(unifiedListener()));
        assertEquals(Optional.empty(), Convention.detect(Map.of("transport", "tcp")));
    }

    @Test
    void unifiedWithoutTestKeyIsRefused() {
        Map<String, String> env = unifiedListener();
        env.remove("TEST_KEY");
        RunnerSettings.SettingsException e = assertThrows(RunnerSettings.SettingsException.class,
                () -> RunnerSettings.read(Convention.UNIFIED, env));
        assertEquals("interop: TEST_KEY is not set", e.getMessage());
    }

    @Test
    void isDialerMustBeTrueOrFalse() {
        Map<String, String> env = legacyDialer();
        env.put("is_dialer", "yes");
        assertThrows(RunnerSettings.SettingsException.class, () -> RunnerSettings.read(Convention.LEGACY, env));
    }

    @Test
    void legacyWithoutSecurityIsAnUnsupportedStack() {
        Map<String, String> env = legacyDialer();
        env.remove("security");
        Stacks.UnsupportedStackException e = assertThrows(Stacks.UnsupportedStackException.class,
                () -> RunnerSettings.read(Convention.LEGACY, env));
        assertTrue(e.getMessage().startsWith("interop: unsupported security (not set) over tcp (weft speaks "),
                e.getMessage());
    }

    @Test
    void literalNullMeansUnsetAsUnifiedTestingWritesIt() throws Exception {
        assertEquals(null, RunnerSettings.number(Map.of("UPLOAD_ITERATIONS", "null"), "UPLOAD_ITERATIONS"));
        assertEquals(10L, RunnerSettings.number(Map.of("UPLOAD_ITERATIONS", "10"), "UPLOAD_ITERATIONS"));
        assertThrows(RunnerSettings.SettingsException.class,
                () -> RunnerSettings.number(Map.of("UPLOAD_ITERATIONS", "-1"), "UPLOAD_ITERATIONS"));
    }

    @Test
    void perfPlanDefaultsAreTheDocs() throws Exception {
        InteropPerfCommand.Plan plan = InteropPerfCommand.Plan.read(Map.of("UPLOAD_ITERATIONS", "null",
                "DOWNLOAD_BYTES", "1000", "LATENCY_ITERATIONS", "5"));
        assertEquals(new InteropPerfCommand.Plan(1L << 30, 1000, 10, 10, 5), plan);
    }

    @Test
    void legacyReportIsTheJsonWithThreeLs() {
        assertEquals("{\"handshakePlusOneRTTMillis\": 12.500, \"pingRTTMilllis\": 0.250}",
                Convention.LEGACY.latencyReport(12.5, 0.25));
    }

    @Test
    void unifiedReportIsTheYamlLatencyBlock() {
        assertEquals(String.format("latency:%n  handshake_plus_one_rtt: 5.011%n  ping_rtt: 0.599%n  unit: ms"),
                Convention.UNIFIED.latencyReport(5.011, 0.599));
    }
}
