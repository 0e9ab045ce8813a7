package weft.cli.runner;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The two ways the libp2p runners talk to a test app. Both start a listener and a dialer container with environment
 * variables, and both have them meet through Redis; they differ in the variables' names, the Redis key and what the
 * dialer prints.
 *
 * <ul>
 *   <li>{@link #LEGACY}: test-plans {@code transport-interop} ({@code transport-interop/README.md}): lowercase
 *       {@code transport}, {@code muxer}, {@code security}, {@code is_dialer}, {@code ip} (default
 *       {@code 0.0.0.0}), {@code redis_addr} (default {@code redis:6379}), {@code test_timeout_seconds} (default
 *       180). The listener does {@code RPUSH listenerAddr <multiaddr>}, the dialer {@code BLPOP listenerAddr} and
 *       prints {@code {"handshakePlusOneRTTMillis": <ms>, "pingRTTMilllis": <ms>}}: three l's, as
 *       {@code src/compose-stdout-helper.ts} checks. unified-testing still runs such images ({@code legacy: true}),
 *       through a Redis proxy that renames the key ({@code lib/redis-proxy/src/main.rs}).
 *   <li>{@link #UNIFIED}: unified-testing ({@code docs/write-a-transport-test-app.md},
 *       {@code lib/lib-test-execution.sh generate_modern_env_vars}): uppercase {@code IS_DIALER}, {@code REDIS_ADDR},
 *       {@code TEST_KEY}, {@code TRANSPORT}, {@code SECURE_CHANNEL}, {@code MUXER}, {@code LISTENER_IP},
 *       {@code DEBUG}; the key is {@code <TEST_KEY>_listener_multiaddr} ({@code DEL} then {@code RPUSH} by the
 *       listener, {@code BLPOP} by the dialer, as {@code transport/images/js/v3.x/test/*.spec.ts}); the dialer
 *       prints a YAML {@code latency:} block.
 * </ul>
 */
enum Convention {
    LEGACY("is_dialer", "redis_addr", "transport", "security", "muxer", "ip", "test_timeout_seconds", null, null),
    UNIFIED("IS_DIALER", "REDIS_ADDR", "TRANSPORT", "SECURE_CHANNEL", "MUXER", "LISTENER_IP", "TEST_TIMEOUT_SECS",
            "TEST_KEY", "DEBUG");

    /** test-plans {@code transport-interop/README.md}: the listener's multiaddr goes to this list. */
    static final String LEGACY_KEY = "listenerAddr";

    final String isDialer;
    final String redisAddr;
    final String transport;
    final String security;
    final String muxer;
    final String listenIp;
    /** Seconds: legacy, how long a listener lives and a dialer waits; unified, an optional bound (js v3.x reads it). */
    final String timeout;
    /** Unified only: the test's namespace in the shared Redis. */
    final String testKey;
    /** Unified only: "true" asks for verbose logs. */
    final String debug;

    Convention(String isDialer, String redisAddr, String transport, String security, String muxer, String listenIp,
            String timeout, String testKey, String debug) {
        this.isDialer = isDialer;
        this.redisAddr = redisAddr;
        this.transport = transport;
        this.security = security;
        this.muxer = muxer;
        this.listenIp = listenIp;
        this.timeout = timeout;
        this.testKey = testKey;
        this.debug = debug;
    }

    /** The convention whose {@code is_dialer} / {@code IS_DIALER} is set; unified wins if both are. */
    static Optional<Convention> detect(Map<String, String> env) {
        if (env.containsKey(UNIFIED.isDialer)) {
            return Optional.of(UNIFIED);
        }
        return env.containsKey(LEGACY.isDialer) ? Optional.of(LEGACY) : Optional.empty();
    }

    /** The Redis list the listener pushes its multiaddr to. */
    String listenerKey(String testKey) {
        return this == LEGACY ? LEGACY_KEY : testKey + "_listener_multiaddr";
    }

    /**
     * What the dialer prints on stdout, and nothing else goes there. Legacy: one JSON object
     * (test-plans {@code transport-interop/README.md} step 8, "durations ... in milliseconds as a float").
     * Unified: the block that {@code transport/lib/run-single-test.sh} greps for ({@code latency:}, then
     * two-space-indented {@code handshake_plus_one_rtt}, {@code ping_rtt}, {@code unit}).
     */
    String latencyReport(double handshakePlusOneRttMillis, double pingRttMillis) {
        if (this == LEGACY) {
            return String.format(Locale.ROOT, "{\"handshakePlusOneRTTMillis\": %.3f, \"pingRTTMilllis\": %.3f}",
                    handshakePlusOneRttMillis, pingRttMillis);
        }
        return String.format(Locale.ROOT, "latency:%n  handshake_plus_one_rtt: %.3f%n  ping_rtt: %.3f%n  unit: ms",
                handshakePlusOneRttMillis, pingRttMillis);
    }

    String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
