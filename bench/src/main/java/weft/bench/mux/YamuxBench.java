package weft.bench.mux;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.AuxCounters;
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
import weft.mux.MuxedStream;
import weft.mux.yamux.Yamux;
import weft.mux.yamux.YamuxConfig;
import weft.mux.yamux.YamuxSession;

/**
 * Yamux session throughput over an in-memory pipe ({@link FastPipe}): a dialer and a listener {@link YamuxSession}
 * with go-yamux's default settings, {@code streams} streams open between them. One benchmark op is one round: every
 * stream writes {@code payload} bytes per {@code write} call, back to back until the round holds at least
 * {@value #MIN_ROUND_BYTES} bytes over all streams (at least one write each), each stream on its own virtual
 * thread as an application would; the op ends when the listener's reader of every stream has read all of them. So the measured work is
 * the whole path: framing, the connection writer's batching, the pipe, frame decoding, stream buffers, window
 * updates, and the wake-ups between the threads.
 *
 * <p>Results: the primary score is rounds/s; the secondary {@code bytes} counter ({@link AuxCounters}) is payload
 * bytes delivered per second, the number to read. Every reader checks the stream's tag byte on each read and counts
 * what it got; the trial fails if any byte is missing or foreign.
 *
 * <p>The default grid is trimmed ({@code payload} 1 KiB, 64 KiB, 1 MiB × {@code streams} 1, 100, 1000); the full
 * grid of issue 6 is one flag away: {@code -p payload=1024,16384,65536,262144,1048576 -p streams=1,10,100,1000}.
 * JMH's worker runs on a virtual thread ({@code -Djmh.executor=VIRTUAL}) so that every handoff is between virtual
 * threads, as in weft.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-Djmh.executor=VIRTUAL"})
public class YamuxBench {
    /** Bytes each stream writes per round, in one write call. */
    @Param({"1024", "65536", "1048576"})
    int payload;

    /** Streams writing concurrently. */
    @Param({"1", "100", "1000"})
    int streams;

    /** Each direction of the pipe buffers this much, about a loopback socket's send buffer at its default. */
    static final int PIPE_CAPACITY = 256 * 1024;
    /** How long one round may take before the trial is declared hung. */
    private static final long ROUND_TIMEOUT_SECONDS = 120;
    /**
     * A round moves at least this many bytes (every stream writes {@code payload} bytes as many times as it takes),
     * so small writes stream back to back instead of measuring one wake-up round trip per write.
     */
    static final long MIN_ROUND_BYTES = 4L << 20;
    /** Distinct tag bytes: streams with different tags catch bytes delivered to the wrong stream. */
    private static final int TAGS = 16;

    private YamuxSession dialer;
    private YamuxSession listener;
    private final List<Thread> threads = new ArrayList<>();
    /** Source arrays shared by the writers (yamux copies out of them): a few tags, so 1000 x 1 MiB fits. */
    private byte[][] sources;
    private Semaphore[] go;
    private final Semaphore delivered = new Semaphore(0);
    private final LongAdder received = new LongAdder();
    private final LongAdder foreignBytes = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private long rounds;
    private int writesPerRound;
    private long roundBytesPerStream;

    /** Payload bytes delivered, reported per second next to the primary score. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Delivered {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        writesPerRound = (int) Math.max(1, MIN_ROUND_BYTES / ((long) payload * streams));
        roundBytesPerStream = (long) payload * writesPerRound;
        sources = new byte[Math.min(streams, TAGS)][];
        for (int t = 0; t < sources.length; t++) {
            sources[t] = new byte[payload];
            Arrays.fill(sources[t], (byte) (t + 1));
        }
        YamuxConfig config = YamuxConfig.defaults().withMaxIncomingStreams(Math.max(1000, streams));
        FastPipe.Pair pipe = FastPipe.pair(PIPE_CAPACITY);
        dialer = new Yamux(config).start(pipe.a(), true);
        listener = new Yamux(config).start(pipe.b(), false);

        Thread acceptor = Thread.ofVirtual().name("bench-acceptor").start(() -> {
            try {
                for (int i = 0; i < streams; i++) {
                    MuxedStream stream = listener.acceptStream();
                    threads.add(Thread.ofVirtual().name("bench-reader-" + stream.id()).start(() -> drain(stream)));
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        go = new Semaphore[streams];
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            MuxedStream stream = dialer.openStream();
            Semaphore mine = go[i] = new Semaphore(0);
            writers.add(Thread.ofVirtual().name("bench-writer-" + stream.id()).start(() -> fill(stream, mine)));
        }
        acceptor.join();
        threads.addAll(writers);
        check();
    }

    /** Writes {@code payload} bytes {@code writesPerRound} times per permit, from the stream's tagged array. */
    private void fill(MuxedStream stream, Semaphore mine) {
        byte[] data = sources[tag(stream) - 1];
        try {
            while (true) {
                mine.acquire();
                if (stopping) {
                    return;
                }
                for (int i = 0; i < writesPerRound; i++) {
                    stream.write(data, 0, data.length);
                }
            }
        } catch (Throwable e) {
            if (!stopping) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /** Reads rounds of {@code roundBytesPerStream} bytes, checks the tag, reports each round. */
    private void drain(MuxedStream stream) {
        byte[] buffer = new byte[64 * 1024];
        byte tag = tag(stream);
        InputStream in = stream.input();
        try {
            while (true) {
                long remaining = roundBytesPerStream;
                while (remaining > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (n < 0) {
                        return;
                    }
                    if (buffer[0] != tag || buffer[n - 1] != tag) {
                        foreignBytes.add(n);
                    }
                    remaining -= n;
                    received.add(n);
                }
                delivered.release();
            }
        } catch (Throwable e) {
            if (!stopping) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /** 1..sources.length, from the stream id (the same on both ends). */
    private byte tag(MuxedStream stream) {
        return (byte) (1 + ((stream.id() - 1) / 2) % sources.length);
    }

    @Benchmark
    public void transfer(Delivered counter) throws Exception {
        for (Semaphore g : go) {
            g.release();
        }
        long waited = 0;
        while (!delivered.tryAcquire(streams, 1, TimeUnit.SECONDS)) {
            check(); // a failed stream thread ends the trial at once rather than after the timeout
            if (++waited >= ROUND_TIMEOUT_SECONDS) {
                throw new IllegalStateException("bench: round not delivered in " + ROUND_TIMEOUT_SECONDS + " s");
            }
        }
        rounds++;
        counter.bytes += roundBytesPerStream * streams;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        check();
        long expected = rounds * roundBytesPerStream * streams;
        if (received.sum() != expected || foreignBytes.sum() != 0) {
            throw new IllegalStateException("bench: delivered " + received.sum() + " bytes, expected " + expected
                    + " (" + foreignBytes.sum() + " foreign)");
        }
        stopping = true;
        for (Semaphore g : go) {
            g.release();
        }
        dialer.close();
        listener.close();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private void check() throws IOException {
        Throwable e = failure.get();
        if (e != null) {
            throw new IOException("bench: a stream thread failed", e);
        }
    }
}
