package weft.cli.runner;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ProtocolViolationException;

/**
 * A Redis client for the five commands the test runners meet through: {@code RPUSH} and {@code BLPOP} (the
 * transport tests' list), {@code DEL}, {@code SET} and {@code GET} (the perf tests' value). One connection, one
 * command at a time, each reply read before the next command is sent.
 *
 * <p>Hand-written rather than Jedis or Lettuce: five commands over RESP2 take the ~150 lines of this class and
 * {@link Resp}, while a library would put a connection pool, a JSON library or Netty into the CLI jar for them, and
 * weft's rule for peer input (bounded decoding, typed exceptions) is easy to check here and not there.
 */
final class RedisClient implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(RedisClient.class);

    /** How long one TCP connect to Redis may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long a reply to a non-blocking command may take. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    /** Between two connect attempts while Redis is not up yet (its container may start after ours). */
    static final Duration RETRY_PAUSE = Duration.ofMillis(250);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /**
     * Connects to {@code host:port}, retrying until {@code patience} runs out: docker compose starts the test
     * containers and Redis in parallel, so the first attempts may be refused.
     */
    static RedisClient connect(String address, Duration patience) throws IOException {
        InetSocketAddress target = parse(address);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(target.getHostString(), target.getPort()),
                        (int) CONNECT_TIMEOUT.toMillis());
                log.debug("redis: connected to {}", address);
                return new RedisClient(socket);
            } catch (IOException e) {
                socket.close();
                if (System.nanoTime() + RETRY_PAUSE.toNanos() > deadline) {
                    throw new IOException("redis: cannot connect to " + address + " (" + e.getMessage() + ")", e);
                }
                log.debug("redis: {} not reachable yet ({}), retrying", address, e.toString());
                pause(RETRY_PAUSE);
            }
        }
    }

    /** {@code host:port}, as the runners pass {@code redis_addr} and {@code REDIS_ADDR}; an IPv6 host in brackets. */
    static InetSocketAddress parse(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        String host = colon > 0 ? address.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = address.substring(colon + 1);
        if (host.isEmpty() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            throw new IOException("redis: address \"" + address + "\" is not host:port");
        }
        return InetSocketAddress.createUnresolved(host, Integer.parseInt(port));
    }

    /** {@code RPUSH key value}: appends to the list, returns its new length. */
    long rpush(String key, String value) throws IOException {
        return integer(call(REPLY_TIMEOUT, "RPUSH", key, value), "RPUSH");
    }

    /**
     * {@code BLPOP key seconds}: the list's first element, waiting up to {@code timeout} (whole seconds, at least 1)
     * for one to arrive; empty when none did.
     */
    Optional<String> blpop(String key, Duration timeout) throws IOException {
        long seconds = Math.max(1, timeout.toSeconds());
        Resp.Reply reply = call(Duration.ofSeconds(seconds).plus(REPLY_TIMEOUT), "BLPOP", key, Long.toString(seconds));
        return switch (reply) {
            case Resp.NullReply n -> Optional.empty();
            case Resp.ArrayReply a when a.items().size() == 2 && a.items().get(1) instanceof Resp.BulkString v ->
                    Optional.of(v.text());
            default -> throw unexpected("BLPOP", reply);
        };
    }

    /** {@code SET key value}. */
    void set(String key, String value) throws IOException {
        Resp.Reply reply = call(REPLY_TIMEOUT, "SET", key, value);
        if (!(reply instanceof Resp.SimpleString s && s.text().equals("OK"))) {
            throw unexpected("SET", reply);
        }
    }

    /** {@code GET key}: the value, or empty when the key does not exist. */
    Optional<String> get(String key) throws IOException {
        Resp.Reply reply = call(REPLY_TIMEOUT, "GET", key);
        return switch (reply) {
            case Resp.NullReply n -> Optional.empty();
            case Resp.BulkString v -> Optional.of(v.text());
            default -> throw unexpected("GET", reply);
        };
    }

    /** {@code DEL key}: how many keys were removed (0 or 1). */
    long del(String key) throws IOException {
        return integer(call(REPLY_TIMEOUT, "DEL", key), "DEL");
    }

    /** Sends one command and reads its reply; an error reply becomes a {@link RedisException}. */
    private Resp.Reply call(Duration timeout, String... command) throws IOException {
        out.write(Resp.command(command));
        out.flush();
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Resp.Reply reply;
        try {
            reply = Resp.read(in);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("redis: no reply to " + command[0] + " within " + timeout.toMillis()
                    + " ms");
        }
        if (reply instanceof Resp.ErrorReply error) {
            throw new RedisException(command[0], error.message());
        }
        return reply;
    }

    private static long integer(Resp.Reply reply, String command) throws ProtocolViolationException {
        if (reply instanceof Resp.IntegerReply i) {
            return i.value();
        }
        throw unexpected(command, reply);
    }

    private static ProtocolViolationException unexpected(String command, Resp.Reply reply) {
        return new ProtocolViolationException("redis: unexpected reply to " + command + " (" + reply + ")");
    }

    static void pause(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("redis: interrupted");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Redis answered a command with an error reply ({@code -ERR ...}, {@code -WRONGTYPE ...}). */
    static final class RedisException extends IOException {
        RedisException(String command, String message) {
            super("redis: " + command + " failed (" + message + ")");
        }
    }
}
