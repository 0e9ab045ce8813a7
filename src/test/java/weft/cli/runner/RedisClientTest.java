package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RESP client against a real redis-server. */
class RedisClientTest {
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Test
    void rpushThenBlpopHandsOverTheValueOnce() throws IOException {
        try (RedisClient client = redis.client()) {
            assertEquals(1, client.rpush("rpush-blpop", "/ip4/10.0.0.1/tcp/1"));
            assertEquals(2, client.rpush("rpush-blpop", "/ip4/10.0.0.2/tcp/2"));
            assertEquals(Optional.of("/ip4/10.0.0.1/tcp/1"), client.blpop("rpush-blpop", Duration.ofSeconds(1)));
            assertEquals(Optional.of("/ip4/10.0.0.2/tcp/2"), client.blpop("rpush-blpop", Duration.ofSeconds(1)));
        }
    }

    @Test
    void blpopWaitsForAPushFromAnotherConnection() throws Exception {
        try (RedisClient waiter = redis.client(); RedisClient pusher = redis.client()) {
            Thread push = Thread.ofVirtual().start(() -> {
                try {
                    pusher.rpush("later", "value");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(Optional.of("value"), waiter.blpop("later", Duration.ofSeconds(30)));
            push.join();
        }
    }

    @Test
    void blpopOnAnEmptyListEndsEmptyAfterItsTimeout() throws IOException {
        try (RedisClient client = redis.client()) {
            assertEquals(Optional.empty(), client.blpop("nothing-here", Duration.ofSeconds(1)));
        }
    }

    @Test
    void setGetAndDel() throws IOException {
        try (RedisClient client = redis.client()) {
            assertEquals(Optional.empty(), client.get("perf-key"));
            client.set("perf-key", "/ip4/10.0.0.3/tcp/3/p2p/x");
            assertEquals(Optional.of("/ip4/10.0.0.3/tcp/3/p2p/x"), client.get("perf-key"));
            assertEquals(1, client.del("perf-key"));
            assertEquals(0, client.del("perf-key"));
            assertEquals(Optional.empty(), client.get("perf-key"));
        }
    }

    @Test
    void anErrorReplyIsARedisExceptionAndTheConnectionStaysUsable() throws IOException {
        try (RedisClient client = redis.client()) {
            client.rpush("a-list", "x");
            RedisClient.RedisException e = assertThrows(RedisClient.RedisException.class, () -> client.get("a-list"));
            assertTrue(e.getMessage().startsWith("redis: GET failed (WRONGTYPE"), e.getMessage());
            assertEquals(1, client.del("a-list"));
        }
    }

    @Test
    void connectGivesUpWithTheAddressWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        IOException e = assertThrows(IOException.class,
                () -> RedisClient.connect("127.0.0.1:" + port, Duration.ZERO));
        assertTrue(e.getMessage().startsWith("redis: cannot connect to 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void addressesAreHostColonPort() throws IOException {
        assertEquals(6379, RedisClient.parse("transport-redis:6379").getPort());
        assertEquals("transport-redis", RedisClient.parse("transport-redis:6379").getHostString());
        assertEquals("::1", RedisClient.parse("[::1]:7000").getHostString());
        for (String bad : new String[] {"redis", ":6379", "redis:", "redis:99999", "redis:port"}) {
            assertThrows(IOException.class, () -> RedisClient.parse(bad), bad);
        }
    }
}
