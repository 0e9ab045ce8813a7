package weft.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.connection.Connection;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.yamux.YamuxConfig;
import weft.protocol.echo.Echo;
import weft.security.SecureConnection;
import weft.testing.Background;
import weft.testing.FaultyConnection;
import weft.testing.FaultyConnection.Fault;
import weft.testing.WeftThreads;

/**
 * Issue 7's listener test: many hostile connections (garbage, truncated handshakes, resets and stalls at every step,
 * broken yamux after a full handshake) against one listener while a well-behaved client keeps doing echo and ping
 * on it. The good client sees no failure, and the listener is alive at the end. 2,000 connections by default;
 * {@code -Dweft.hostile.connections=10000} for the full count.
 */
class HostileListenerTest {
    private static final int CONNECTIONS = Integer.getInteger("weft.hostile.connections", 2000);
    private static final int AT_ONCE = 8;
    /** {@code /multistream/1.0.0} and {@code /noise}, as a dialer sends them. */
    private static final byte[] NOISE_PROPOSAL =
            HexFormat.of().parseHex("132f6d756c746973747265616d2f312e302e300a072f6e6f6973650a");

    enum Attack { GARBAGE, GARBAGE_AFTER_HEADER, RESET_ON_CONNECT, TRUNCATED, RESET, STALL, BAD_YAMUX, RESET_LIVE }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // 10,000 connections take about a minute on two busy cores
    void aWellBehavedClientIsServedWithoutFailureThroughAStormOfHostileConnections() throws Exception {
        try (Host server = Host.start(HostConfig.defaults()
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).withEcho(true)
                .withUpgradeTimeout(Duration.ofSeconds(1)));
                GoodClient good = new GoodClient(server)) {
            good.check();
            int baseline = WeftThreads.count();
            AtomicBoolean storm = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Throwable> goodFailures = new ConcurrentLinkedQueue<>();
            AtomicInteger goodRounds = new AtomicInteger();
            Background<Void> goodLoop = Background.start(() -> {
                while (storm.get() || goodRounds.get() == 0) {
                    try {
                        good.check();
                        goodRounds.incrementAndGet();
                    } catch (Throwable t) {
                        goodFailures.add(t);
                    }
                }
                return null;
            });
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> attackers = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < AT_ONCE; w++) {
                    attackers.add(threads.submit(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < CONNECTIONS) {
                            SplittableRandom random = new SplittableRandom(i);
                            attack(server, pick(random), random);
                        }
                    }));
                }
                // a bound so that a hang fails the build instead of stalling it; not a timing assertion
                long limitSeconds = 120 + CONNECTIONS / 50;
                for (Future<?> a : attackers) {
                    a.get(limitSeconds, TimeUnit.SECONDS);
                }
            }
            storm.set(false);
            goodLoop.join();
            assertEquals(List.of(), List.copyOf(goodFailures), "the good client never failed");
            assertTrue(goodRounds.get() > 0);
            WeftThreads.await("only the good connection is left", () -> server.connections().size() == 1);
            WeftThreads.awaitAtMost(baseline);
            try (Host late = Host.start(HostConfig.defaults())) {
                byte[] hi = "the listener is alive".getBytes();
                Echo.echo(late.newStream(server.addresses().get(0), Echo.PROTOCOL_ID), hi);
            }
            good.check();
        }
    }

    /** Mostly cheap attacks; full handshakes (the costly ones) about one in ten. */
    private static Attack pick(SplittableRandom random) {
        int r = random.nextInt(100);
        if (r < 15) {
            return Attack.GARBAGE;
        } else if (r < 30) {
            return Attack.GARBAGE_AFTER_HEADER;
        } else if (r < 45) {
            return Attack.RESET_ON_CONNECT;
        } else if (r < 65) {
            return Attack.TRUNCATED;
        } else if (r < 85) {
            return Attack.RESET;
        } else if (r < 90) {
            return Attack.STALL;
        } else if (r < 95) {
            return Attack.BAD_YAMUX;
        }
        return Attack.RESET_LIVE;
    }

    private static void attack(Host server, Attack attack, SplittableRandom random) {
        int port = Rogue.port(server);
        try {
            switch (attack) {
                case GARBAGE, GARBAGE_AFTER_HEADER, RESET_ON_CONNECT -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port));
                        if (attack == Attack.RESET_ON_CONNECT) {
                            FaultyConnection.reset(s);
                            return;
                        }
                        if (attack == Attack.GARBAGE_AFTER_HEADER) {
                            s.getOutputStream().write(NOISE_PROPOSAL);
                        }
                        byte[] junk = new byte[1 + random.nextInt(2048)];
                        random.nextBytes(junk);
                        s.getOutputStream().write(junk);
                        if (random.nextBoolean()) {
                            FaultyConnection.reset(s);
                        }
                    }
                }
                case TRUNCATED, RESET -> {
                    try (FaultyConnection raw = FaultyConnection.connect(port, random.nextInt(4),
                            attack == Attack.TRUNCATED ? Fault.CLOSE : Fault.RESET)) {
                        Rogue.upgrader(PrivateKey.generate(), random.nextBoolean(), YamuxConfig.defaults())
                                .upgradeOutbound(raw, server.peerId());
                    }
                }
                case STALL -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port));
                        s.setSoTimeout(30_000);
                        if (random.nextBoolean()) {
                            s.getOutputStream().write(NOISE_PROPOSAL);
                        }
                        s.getInputStream().readAllBytes(); // until the upgrade deadline hangs up on us
                    }
                }
                case BAD_YAMUX -> {
                    try (FaultyConnection raw = FaultyConnection.connect(port, Integer.MAX_VALUE, Fault.STALL)) {
                        SecureConnection secure = Rogue.secure(server, raw);
                        byte[] junk = new byte[12 + random.nextInt(512)];
                        random.nextBytes(junk);
                        secure.output().write(junk);
                        secure.output().flush();
                        secure.input().readAllBytes(); // GO_AWAY, then the end
                    }
                }
                case RESET_LIVE -> {
                    try (FaultyConnection raw = FaultyConnection.connect(port, Integer.MAX_VALUE, Fault.STALL)) {
                        Connection c = Rogue.connect(server, raw,
                                YamuxConfig.defaults().withMeasureRttInterval(Duration.ZERO));
                        c.openStream().write(new byte[] {1, 2, 3}, 0, 3);
                        raw.resetNow();
                        c.close();
                    }
                }
            }
        } catch (IOException expected) {
            // every attack is allowed to fail on the attacker's side; only the server's behaviour is checked
        }
    }
}
