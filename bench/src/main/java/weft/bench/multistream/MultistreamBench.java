package weft.bench.multistream;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import weft.bench.pipe.FastPipe;
import weft.multistream.MultistreamSelect;

/**
 * multistream-select negotiations per second over an in-memory pipe ({@link FastPipe}): the dialer's
 * {@link MultistreamSelect#select} in the JMH thread against the listener's {@link MultistreamSelect#handle} in a
 * virtual thread that answers one negotiation after another on the same pipe (a negotiation reads nothing past its
 * last message, so the next one starts clean).
 *
 * <ul>
 *   <li>{@code firstProposal}: header and {@code /noise} in one write, header and echo back (one round trip);
 *   <li>{@code afterRefusal}: {@code /tls/1.0.0} is refused with {@code na}, then {@code /noise} is accepted (two).
 * </ul>
 * Each op is a complete negotiation on both sides; the listener counts its own, and the trial fails unless the
 * counts agree. JMH's worker is a virtual thread ({@code -Djmh.executor=VIRTUAL}), as weft's callers are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djmh.executor=VIRTUAL"})
public class MultistreamBench {
    private static final String NOISE = "/noise";
    private static final List<String> FIRST = List.of(NOISE);
    private static final List<String> SECOND = List.of("/tls/1.0.0", NOISE);

    private FastPipe.Pair pipe;
    private Thread listener;
    private final LongAdder answered = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private long selected;

    @Setup(Level.Trial)
    public void setup() {
        pipe = FastPipe.pair(64 * 1024);
        Set<String> supported = Set.of(NOISE, "/yamux/1.0.0");
        listener = Thread.ofVirtual().name("bench-multistream-listener").start(() -> {
            try {
                while (true) {
                    MultistreamSelect.handle(pipe.b(), supported);
                    answered.increment();
                }
            } catch (Throwable e) {
                if (!stopping) {
                    failure.compareAndSet(null, e);
                }
            }
        });
    }

    @Benchmark
    public String firstProposal() throws IOException {
        String protocol = MultistreamSelect.select(pipe.a(), FIRST);
        selected++;
        return protocol;
    }

    @Benchmark
    public String afterRefusal() throws IOException {
        String protocol = MultistreamSelect.select(pipe.a(), SECOND);
        selected++;
        return protocol;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        stopping = true;
        pipe.a().output().close(); // the listener reads end of stream and stops
        listener.join(TimeUnit.SECONDS.toMillis(10));
        if (failure.get() != null) {
            throw new IllegalStateException("bench: the listener failed", failure.get());
        }
        if (answered.sum() != selected) {
            throw new IllegalStateException("bench: " + selected + " selected, " + answered.sum() + " answered");
        }
    }
}
