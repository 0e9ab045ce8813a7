package weft.bench.quic;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import weft.bench.Results;
import weft.host.Host;
import weft.host.HostConfig;
import weft.host.Limits;
import weft.multiformats.Multiaddr;
import weft.protocol.perf.Perf;

/**
 * QUIC v1 perf ({@code /perf/1.0.0} over {@code /udp/N/quic-v1}): weft dials a weft host in this process, and, with
 * a js-libp2p QUIC listener's multiaddr as third argument, weft dials js too. Upload and download are separate runs,
 * each on a fresh connection set up before the clock starts. js to js, and js to weft, are measured with the js
 * peer of {@code src/test/interop/js-quic} ({@code node peer.mjs dial <addr> perf --upload-bytes N}, result fields
 * {@code uploadGbps} and {@code downloadGbps}).
 *
 * <pre>
 * node src/test/interop/js-quic/peer.mjs listen &amp;   # prints its /quic-v1 multiaddr
 * java -cp bench/target/benchmarks.jar weft.bench.quic.QuicPerf [bytes (100 MiB)] [runs (3)] [js multiaddr]
 * java -cp bench/target/benchmarks.jar weft.bench.quic.QuicPerf [bytes] [runs] .   # starts that js listener itself
 * </pre>
 * The third argument is either a js listener's multiaddr or the repository root, from which the js-quic peer is
 * started as listener (and stopped at the end).
 *
 * Prints {@code RESULT quic_weft_weft_upload ...}, {@code quic_weft_weft_download}, and with a js address
 * {@code quic_weft_js_upload} and {@code quic_weft_js_download} ({@link Results}).
 *
 * <p>Then the threads a QUIC connection costs: {@value #CENSUS_CONNECTIONS} more connections from the client host to
 * the server host, each with one open perf stream whose handler waits on the server, counted against the threads
 * before: {@code quic_platform_threads_per_connection} (both ends; netty's event loops are per transport, so 0 is
 * expected) and {@code quic_virtual_threads_per_connection} (both ends: the host's stream-accept loop per connection
 * and side, and the handler of each stream), from a JVM thread dump, which lists virtual threads too.
 * {@code quic_event_loop_threads} is the number of {@code weft-quic} platform threads in the process (one per
 * transport, so two: one per host).
 */
public final class QuicPerf {
    static final int CENSUS_CONNECTIONS = 20;

    private QuicPerf() {}

    public static void main(String[] args) throws Exception {
        long bytes = args.length > 0 ? Long.parseLong(args[0]) : 100L << 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Process jsListener = null;
        Multiaddr js = null;
        if (args.length > 2 && args[2].startsWith("/") && !Files.isDirectory(Path.of(args[2]))) {
            js = Multiaddr.parse(args[2]);
        } else if (args.length > 2) {
            jsListener = new ProcessBuilder("node", Path.of(args[2], "src/test/interop/js-quic/peer.mjs").toString(),
                    "listen", "--until-stdin-closes").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String line = jsListener.inputReader(StandardCharsets.UTF_8).readLine();
            Matcher m = Pattern.compile("\"multiaddrs\":\\[\"([^\"]+)\"").matcher(String.valueOf(line));
            if (!m.find()) {
                jsListener.destroy();
                throw new IllegalStateException("QuicPerf: the js listener printed no multiaddr: " + line);
            }
            js = Multiaddr.parse(m.group(1));
        }
        try {
            run(bytes, runs, js);
        } finally {
            if (jsListener != null) {
                jsListener.getOutputStream().close(); // --until-stdin-closes
                if (!jsListener.waitFor(10, TimeUnit.SECONDS)) {
                    jsListener.destroyForcibly();
                }
            }
        }
    }

