package weft.cli.runner;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One test app's settings, read from the environment the runner gave it ({@link Convention} names the variables).
 *
 * @param convention which runner started us
 * @param dialer {@code is_dialer} / {@code IS_DIALER}: {@code true} or {@code false}
 * @param redisAddress {@code host:port}
 * @param stack the transport, security and muxer, checked against {@link Stacks}
 * @param listenIp where the listener binds ({@code 0.0.0.0}: every interface, and it advertises a non-loopback one)
 * @param timeout legacy: how long the listener lives and the dialer waits for it; unified: only if
 *     {@code TEST_TIMEOUT_SECS} is set, else the listener serves until it is stopped
 * @param listenerKey the Redis key of the listener's multiaddr
 * @param debug {@code DEBUG=true}: verbose logs on stderr
 */
record RunnerSettings(
        Convention convention,
        boolean dialer,
        String redisAddress,
        Stacks.Stack stack,
        String listenIp,
        Optional<Duration> timeout,
        String listenerKey,
        boolean debug) {

    /** test-plans {@code transport-interop/README.md}: {@code redis_addr} "default redis:6379". */
    static final String DEFAULT_REDIS = "redis:6379";
    /** Both conventions: bind every interface ({@code ip} "default to 0.0.0.0"; unified always passes it). */
    static final String DEFAULT_LISTEN_IP = "0.0.0.0";
    /**
     * test-plans {@code transport-interop/README.md}: {@code test_timeout_seconds} "default to 180 seconds"; also
     * unified-testing's per-test harness timeout ({@code transport/lib/run-single-test.sh TEST_TIMEOUT=180}).
     */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(180);

    /** Something in the environment is missing or malformed: the app exits non-zero with this message. */
    static final class SettingsException extends Exception {
        SettingsException(String message) {
            super(message);
        }
    }

    /** Reads the settings of {@code convention} from {@code env}. */
    static RunnerSettings read(Convention convention, Map<String, String> env)
            throws SettingsException, Stacks.UnsupportedStackException {
        boolean dialer = bool(env, convention.isDialer, null);
        Stacks.Stack stack = Stacks.check(required(env, convention.transport), env.get(convention.security),
                env.get(convention.muxer));
        String redis = or(env.get(convention.redisAddr), DEFAULT_REDIS);
        String ip = or(env.get(convention.listenIp), DEFAULT_LISTEN_IP);
        Optional<Duration> timeout = Optional.ofNullable(seconds(env, convention.timeout));
        String key;
        boolean debug;
        if (convention == Convention.LEGACY) {
            timeout = Optional.of(timeout.orElse(DEFAULT_TIMEOUT));
            key = convention.listenerKey(null);
            debug = false;
        } else {
            String testKey = required(env, convention.testKey);
            if (!testKey.matches("[0-9A-Za-z_-]{1,64}")) {
                throw new SettingsException("interop: " + convention.testKey + " \"" + testKey
                        + "\" is not a key name (unified-testing passes 8 hex digits)");
            }
            key = convention.listenerKey(testKey);
            debug = bool(env, convention.debug, false);
        }
        return new RunnerSettings(convention, dialer, redis, stack, ip, timeout, key, debug);
    }

    /** How long the dialer waits for the listener's address: the timeout, else the harness's 180 s. */
    Duration dialerPatience() {
        return timeout.orElse(DEFAULT_TIMEOUT);
    }

    static String required(Map<String, String> env, String name) throws SettingsException {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            throw new SettingsException("interop: " + name + " is not set");
        }
        return value;
    }

    /** {@code true} or {@code false}, as the runners write them; {@code fallback} when unset (null: required). */
    static boolean bool(Map<String, String> env, String name, Boolean fallback) throws SettingsException {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            if (fallback == null) {
                throw new SettingsException("interop: " + name + " is not set");
            }
            return fallback;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SettingsException("interop: " + name + " is \"" + value + "\", not true or false");
        };
    }

    /**
     * A positive whole number; null when unset or {@code null}: unified-testing writes the literal {@code null}
     * for a value its matrix lacks ({@code docs/write-a-perf-test-app.md} shows {@code UPLOAD_ITERATIONS=null}).
     */
    static Long number(Map<String, String> env, String name) throws SettingsException {
        String value = env.get(name);
        if (value == null || value.isEmpty() || value.equals("null")) {
            return null;
        }
        if (!value.matches("[0-9]{1,18}")) {
            throw new SettingsException("interop: " + name + " is \"" + value + "\", not a whole number");
        }
        return Long.parseLong(value);
    }

    private static Duration seconds(Map<String, String> env, String name) throws SettingsException {
        Long value = number(env, name);
        if (value == null) {
            return null;
        }
        if (value == 0) {
            throw new SettingsException("interop: " + name + " is 0 (seconds)");
        }
        return Duration.ofSeconds(value);
    }

    private static String or(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
