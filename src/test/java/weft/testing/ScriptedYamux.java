package weft.testing;

import java.io.IOException;
import java.time.Duration;
import weft.io.DuplexStream;
import weft.mux.yamux.Yamux;
import weft.mux.yamux.YamuxConfig;
import weft.mux.yamux.YamuxSession;

/**
 * The golden trace tests' set-up: a yamux session on a {@link ManualClock}, its frames traced as connection
 * {@code c1} to a {@link TraceRecorder}, against a {@link ScriptedPeer} over a 1 MiB {@link MemoryPipe}. A test holds
 * one in an {@code @AutoClose} field and calls {@link #start} once.
 */
public final class ScriptedYamux implements AutoCloseable {
    private final ManualClock clock = new ManualClock();
    private final TraceRecorder recorder = new TraceRecorder();
    private YamuxSession session;
    private ScriptedPeer peer;

    /**
     * Starts the session, keep-alive off, measuring the RTT every {@code measureRttInterval} ({@link Duration#ZERO}:
     * never), as the dialer ({@code client}) or the listener.
     */
    public YamuxSession start(Duration measureRttInterval, boolean client) {
        MemoryPipe.Pair pair = MemoryPipe.pair(1 << 20);
        peer = new ScriptedPeer(pair.b());
        YamuxConfig config = YamuxConfig.defaults().withScheduler(clock).withKeepAlive(false, Duration.ofSeconds(30))
                .withMeasureRttInterval(measureRttInterval);
        session = new Yamux(config).start(DuplexStream.traced(pair.a(), recorder.trace("c1", clock::nanoTime)), client);
        return session;
    }

    public ManualClock clock() {
        return clock;
    }

    public TraceRecorder recorder() {
        return recorder;
    }

    /** The far end, once {@link #start} ran. */
    public ScriptedPeer peer() {
        return peer;
    }

    @Override
    public void close() throws IOException {
        if (session != null) {
            session.close();
        }
        if (peer != null) {
            peer.close();
        }
    }
}
