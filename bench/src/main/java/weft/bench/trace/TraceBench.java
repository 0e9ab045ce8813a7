package weft.bench.trace;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import weft.bench.pipe.FastPipe;
import weft.io.DuplexStream;
import weft.mux.MuxedStream;
import weft.mux.yamux.Yamux;
import weft.mux.yamux.YamuxConfig;
import weft.mux.yamux.YamuxSession;
import weft.trace.Trace;
import weft.trace.TraceEvent;
import weft.trace.TraceListener;

/**
 * The wire trace's cost on the yamux hot path: one stream between a dialer and a listener {@link YamuxSession} over
 * a {@link FastPipe}, the dialer writing {@code payload}-byte writes until a round of {@value #ROUND_BYTES} bytes is
 * read on the other side. {@code trace=off}: both sessions untraced, as every connection is by default (the hooks
 * check a final field and build nothing). {@code trace=noop}: both traced, to a listener that drops each event, so
 * the difference is the cost of building events (frame fields, window lookups, the event objects). Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per round, which tracing off must leave
 * where it was.
 *
 * <pre>
 * $JDK/bin/java -jar bench/target/benchmarks.jar weft.bench.trace.TraceBench -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djmh.executor=VIRTUAL"})
public class TraceBench {
    /** Bytes per round (read by the listener's reader before the round ends). */
    static final int ROUND_BYTES = 4 << 20;
    /** As bench/YamuxBench: about a loopback socket's send buffer. */
    static final int PIPE_CAPACITY = 256 * 1024;

    /** off: no trace; noop: traced to a listener that drops every event. */
    @Param({"off", "noop"})
    String trace;

    /** Bytes per write: 1 KiB (many small frames: the per-frame cost shows) and 64 KiB. */
    @Param({"1024", "65536"})
    int payload;

    private YamuxSession dialer;
    private YamuxSession listener;
    private MuxedStream out;
    private Thread reader;
    private byte[] data;
    private final Semaphore delivered = new Semaphore(0);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** A listener that wants every event and keeps none. */
    static final TraceListener DROP = (TraceEvent event) -> {};

    @Setup(Level.Trial)
    public void setup() throws Exception {
        data = new byte[payload];
        TraceListener listener = trace.equals("noop") ? DROP : TraceListener.OFF;
        FastPipe.Pair pipe = FastPipe.pair(PIPE_CAPACITY);
        YamuxConfig config = YamuxConfig.defaults();
        dialer = new Yamux(config).start(DuplexStream.traced(pipe.a(), Trace.start(listener, "c1")), true);
        this.listener = new Yamux(config).start(DuplexStream.traced(pipe.b(), Trace.start(listener, "c2")), false);
        out = dialer.openStream();
        MuxedStream in = this.listener.acceptStream();
        reader = Thread.ofVirtual().name("bench-reader").start(() -> drain(in));
    }

    private void drain(MuxedStream stream) {
        byte[] buffer = new byte[64 * 1024];
        InputStream input = stream.input();
        try {
            while (true) {
                int remaining = ROUND_BYTES;
                while (remaining > 0) {
                    int n = input.read(buffer, 0, Math.min(buffer.length, remaining));
                    if (n < 0) {
                        return;
                    }
                    remaining -= n;
                }
                delivered.release();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
            delivered.release();
        }
    }

    /** One round: {@value #ROUND_BYTES} bytes written and read. */
    @Benchmark
    public void round() throws Exception {
        for (int sent = 0; sent < ROUND_BYTES; sent += payload) {
            out.write(data, 0, payload);
        }
        if (!delivered.tryAcquire(60, TimeUnit.SECONDS) || failure.get() != null) {
            throw new IOException("bench: round not delivered", failure.get());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        dialer.close();
        listener.close();
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }
}
