package weft.bench.scale;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import weft.bench.Results;
import weft.bench.stack.LoopbackStack;
import weft.mux.MuxedStream;
import weft.mux.yamux.YamuxConfig;

/**
 * Scale (issue 6): one tcp/noise/yamux connection on loopback ({@link LoopbackStack}) carrying {@code N}
 * (10,000) concurrent open streams, each echoing a little data, then held open and idle.
 *
 * <ol>
 *   <li>Baseline after the connection is up: heap used after GC ({@code MemoryMXBean}), RSS
 *       ({@code /proc/self/status VmRSS}), platform threads ({@code ThreadMXBean}).
 *   <li>The dialer opens N streams, each from its own virtual thread, writes a 32-byte message and reads the echo
 *       back (checked byte for byte); the thread then ends, leaving the stream open. The listener accepts each
 *       stream and runs an echo handler on a virtual thread per stream, which stays parked in {@code read}: the
 *       usual server shape.
 *   <li>With all N streams open and idle: the same measurements. Per idle stream = (idle - baseline) / N, so it
 *       counts both ends of the stream (dialer and listener {@code YamuxStream}) and the listener's parked
 *       handler thread. RSS includes heap growth, so it is an upper bound.
 *   <li>Every stream is half-closed by the dialer; each handler sees end of stream, half-closes back, and the
 *       dialer reads end of stream on every stream. Then the sessions close. Any error, timeout, lost or wrong
 *       byte exits non-zero.
 * </ol>
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar weft.bench.scale.YamuxScale [streams (10000)]
 * </pre>
 *
 * Not covered here: 1,000 concurrent connections each doing ping needs the host (listener, upgrader, ping).
 */
public final class YamuxScale {
    private static final int MESSAGE_BYTES = 32;
    private static final long PHASE_TIMEOUT_SECONDS = 300;

    private YamuxScale() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        YamuxConfig config = YamuxConfig.defaults().withMaxIncomingStreams(n).withAcceptBacklog(1024);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (LoopbackStack stack = LoopbackStack.connect(config)) {
            Snapshot baseline = Snapshot.take();
            System.out.println("baseline: " + baseline);

            AtomicInteger handlersParked = new AtomicInteger();
            CountDownLatch handlersDone = new CountDownLatch(n);
            Thread acceptor = Thread.ofVirtual().name("scale-acceptor").start(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        MuxedStream stream = stack.listener().acceptStream();
                        Thread.ofVirtual().start(() -> echo(stream, handlersDone, failure));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });

            long start = System.nanoTime();
            MuxedStream[] streams = new MuxedStream[n];
            CountDownLatch echoed = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                MuxedStream stream = streams[i] = stack.dialer().openStream();
                int index = i;
                Thread.ofVirtual().start(() -> {
                    try {
                        byte[] message = message(index);
                        stream.write(message, 0, message.length);
                        byte[] back = stream.input().readNBytes(MESSAGE_BYTES);
                        if (!Arrays.equals(message, back)) {
                            throw new IOException("scale: stream " + stream.id() + " echoed the wrong bytes");
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        echoed.countDown();
                    }
                });
            }
            await(echoed, "echo", failure);
            acceptor.join();
            double openSeconds = (System.nanoTime() - start) / 1e9;
            check(failure);
            System.out.printf(Locale.ROOT, "%d streams opened and echoed in %.2f s (%.0f streams/s)%n", n,
                    openSeconds, n / openSeconds);

            Snapshot idle = Snapshot.take();
            int sessionStreams = stack.dialer().streamCount() + stack.listener().streamCount();
            System.out.println("idle:     " + idle + ", streams in the two sessions' maps " + sessionStreams);
            if (sessionStreams != 2 * n) {
                throw new IllegalStateException("scale: " + sessionStreams + " streams open, expected " + 2 * n);
            }
            double heapPerStream = (idle.heap() - baseline.heap()) / (double) n;
            double rssPerStream = (idle.rss() - baseline.rss()) / (double) n;
            System.out.printf(Locale.ROOT, "per idle stream (both ends + one parked handler thread): heap %.0f B,"
                    + " RSS %.0f B; platform threads %d -> %d%n", heapPerStream, rssPerStream,
                    baseline.platformThreads(), idle.platformThreads());

            // orderly end: FIN from the dialer, the handler answers with FIN, the dialer reads end of stream
            long closeStart = System.nanoTime();
            CountDownLatch closed = new CountDownLatch(n);
            for (MuxedStream stream : streams) {
                Thread.ofVirtual().start(() -> {
                    try {
                        stream.closeWrite();
                        if (stream.input().read() != -1) {
                            throw new IOException("scale: stream " + stream.id() + " sent data after the echo");
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        closed.countDown();
                    }
                });
            }
            await(closed, "close", failure);
            await(handlersDone, "handlers", failure);
            check(failure);
            System.out.printf(Locale.ROOT, "%d streams closed in %.2f s; streams left in the maps %d%n", n,
                    (System.nanoTime() - closeStart) / 1e9,
                    stack.dialer().streamCount() + stack.listener().streamCount());

            Results.value("scale_streams", "streams", n);
            Results.value("scale_open_echo_rate", "streams/s", n / openSeconds);
            Results.value("scale_heap_per_idle_stream", "B", heapPerStream);
            Results.value("scale_rss_per_idle_stream", "B", rssPerStream);
            Results.value("scale_platform_threads", "threads", idle.platformThreads());
        }
        System.out.println("scale: completed without errors");
    }

    /** The listener's handler: echoes until end of stream, then half-closes. */
    private static void echo(MuxedStream stream, CountDownLatch done, AtomicReference<Throwable> failure) {
        byte[] buffer = new byte[MESSAGE_BYTES];
        try {
            for (int n; (n = stream.read(buffer, 0, buffer.length)) >= 0; ) {
                stream.write(buffer, 0, n);
            }
            stream.close();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        } finally {
            done.countDown();
        }
    }

    private static byte[] message(int index) {
        byte[] message = new byte[MESSAGE_BYTES];
        byte[] text = ("stream " + index + " says hi").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, message, 0, Math.min(text.length, MESSAGE_BYTES));
        return message;
    }

    private static void await(CountDownLatch latch, String phase, AtomicReference<Throwable> failure)
            throws Exception {
        if (!latch.await(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            check(failure);
            throw new IllegalStateException("scale: " + phase + " did not finish in " + PHASE_TIMEOUT_SECONDS
                    + " s (" + latch.getCount() + " left)");
        }
    }

    private static void check(AtomicReference<Throwable> failure) throws IOException {
        if (failure.get() != null) {
            throw new IOException("scale: a stream failed", failure.get());
        }
    }
}
