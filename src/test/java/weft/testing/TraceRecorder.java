package weft.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import weft.trace.Trace;
import weft.trace.TraceEvent;
import weft.trace.TraceListener;

/**
 * A {@link TraceListener} that keeps every event, for golden tests of the wire trace: a test runs a scripted exchange
 * through a {@link #trace traced} stream and compares {@link #lines()} with the lines it expects, format included.
 * Lines are timed from the first recorded event, as the real outputs are; give the trace a {@link #ticking} clock or
 * the test's {@link ManualClock} so that the times are exact too.
 */
public final class TraceRecorder implements TraceListener {
    private final List<TraceEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void event(TraceEvent event) {
        events.add(event);
    }

    /** A connection trace that reports here. */
    public Trace trace(String connection, LongSupplier clock) {
        return Trace.start(this, connection, clock);
    }

    public List<TraceEvent> events() {
        return List.copyOf(events);
    }

    /** Every event as its human line. */
    public List<String> lines() {
        List<TraceEvent> all = events();
        long epoch = all.isEmpty() ? 0 : all.get(0).nanos();
        return all.stream().map(e -> e.line(epoch)).toList();
    }

    /** The events of one layer as human lines, timed from the first event of any layer. */
    public List<String> lines(String layer) {
        List<TraceEvent> all = events();
        long epoch = all.isEmpty() ? 0 : all.get(0).nanos();
        return all.stream().filter(e -> e.layer().equals(layer)).map(e -> e.line(epoch)).toList();
    }

    /** A clock that moves on by {@code step} each time it is read: each event one step after the one before. */
    public static LongSupplier ticking(Duration step) {
        AtomicLong now = new AtomicLong();
        return () -> now.getAndAdd(step.toNanos());
    }
}
