package weft.cli.runner;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RedisServer} for a test class, as the runner tests share it:
 * {@code @RegisterExtension static final RedisFixture redis = new RedisFixture();} starts it before the class's first
 * test and stops it after its last. Before each test it deletes the legacy key: that list is not namespaced by a test
 * key, so an address a failed test left behind must not reach the next dialer.
 */
final class RedisFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        server.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        forgetLegacyAddresses();
    }

    /** Deletes the legacy (not namespaced) list of listener addresses. */
    void forgetLegacyAddresses() throws IOException {
        try (RedisClient client = client()) {
            client.del(Convention.LEGACY_KEY);
        }
    }

    /** {@code 127.0.0.1:<port>}, as a runner's {@code redis_addr} / {@code REDIS_ADDR}. */
    String address() {
        return server.address();
    }

    RedisClient client() throws IOException {
        return server.client();
    }
}
