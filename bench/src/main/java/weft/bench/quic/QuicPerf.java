package weft.bench.quic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import weft.bench.Results;
import weft.host.Host;
import weft.host.HostConfig;
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
 * </pre>
 *
 * Prints {@code RESULT quic_weft_weft_upload ...}, {@code quic_weft_weft_download}, and with a js address
 * {@code quic_weft_js_upload} and {@code quic_weft_js_download} ({@link Results}).
 */
public final class QuicPerf {
    private QuicPerf() {}

    public static void main(String[] args) throws Exception {
        long bytes = args.length > 0 ? Long.parseLong(args[0]) : 100L << 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Multiaddr js = args.length > 2 ? Multiaddr.parse(args[2]) : null;
        System.out.printf(Locale.ROOT, "QuicPerf: quic-v1, %d MiB per run, %d runs (+1 warm-up), %s%n", bytes >> 20,
                runs, Runtime.version());
        try (Host server = Host.start(HostConfig.defaults().withPerf(true)
                        .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/udp/0/quic-v1"))));
                Host client = Host.start(HostConfig.defaults())) {
            measure("quic_weft_weft", client, server.addresses().get(0), bytes, runs);
            if (js != null) {
                measure("quic_weft_js", client, js, bytes, runs);
            }
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