    private static void run(long bytes, int runs, Multiaddr js) throws Exception {
        System.out.printf(Locale.ROOT, "QuicPerf: quic-v1, %d MiB per run, %d runs (+1 warm-up), %s%n", bytes >> 20,
                runs, Runtime.version());
        try (Host server = Host.start(HostConfig.defaults().withPerf(true)
                        .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/udp/0/quic-v1")))
                        // the census's connections all come from one peer
                        .withLimits(Limits.defaults().withMaxInboundConnectionsPerPeer(2 * CENSUS_CONNECTIONS)));
                Host client = Host.start(HostConfig.defaults())) {
            measure("quic_weft_weft", client, server.addresses().get(0), bytes, runs);
            if (js != null) {
                measure("quic_weft_js", client, js, bytes, runs);
            }
            census(client, server.addresses().get(0));
        }
    }

    /** Threads per QUIC connection (both ends in this process), see the class comment. */
    private static void census(Host client, Multiaddr target) throws Exception {
        int[] before = threads();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            for (int i = 0; i < CENSUS_CONNECTIONS; i++) {
                var connection = client.connect(target.withoutPeerId()); // without /p2p/: a new connection each
                open.add(connection);
                var stream = client.newStream(connection, Perf.PROTOCOL_ID);
                stream.output().write(new byte[8]); // the download size: the server's handler now waits for upload bytes
                stream.output().flush();
                open.add(stream);
            }
            Thread.sleep(500); // let the server's handlers reach their read
            int[] after = threads();
            double platform = (after[0] - before[0]) / (double) CENSUS_CONNECTIONS;
            double virtual = (after[1] - before[1]) / (double) CENSUS_CONNECTIONS;
            long eventLoops = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("weft-quic")).count();
            System.out.printf(Locale.ROOT, "threads: %d connections with one waiting perf stream each, both ends in"
                    + " this JVM: platform %d -> %d, virtual %d -> %d; weft-quic event loops %d%n",
                    CENSUS_CONNECTIONS, before[0], after[0], before[1], after[1], eventLoops);
            Results.value("quic_platform_threads_per_connection", "threads", platform);
            Results.value("quic_virtual_threads_per_connection", "threads", virtual);
            Results.value("quic_event_loop_threads", "threads", eventLoops);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    /** Live platform threads, and virtual threads (from a thread dump: the JVM lists only platform ones else). */
    private static int[] threads() throws Exception {
        int platform = ManagementFactory.getThreadMXBean().getThreadCount();
        Path dump = Files.createTempFile("quicperf-threads", ".json");
        try {
            Files.delete(dump); // dumpThreads refuses to overwrite
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            Matcher tid = Pattern.compile("\"tid\"").matcher(Files.readString(dump));
            int all = 0;
            while (tid.find()) {
                all++;
            }
            return new int[] {platform, all - platform};
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    private static void measure(String name, Host client, Multiaddr target, long bytes, int runs) throws Exception {
        List<Results.Run> upload = new ArrayList<>();
        List<Results.Run> download = new ArrayList<>();
        for (int run = -1; run < runs; run++) { // run -1 warms up and is not counted
            Results.Run u = once(client, target, bytes, 0);
            Results.Run d = once(client, target, 0, bytes);
            if (run >= 0) {
                upload.add(u);
                download.add(d);
                System.out.printf(Locale.ROOT, "  %s run %d: upload %.3f GB/s (CPU %.3f s/GiB), download %.3f GB/s"
                        + " (%.3f)%n", name, run + 1, u.bytesPerSecond() / 1e9, u.cpuSecondsPerGiB(),
                        d.bytesPerSecond() / 1e9, d.cpuSecondsPerGiB());
            }
        }
        Results.throughput(name + "_upload", upload);
        Results.throughput(name + "_download", download);
    }

    private static Results.Run once(Host client, Multiaddr target, long up, long down) throws Exception {
        try (var connection = client.connect(target)) {
            var stream = client.newStream(connection, Perf.PROTOCOL_ID);
            return Results.Run.time(up + down, () -> Perf.run(stream, up, down, Perf.Progress.NONE));
        }
    }
}
