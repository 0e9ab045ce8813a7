package weft.cli.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package, which {@code .ci/install} installs) on a free loopback port, with no
 * persistence, for as long as a test class needs it. Fails, never skips, when the binary is missing.
 */
final class RedisServer implements AutoCloseable {
    private static final int ATTEMPTS = 5;

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts one and waits for its "Ready to accept connections" log line. A free port is found by binding port 0
     * and letting it go; if another process takes it in between, Redis exits and the next attempt takes another.
     */
    static RedisServer start() throws IOException {
        List<String> failures = new ArrayList<>();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Process process;
            try {
                process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "notice")
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                throw new IOException("redis-server is not installed (run `bash .ci/install`, or apt-get install "
                        + "redis-server): " + e.getMessage(), e);
            }
            BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = log.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.contains("Ready to accept connections")) {
                    drain(log);
                    return new RedisServer(process, port);
                }
            }
            process.destroyForcibly();
            failures.add("port " + port + ": " + seen.toString().strip());
        }
        throw new IOException("redis-server did not start: " + failures);
    }

    /** Keeps reading Redis's log so that it never blocks on a full pipe. */
    private static void drain(BufferedReader log) {
        Thread.ofVirtual().name("redis-log").start(() -> {
            try {
                while (log.readLine() != null) {
                    // discarded
                }
            } catch (IOException ignored) {
                // the server is gone
            }
        });
    }

    /** {@code 127.0.0.1:<port>}, as a runner's {@code redis_addr} / {@code REDIS_ADDR}. */
    String address() {
        return "127.0.0.1:" + port;
    }

    RedisClient client() throws IOException {
        return RedisClient.connect(address(), Duration.ofSeconds(10));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
