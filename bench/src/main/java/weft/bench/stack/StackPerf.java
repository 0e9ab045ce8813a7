package weft.bench.stack;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import weft.bench.Results;
import weft.mux.MuxedStream;
import weft.mux.yamux.YamuxConfig;

/**
 * weft's tcp/noise/yamux data path on loopback ({@link LoopbackStack}): one yamux stream, one writer and one
 * reader virtual thread, {@code bytes} per run, upload (the dialer writes) and download (the listener writes)
 * reported separately. Each run uses a fresh connection, set up before the clock starts; a warm-up run comes first.
 * The reader checks the byte count, and the last byte of every read against the pattern the writer sends.
 *
 * <p>This is what {@code weft perf} will measure once the host is on main, minus the perf protocol's 8-byte
 * header and multistream-select, which do not change the bulk rate. Compare it with
 * {@link weft.bench.limits.TcpLimit}'s {@code noise_pipeline} from the same run.
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar weft.bench.stack.StackPerf [bytes (1 GiB)] [runs (3)] [write size (64 KiB)]
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
        for (boolean upload : new boolean[] {true, false}) {
            String name = upload ? "weft_stack_upload" : "weft_stack_download";
            double[] rates = new double[runs];
            for (int run = -1; run < runs; run++) {
                double rate = once(total, writeSize, upload);
                if (run >= 0) {
                    rates[run] = rate;
                    System.out.printf(Locale.ROOT, "  %s run %d: %.3f GB/s%n", name, run + 1, rate / 1e9);
                }
            }
            Results.throughput(name, rates);
        }
    }

    private static double once(long total, int writeSize, boolean upload) throws Exception {
        try (LoopbackStack stack = LoopbackStack.connect(YamuxConfig.defaults())) {
            MuxedStream opened = stack.dialer().openStream();
            MuxedStream accepted = stack.listener().acceptStream();
            MuxedStream from = upload ? opened : accepted;
            MuxedStream to = upload ? accepted : opened;
            byte[] data = new byte[writeSize];
            new Random(3).nextBytes(data);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long start = System.nanoTime();
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
            byte[] buffer = new byte[64 * 1024];
            long received = 0;
            long wrong = 0;
            InputStream in = to.input();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (buffer[n - 1] != data[(int) ((received + n - 1) % writeSize)]) {
                    wrong++;
                }
                received += n;
            }
            long elapsed = System.nanoTime() - start;
            writer.join();
            if (failure.get() != null) {
                throw new IOException("perf: writer failed", failure.get());
            }
            if (received != total || wrong != 0) {
                throw new IOException("perf: received " + received + " of " + total + " bytes, " + wrong
                        + " reads ended on a wrong byte");
            }
            return total / (elapsed / 1e9);
        }
    }
}
