package weft.cli.runner;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;

/** What the transport and perf test apps share: their hosts, the listener's address, serving until stopped. */
final class TestApp {
    private static final Logger log = LoggerFactory.getLogger(TestApp.class);

    private TestApp() {}

    /** {@code DEBUG=true}: "generate verbose logging for debug purposes" (unified-testing docs), on stderr. */
    static void debugLogging(boolean on) {
        if (on && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
        }
    }

    /** A host for {@code settings}' stack, listening on its transport at its IP when it is the listener. */
    static Host start(RunnerSettings settings, boolean perf) throws IOException {
        HostConfig config = Stacks.configure(HostConfig.defaults(), settings.stack()).withPerf(perf);
        if (!settings.dialer()) {
            Stacks.Transport transport = Stacks.TRANSPORTS.get(settings.stack().transport());
            config = config.withListenAddresses(List.of(transport.listenAddress(settings.listenIp())));
        }
        return Host.start(config);
    }

    /**
     * The address to give the dialer: the first one not on a loopback interface. The runners bind the listener to
     * {@code 0.0.0.0} and leave it to the app to "detect the non-localhost interface your application is bound to so
     * that it can properly calculate its address" (unified-testing {@code docs/write-a-transport-test-app.md}); the
     * host already expands a wildcard listener to this machine's interface addresses, loopback last. A machine with
     * nothing but loopback gets its loopback address.
     */
    static Multiaddr advertised(List<Multiaddr> addresses) throws IOException {
        if (addresses.isEmpty()) {
            throw new IOException("interop: the listener has no address to publish");
        }
        for (Multiaddr address : addresses) {
            if (!loopback(address)) {
                return address;
            }
        }
        return addresses.get(0);
    }

    static boolean loopback(Multiaddr address) {
        Optional<String> ip = address.valueOf("ip4").or(() -> address.valueOf("ip6"));
        if (ip.isEmpty()) {
            return false; // a DNS name: not ours to judge
        }
        try {
            return InetAddress.getByName(ip.get()).isLoopbackAddress(); // an IP literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Serves until the runner stops the process (legacy: "The test runner will kill this process when the dialer
     * finishes"; unified: "The listener must run until it is shutdown by Docker"), or until {@code timeout}: legacy
     * README, "If the timeout is hit, exit with a non-zero error code". Closes the host when it returns (an
     * interrupt ends it too); a JVM being stopped closes it from a shutdown hook.
     */
    static void serve(Host host, Optional<Duration> timeout) throws TimeoutException, InterruptedIOException {
        Thread hook = new Thread(host::close, "weft-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CountDownLatch never = new CountDownLatch(1);
        try {
            if (timeout.isEmpty()) {
                never.await(); // until the JVM is stopped, or this thread interrupted
            } else if (!never.await(timeout.get().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException("interop: listener timed out after " + timeout.get().toSeconds()
                        + " s without being stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interop: interrupted");
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
            host.close();
        }
    }

    /**
     * Polls {@code GET key} until it has a value, as the perf dialer does ("poll it asking for the value", unified
     * {@code docs/write-a-perf-test-app.md}; the go and js perf apps poll too).
     */
    static String pollValue(RedisClient redis, String key, Duration patience, Duration every)
            throws IOException, TimeoutException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<String> value = redis.get(key);
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("interop: no listener address under " + key + " after "
                        + patience.toSeconds() + " s");
            }
            log.debug("interop: {} not set yet", key);
            RedisClient.pause(every);
        }
    }
}
