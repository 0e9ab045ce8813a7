package weft.bench.e2e;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;
import weft.connection.Connection;
import weft.host.ConnectionListener;
import weft.host.Host;
import weft.host.HostConfig;
import weft.host.HostStream;
import weft.multiformats.Multiaddr;
import weft.multistream.MultistreamSelect;
import weft.mux.MuxedStream;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;

/**
 * weft's side of the latency rows (issue 6, end-to-end items 5 and 6), run as its own JVM against a listener at
 * {@code multiaddr} (weft's {@code weft perf --listen} or the js interop peer): the client of {@code bench/js/latency.mjs}.
 *
 * <ol>
 *   <li>Connection establishment + 1-byte round trip, {@code connections} times, a new connection each: dial TCP,
 *       Noise XX, yamux (early muxer negotiation), {@code Host.connect}'s identify wait, then a {@code /perf/1.0.0}
 *       stream with 1 byte up and 1 byte down; the clock stops when the byte is back, then the connection closes.
 *   <li>The same without waiting for identify ({@code connectNoIdentifyWaitMillis}), the like-for-like comparison
 *       with {@code bench/js/latency.mjs}, whose {@code dial} does not wait for identify either: the perf exchange
 *       runs as soon as the connection is upgraded, from the host's {@link ConnectionListener#connected} callback
 *       (before the host starts its own identify), on a stream negotiated with a full multistream-select round trip
 *       as js-libp2p's {@code newStream} does. Connections of the two kinds alternate, so both see the same load.
 *   <li>Ping RTT over one established connection: {@code pings} pings of 32 bytes on one {@code /ipfs/ping/1.0.0}
 *       stream.
 * </ol>
 * {@code warmup} connections of each kind and {@code 5 * warmup} pings come first, uncounted (the JIT compiles the
 * path; js's engine warms up the same way in its script). Prints one JSON line:
 * {@code {"connectMillis":[...],"connectNoIdentifyWaitMillis":[...],"pingMillis":[...]}}. New connections
 * start at most every {@code paceMillis} (250) milliseconds, outside the timed part: a js-libp2p listener accepts at
 * most 5 inbound connections per second from one host by default (its connection manager's
 * {@code inboundConnectionThreshold}) and resets the others.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar weft.bench.e2e.Latency MULTIADDR [connections=100] [pings=1000] [warmup=20] [paceMillis=250]
 * </pre>
 */
public final class Latency {
    private static long pace;
    private static long lastDial = System.nanoTime() - 1_000_000_000L;

    private Latency() {}

    public static void main(String[] args) throws Exception {
        Multiaddr target = Multiaddr.parse(args[0]);
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int pings = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        pace = args.length > 4 ? Long.parseLong(args[4]) * 1_000_000 : 250_000_000L;
        try (Host client = Host.start(HostConfig.defaults())) {
            client.addConnectionListener(EARLY_ROUND_TRIP);
            for (int i = 0; i < warmup; i++) {
                connectAndRoundTrip(client, target);
                connectAndRoundTripEarly(client, target);
            }
            double[] connect = new double[connections];
            double[] early = new double[connections];
            for (int i = 0; i < connections; i++) {
                connect[i] = connectAndRoundTrip(client, target);
                early[i] = connectAndRoundTripEarly(client, target);
            }
            double[] ping = new double[pings];
            Connection connection = client.connect(target);
            try (HostStream stream = client.newStream(connection, Ping.PROTOCOL_ID)) {
                for (int i = 0; i < warmup * 5; i++) {
                    Ping.ping(stream);
                }
                for (int i = 0; i < pings; i++) {
                    ping[i] = Ping.ping(stream).toNanos() / 1e6;
                }
                stream.closeWrite();
            }
            connection.close();
            System.out.println("{\"connectMillis\":" + json(connect) + ",\"connectNoIdentifyWaitMillis\":"
                    + json(early) + ",\"pingMillis\":" + json(ping) + "}");
        }
    }

    /** One new connection, 1 byte up and 1 byte down over perf; milliseconds until the byte is back. */
    private static double connectAndRoundTrip(Host client, Multiaddr target) throws IOException {
        pace();
        long start = System.nanoTime();
        Connection connection = client.connect(target);
        try {
            check(Perf.run(client.newStream(connection, Perf.PROTOCOL_ID), 1, 1, (up, down) -> {}));
            return (System.nanoTime() - start) / 1e6;
        } finally {
            connection.close();
        }
    }

    /**
     * The same without the identify wait: {@link #EARLY_ROUND_TRIP} runs the perf exchange when the connection is
     * upgraded, inside {@code Host.connect}, which then waits for identify untimed.
     */
    private static double connectAndRoundTripEarly(Host client, Multiaddr target) throws IOException {
        pace();
        early = new Early(System.nanoTime());
        try {
            client.connect(target).close();
            if (early.failure != null) {
                throw early.failure;
            }
            return (early.end - early.start) / 1e6;
        } finally {
            early = null;
        }
    }

    /** The clock of one {@link #connectAndRoundTripEarly}, set while it runs. */
    private static final class Early {
        final long start;
        long end;
        IOException failure;

        Early(long start) {
            this.start = start;
        }
    }

    private static volatile Early early;

    /**
     * Called on the dialing thread as soon as the host has the upgraded connection, before its identify starts:
     * a perf stream negotiated with a full multistream-select round trip (the host knows nothing about the peer
     * yet, as js-libp2p's {@code newStream} does), 1 byte up and down.
     */
    private static final ConnectionListener EARLY_ROUND_TRIP = new ConnectionListener() {
        @Override
        public void connected(Connection connection) {
            Early clock = early;
            if (clock == null || !connection.isDialer()) {
                return;
            }
            try {
                MuxedStream stream = connection.openStream();
                MultistreamSelect.select(stream, Perf.PROTOCOL_ID);
                check(Perf.run(stream, 1, 1, (up, down) -> {}));
                clock.end = System.nanoTime();
            } catch (IOException e) {
                clock.failure = e;
            }
        }
    };

    private static void check(Perf.Result result) throws IOException {
        if (result.uploadedBytes() != 1 || result.downloadedBytes() != 1) {
            throw new IOException("latency: perf moved " + result.uploadedBytes() + " up, "
                    + result.downloadedBytes() + " down (wanted 1 and 1)");
        }
    }

    /** Waits until {@code pace} has passed since the last dial. */
    private static void pace() {
        for (long wait; (wait = lastDial + pace - System.nanoTime()) > 0; ) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        lastDial = System.nanoTime();
    }

    static String json(double[] values) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        Arrays.stream(values).forEach(v -> j.add(String.format(Locale.ROOT, "%.4f", v)));
        return j.toString();
    }
}
