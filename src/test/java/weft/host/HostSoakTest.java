package weft.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.ProtocolViolationException;
import weft.connection.Connection;
import weft.multiformats.Multiaddr;
import weft.multistream.MultistreamSelect;
import weft.mux.MuxedStream;
import weft.protocol.echo.Echo;
import weft.protocol.ping.Ping;
import weft.testing.Background;
import weft.testing.WeftThreads;

/**
 * Opt-in soak ({@code @Tag("soak")}, excluded from the default run): several clients run a random workload against
 * one host for minutes: echoes of random sizes (checked byte for byte), pings, streams reset half-way, streams
 * opened and dropped without a protocol, whole connections closed under running streams. Afterwards: no
 * corrupted exchange ever, no leaked thread or stream, and no heap growth: the used heap after a full GC at the end
 * stays within {@link #HEAP_GROWTH_BOUND} of the start and of the first third. The numbers of each run are printed
 * (surefire puts them in {@code target/surefire-reports/weft.host.HostSoakTest-output.txt}).
 *
 * <p>Run: {@code mvn test -Dtest=HostSoakTest -Dweft.excludedGroups= -Dweft.soak.seconds=300} (default 120 s).
 */
@Tag("soak")
class HostSoakTest {
    private static final long SECONDS = Long.getLong("weft.soak.seconds", 120);
    private static final int CLIENTS = 4;
    private static final int WORKERS = 16;
    /** How much more heap, after a full GC, the end may hold than the start (all leaks are bigger after minutes). */
    private static final long HEAP_GROWTH_BOUND = 64L << 20;
    private static final double MIB = 1 << 20;

    @Test
    @Timeout(value = 1, unit = TimeUnit.HOURS) // the soak's length is set by weft.soak.seconds
    void aRandomWorkloadLeavesNoCorruptionNoLeaksAndNoHeapGrowth() throws Exception {
        int baselineThreads = WeftThreads.count();
        try (Host server = Host.start(HostConfig.defaults()
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).withEcho(true)
                .withLimits(Limits.defaults().withNegotiationTimeout(Duration.ofSeconds(2))))) {
            Multiaddr address = server.addresses().get(0);
            List<Host> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(Host.start(HostConfig.defaults()));
            }
            long heapAtStart = usedHeapAfterGc();
            long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
            long third = System.nanoTime() + Duration.ofSeconds(SECONDS / 3).toNanos();
            AtomicInteger completed = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            List<Background<Void>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                long seed = w;
                workers.add(Background.start(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    while (System.nanoTime() < end) {
                        Host client = clients.get(random.nextInt(CLIENTS));
                        try {
                            step(client, address, random);
                            completed.incrementAndGet();
                        } catch (ProtocolViolationException corrupt) {
                            throw corrupt; // a short or altered echo: the one thing that must never happen
                        } catch (IOException expected) {
                            failed.incrementAndGet(); // a connection closed under us by another worker
                        }
                    }
                    return null;
                }));
            }
            parkUntil(third);
            long heapAtThird = usedHeapAfterGc();
            parkUntil(end); // Background.join bounds its wait (a hang shows as a failure): join once the time is up
            for (Background<Void> w : workers) {
                w.join();
            }
            for (Host c : clients) {
                c.close();
            }
            WeftThreads.await("every client connection is gone", () -> server.connections().isEmpty());
            long heapAtEnd = usedHeapAfterGc();
            String summary = String.format("soak: %d s, %d operations, %d failed (connections closed under them);"
                            + " heap after full GC: start %.1f MiB, a third in %.1f MiB, end %.1f MiB",
                    SECONDS, completed.get(), failed.get(), heapAtStart / MIB, heapAtThird / MIB, heapAtEnd / MIB);
            System.out.println(summary); // the record of the run, in target/surefire-reports/*-output.txt
            assertTrue(completed.get() > 0);
            // Coarse bounds: the first third warms up (JIT, pools, the address book), then nothing may pile up.
            assertTrue(heapAtEnd < heapAtStart + HEAP_GROWTH_BOUND, "heap grew since the start: " + summary);
            assertTrue(heapAtEnd < heapAtThird + HEAP_GROWTH_BOUND, "heap grew after warm-up: " + summary);
        }
        WeftThreads.awaitAtMost(baselineThreads);
    }

    /** One random operation. */
    private static void step(Host client, Multiaddr address, SplittableRandom random) throws IOException {
        int r = random.nextInt(100);
        if (r < 55) {
            byte[] message = new byte[random.nextInt(256 * 1024)];
            random.nextBytes(message);
            Echo.echo(client.newStream(address, Echo.PROTOCOL_ID), message); // exact, or it throws
        } else if (r < 70) {
            MuxedStream ping = client.newStream(address, Ping.PROTOCOL_ID);
            try {
                Ping.ping(ping);
                ping.closeWrite();
            } finally {
                ping.reset();
            }
        } else if (r < 85) {
            MuxedStream s = client.newStream(address, Echo.PROTOCOL_ID);
            byte[] part = new byte[random.nextInt(128 * 1024)];
            s.write(part, 0, part.length);
            s.reset(); // vanish half-way
        } else if (r < 97) {
            Connection c = client.connect(address);
            MuxedStream s = c.openStream();
            if (random.nextBoolean()) {
                MultistreamSelect.selectLazily(s, "/nobody/1.0.0");
            }
            s.close(); // no protocol ever agreed
        } else {
            client.connect(address).close(); // under the other workers' streams
        }
    }

    /** The soak's clock: waits for a point in its schedule, without a spinning core. Not a synchronisation. */
    private static void parkUntil(long deadlineNanos) {
        for (long left; (left = deadlineNanos - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
