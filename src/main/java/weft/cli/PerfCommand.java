package weft.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import weft.connection.Connection;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;
import weft.protocol.perf.Perf;

/**
 * {@code weft perf}: the libp2p perf protocol. Without {@code --listen} or {@code --dial} it runs a server and a
 * client in this process over loopback and reports upload and download throughput; with {@code --listen} it
 * serves; with {@code --dial} it measures against a server, printing progress each second. {@code --json} prints
 * the test-plans perf runner's lines on stdout ({@code {"type":"intermediary",...}} each second, then
 * {@code {"type":"final",...}}; test-plans {@code perf/README.md}).
 */
@Command(name = "perf", description = "Measure throughput with /perf/1.0.0 (no options: server and client in this process).")
final class PerfCommand implements Callable<Integer> {
    static final long GIB = 1L << 30;

    @Option(names = "--listen", paramLabel = "MULTIADDR", description = "Serve perf here, e.g. /ip4/0.0.0.0/tcp/4001.")
    Multiaddr listen;

    @Option(names = "--dial", paramLabel = "MULTIADDR", description = "Measure against the perf server at this address.")
    Multiaddr dial;

    @Option(names = "--upload-bytes", paramLabel = "N", description = "Bytes to send (default 1 GiB).")
    long uploadBytes = GIB;

    @Option(names = "--download-bytes", paramLabel = "N", description = "Bytes to receive (default 1 GiB).")
    long downloadBytes = GIB;

    @Option(names = "--json", description = "Print the perf runner's JSON lines on stdout.")
    boolean json;

    @Option(names = "--key", paramLabel = "FILE", description = "Identity file for the listener (created if missing).")
    Path key;

    @Mixin
    StackOptions stack = new StackOptions();

    @Mixin
    TraceOptions trace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (listen != null && dial != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "use --listen or --dial, not both");
        }
        if (listen != null) {
            Host server = Host.start(trace.apply(Nodes.config(key, List.of(listen), stack).withPerf(true),
                    spec.commandLine().getErr(), true));
            Nodes.serveForever(server, out);
            return 0;
        }
        if (dial != null) {
            try {
                measure(dial, uploadBytes, downloadBytes, out);
            } finally {
                trace.close();
            }
            return 0;
        }
        List<Multiaddr> loopback = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        try (Host server = Host.start(Nodes.config(key, loopback, stack).withPerf(true))) {
            Multiaddr address = server.addresses().get(0);
            if (!json) {
                out.println("perf server on " + address);
            }
            // Two runs, one direction each, so that each number is that direction's alone.
            measure(address, uploadBytes, 0, out);
            measure(address, 0, downloadBytes, out);
        } finally {
            trace.close();
        }
        return 0;
    }

    private void measure(Multiaddr target, long up, long down, PrintWriter out) throws Exception {
        long start = System.nanoTime();
        AtomicLong uploaded = new AtomicLong();
        AtomicLong downloaded = new AtomicLong();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-perf-progress");
            t.setDaemon(true);
            return t;
        });
        long[] last = {start, 0, 0};
        ticker.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long u = uploaded.get();
            long d = downloaded.get();
            progress(out, (now - last[0]) / 1e9, u - last[1], d - last[2]);
            last[0] = now;
            last[1] = u;
            last[2] = d;
        }, 1, 1, TimeUnit.SECONDS);
        Perf.Result result;
        // only the client is traced: in-process, the server's side of the same connection would double every line
        HostConfig config = trace.apply(Nodes.config(null, List.of(), stack), spec.commandLine().getErr(), true);
        try (Host client = Host.start(config)) {
            Connection connection = client.connect(target);
            result = Perf.run(client.newStream(connection, Perf.PROTOCOL_ID), up, down, (u, d) -> {
                uploaded.set(u);
                downloaded.set(d);
            });
        } finally {
            ticker.shutdownNow();
        }
        double total = (System.nanoTime() - start) / 1e9;
        if (json) {
            out.printf(Locale.ROOT, "{\"type\":\"final\",\"timeSeconds\":%.4f,\"uploadBytes\":%d,\"downloadBytes\":%d}%n",
                    total, result.uploadedBytes(), result.downloadedBytes());
            return;
        }
        // A one-direction run reports the whole stream, from the first byte written to the server's end of stream,
        // as go's and js's perf clients do: an upload is done when the server has read it, not when it is queued.
        double seconds = result.total().toNanos() / 1e9;
        if (up > 0) {
            out.println(summary("upload", result.uploadedBytes(),
                    down > 0 ? result.uploadTime().toNanos() / 1e9 : seconds));
        }
        if (down > 0) {
            out.println(summary("download", result.downloadedBytes(),
                    up > 0 ? result.downloadTime().toNanos() / 1e9 : seconds));
        }
    }

    private void progress(PrintWriter out, double seconds, long up, long down) {
        if (json) {
            out.printf(Locale.ROOT, "{\"type\":\"intermediary\",\"timeSeconds\":%.4f,\"uploadBytes\":%d,\"downloadBytes\":%d}%n",
                    seconds, up, down);
        } else {
            spec.commandLine().getErr().printf(Locale.ROOT, "%.1f s: up %d bytes (%.2f Gbit/s), down %d bytes (%.2f Gbit/s)%n",
                    seconds, up, gbps(up, seconds), down, gbps(down, seconds));
        }
        out.flush();
    }

    static String summary(String direction, long bytes, double seconds) {
        return String.format(Locale.ROOT, "%s: %d bytes in %.3f s = %.2f Gbit/s", direction, bytes, seconds,
                gbps(bytes, seconds));
    }

    static double gbps(long bytes, double seconds) {
        return seconds <= 0 ? 0 : bytes * 8 / seconds / 1e9;
    }
}
