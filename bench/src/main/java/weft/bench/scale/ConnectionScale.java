package weft.bench.scale;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import weft.bench.Results;
import weft.connection.Connection;
import weft.host.Host;
import weft.host.HostConfig;
import weft.host.HostStream;
import weft.host.Limits;
import weft.multiformats.Multiaddr;
import weft.protocol.ping.Ping;

/**
 * Scale, the connection half (issue 6): N (1,000) concurrent tcp/noise/yamux connections to one listening
 * {@link Host}, each doing ping, then all idle; then every one pings again and closes. Both hosts run in this JVM on
 * loopback: N dialing hosts, one connection each (a host answers at most 2 concurrent ping streams per peer, as the
 * ping spec asks, so the N pings must come from N peers), and the listener with its inbound limit raised to N (the
 * default, 300 connections, is deliberately lower: {@code weft.host.Limits}).
 *
 * <ol>
 *   <li>Baseline after both hosts are up ({@link Snapshot}: heap after GC, RSS, platform threads).
 *   <li>N virtual threads each dial (at most {@code dialConcurrency} (32) dials in flight, within the listener's
 *       pending-connection limit), wait for identify as {@code Host.connect} does, open a ping stream and ping once.
 *   <li>All N connections idle (their ping streams closed): the snapshot again; the difference divided by N is the
 *       cost of one idle connection, both ends (dialer and listener side) and their reader threads; the N
 *       dialing hosts themselves are in the baseline.
 *   <li>All N ping again at once on a new stream each, then close. Any failure exits non-zero.
 * </ol>
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar weft.bench.scale.ConnectionScale [connections=1000] [dialConcurrency=32] [holdSeconds=0]
 * </pre>
 */
public final class ConnectionScale {
    private static final long PHASE_TIMEOUT_SECONDS = 300;

    private ConnectionScale() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int holdSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Limits limits = Limits.defaults().withMaxInboundConnections(n + 16)
                .withMaxPendingInboundConnections(Math.max(concurrency * 2, 10));
        List<Host> dialers = new ArrayList<>();
        try (Host listener = Host.start(HostConfig.defaults().withLimits(limits)
                        .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))))) {
            Multiaddr address = listener.addresses().get(0);
            for (int i = 0; i <= n; i++) {
                dialers.add(Host.start(HostConfig.defaults()));
            }
            // one connection and ping before the baseline, so that classes and pools exist in both snapshots
            Host warm = dialers.remove(n);
            Connection first = warm.connect(address);
            ping(warm, first);
            first.close();
            warm.close();
            Snapshot baseline = Snapshot.take();
            System.out.printf(Locale.ROOT, "ConnectionScale: %d connections to one listener, %d dials at a time; "
                    + "baseline %s%n", n, concurrency, baseline);

            java.util.concurrent.atomic.AtomicReferenceArray<Connection> slots = new java.util.concurrent.atomic.AtomicReferenceArray<>(n);
            ConcurrentLinkedQueue<Connection> connections = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Semaphore inFlight = new Semaphore(concurrency);
            long start = System.nanoTime();
            forEach(n, failure, i -> {
                inFlight.acquire();
                try {
                    Connection c = dialers.get(i).connect(address);
                    connections.add(c);
                    slots.set(i, c);
                    ping(dialers.get(i), c);
                } finally {
                    inFlight.release();
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            check(failure, connections.size(), n, "connect and ping");
            Snapshot idle = Snapshot.take();
            int inbound = listener.connections().size();
            double heapPer = (idle.heap() - baseline.heap()) / (double) n;
            double rssPer = (idle.rss() - baseline.rss()) / (double) n;
            System.out.printf(Locale.ROOT, "%d connections up and pinged in %.2f s (%.0f/s); listener sees %d; idle: %s"
                    + "%nper idle connection (both ends): heap %.0f B, RSS %.0f B%n", n, seconds, n / seconds, inbound,
                    idle, heapPer, rssPer);

            if (holdSeconds > 0) { // time to look inside with jcmd <pid> GC.class_histogram
                System.out.printf(Locale.ROOT, "holding the idle connections for %d s (pid %d)%n", holdSeconds,
                        ProcessHandle.current().pid());
                Thread.sleep(holdSeconds * 1000L);
            }
            forEach(n, failure, i -> ping(dialers.get(i), slots.get(i)));
            check(failure, n, n, "second ping");
            forEach(n, failure, i -> slots.get(i).close());
            check(failure, n, n, "close");
            System.out.printf(Locale.ROOT, "all %d connections pinged again and closed without errors%n", n);

            Results.value("scale_connections", "connections", n);
            Results.value("scale_connect_rate", "connections/s", n / seconds);
            Results.value("scale_heap_per_idle_connection", "B", heapPer);
            Results.value("scale_rss_per_idle_connection", "B", rssPer);
            Results.value("scale_connection_platform_threads", "threads", idle.platformThreads());
        } finally {
            dialers.forEach(Host::close);
        }
    }

    private static void ping(Host host, Connection connection) throws IOException {
        try (HostStream stream = host.newStream(connection, Ping.PROTOCOL_ID)) {
            Ping.ping(stream);
            stream.closeWrite();
        }
    }

    private interface Task {
        void run(int index) throws Exception;
    }

    /** Runs {@code task} for 0..n-1, each on its own virtual thread, and waits for all. */
    private static void forEach(int n, AtomicReference<Throwable> failure, Task task) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread.ofVirtual().name("scale-" + i).start(() -> {
                try {
                    task.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            failure.compareAndSet(null, new IOException("scale: " + done.getCount() + " of " + n
                    + " tasks still running after " + PHASE_TIMEOUT_SECONDS + " s"));
        }
    }

    private static void check(AtomicReference<Throwable> failure, int got, int wanted, String phase)
            throws IOException {
        if (failure.get() != null) {
            throw new IOException("scale: " + phase + " failed", failure.get());
        }
        if (got != wanted) {
            throw new IOException("scale: " + phase + ": " + got + " of " + wanted);
        }
    }
}
