package weft.bench.stack;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import weft.bench.Results;
import weft.bench.limits.TcpLimit;
import weft.mux.MuxedStream;
import weft.mux.yamux.YamuxConfig;

/**
 * weft's tcp/noise/yamux data path on loopback ({@link LoopbackStack}): one yamux stream, one writer and one
 * reader virtual thread, {@code bytes} per run, upload (the dialer writes) and download (the listener writes)
 * reported separately. Each run uses a fresh connection, set up before the clock starts; a warm-up round comes first.
 * Each round also runs {@link TcpLimit}'s Noise pipeline limit ({@code noise_pipeline_paired}) right before weft's
 * two runs, so that on a shared machine the limit and weft see about the same load: compare within a round, and
 * compare CPU seconds per GiB, which other processes hardly change.
 * The reader checks the byte count, and the last byte of every read against the pattern the writer sends.
 *
 * <p>This is what {@code weft perf} will measure once the host is on main, minus the perf protocol's 8-byte
 * header and multistream-select, which do not change the bulk rate (issue 6 target: at least 85% of the Noise
 * pipeline limit).
 *
 * <p>With {@code -Dweft.noise.aead=jdk} weft's Noise (and the paired limit) use the JDK's ChaCha20-Poly1305 whatever
 * the CPU, and the result names end in {@code _jdkaead}: the "before" of weft's own Poly1305.
 *
 * <pre>
 * java -Xms1g -Xmx1g [-Dweft.noise.aead=jdk] -cp bench/target/benchmarks.jar weft.bench.stack.StackPerf [bytes (1 GiB)] [runs (3)] [write size (64 KiB)]
 * </pre>
 */
public final class StackPerf {
    private StackPerf() {}

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 1L << 30;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int writeSize = args.length > 2 ? Integer.parseInt(args[2]) : 64 * 1024;
        System.out.printf(Locale.ROOT, "StackPerf: tcp/noise/yamux, %d MiB per run, %d runs (+1 warm-up), %d-byte"
                + " writes, %s%n", total >> 20, runs, writeSize, Runtime.version());
        List<Results.Run> limit = new ArrayList<>();
        List<Results.Run> upload = new ArrayList<>();
        List<Results.Run> download = new ArrayList<>();
        for (int run = -1; run < runs; run++) { // run -1 warms up and is not counted
            Results.Run l = TcpLimit.noisePipelineRun(total);
            Results.Run u = once(total, writeSize, true);
            Results.Run d = once(total, writeSize, false);
            if (run >= 0) {
                limit.add(l);
                upload.add(u);
                download.add(d);
                System.out.printf(Locale.ROOT, "  run %d: noise pipeline %.3f GB/s (CPU %.3f s/GiB), upload %.3f GB/s"
                        + " (%.3f), download %.3f GB/s (%.3f)%n", run + 1, l.bytesPerSecond() / 1e9,
                        l.cpuSecondsPerGiB(), u.bytesPerSecond() / 1e9, u.cpuSecondsPerGiB(),
                        d.bytesPerSecond() / 1e9, d.cpuSecondsPerGiB());
            }
        }
        // with -Dweft.noise.aead=jdk (the JDK's ChaCha20-Poly1305 even without its Poly1305 intrinsic): "_jdkaead"
        String suffix = "jdk".equals(System.getProperty("weft.noise.aead")) ? "_jdkaead" : "";
        Results.throughput("noise_pipeline_paired" + suffix, limit);
        Results.throughput("weft_stack_upload" + suffix, upload);
        Results.throughput("weft_stack_download" + suffix, download);
    }

    private static Results.Run once(long total, int writeSize, boolean upload) throws Exception {
        try (LoopbackStack stack = LoopbackStack.connect(YamuxConfig.defaults())) {
            MuxedStream opened = stack.dialer().openStream();
            MuxedStream accepted = stack.listener().acceptStream();
            MuxedStream from = upload ? opened : accepted;
            MuxedStream to = upload ? accepted : opened;
            byte[] data = new byte[writeSize];
            new Random(3).nextBytes(data);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] received = new long[1];
            long[] wrong = new long[1];
            Results.Run run = Results.Run.time(total, () -> {
                Thread writer = Thread.ofVirtual().name("perf-writer").start(() -> {
                    try {
                        for (long sent = 0; sent < total; ) {
                            int n = (int) Math.min(writeSize, total - sent);
                            from.write(data, 0, n);
                            sent += n;
                        }
                        from.closeWrite();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                Thread reader = Thread.ofVirtual().name("perf-reader").start(() -> {
                    byte[] buffer = new byte[64 * 1024];
                    InputStream in = to.input();
                    try {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            if (buffer[n - 1] != data[(int) ((received[0] + n - 1) % writeSize)]) {
                                wrong[0]++;
                            }
                            received[0] += n;
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                reader.join();
                writer.join();
            });
            if (failure.get() != null) {
                throw new IOException("perf: run failed", failure.get());
            }
            if (received[0] != total || wrong[0] != 0) {
                throw new IOException("perf: received " + received[0] + " of " + total + " bytes, " + wrong[0]
                        + " reads ended on a wrong byte");
            }
            return run;
        }
    }
}
