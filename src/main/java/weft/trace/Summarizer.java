package weft.trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import weft.trace.TraceEvent.Direction;
import weft.trace.TraceEvent.Field;
import weft.trace.TraceEvent.Style;

/**
 * {@link TraceListener#summarizing()}: counts runs of bulk events and passes one summary event per run on. A run
 * ends at the connection's next non-bulk event (so the summary comes before it, and the order of what happened is
 * kept) or once it spans {@link #MAX_SPAN}. A summary is timed at the run's first event.
 */
final class Summarizer implements TraceListener {
    /** A run is summarized at least this often (weft's choice: the perf CLI's progress interval). */
    static final Duration MAX_SPAN = Duration.ofSeconds(1);

    /** What makes a run: the first word (the frame type, the message kind) and a frame's stream field. */
    private record Key(String connection, long stream, Direction direction, String layer, Field firstWord,
            Object streamField) {}

    private static final class Run {
        final TraceEvent first;
        final long firstNanos;
        long lastNanos;
        long count;
        long bytes;

        Run(TraceEvent first) {
            this.first = first;
            this.firstNanos = first.nanos();
        }
    }

    private final TraceListener out;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, Run> runs = new LinkedHashMap<>(); // guarded by lock

    Summarizer(TraceListener out) {
        this.out = out;
    }

    @Override
    public void event(TraceEvent event) {
        lock.lock();
        try {
            if (event.bulk() >= 0) {
                Key key = new Key(event.connection(), event.stream(), event.direction(), event.layer(),
                        firstWord(event), event.field("stream"));
                Run run = runs.computeIfAbsent(key, k -> new Run(event));
                run.lastNanos = event.nanos();
                run.count++;
                run.bytes += event.bulk();
                if (run.lastNanos - run.firstNanos >= MAX_SPAN.toNanos()) {
                    runs.remove(key);
                    out.event(summary(key, run));
                }
                return;
            }
            Iterator<Map.Entry<Key, Run>> it = runs.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Key, Run> e = it.next();
                if (Objects.equals(e.getKey().connection(), event.connection())) {
                    it.remove();
                    out.event(summary(e.getKey(), e.getValue()));
                }
            }
            out.event(event);
        } finally {
            lock.unlock();
        }
    }

    private static Field firstWord(TraceEvent event) {
        return event.fields().stream().filter(f -> f.style() == Style.WORD).findFirst().orElse(null);
    }

    /** The run as one summary event; a run of one is that event itself. */
    private static TraceEvent summary(Key key, Run run) {
        if (run.count == 1) {
            return run.first;
        }
        List<Field> fields = new ArrayList<>();
        if (key.firstWord() != null) {
            fields.add(key.firstWord());
        }
        if (key.streamField() != null) {
            fields.add(new Field("stream", key.streamField(), Style.PAIR));
        }
        fields.add(new Field("count", run.count, Style.PAIR));
        fields.add(new Field("bytes", run.bytes, Style.PAIR));
        fields.add(new Field("summarized_over", Duration.ofNanos(run.lastNanos - run.firstNanos), Style.NOTE));
        return new TraceEvent(run.firstNanos, key.connection(), key.stream(), key.direction(), key.layer(), fields, -1);
    }

    @Override
    public boolean enabled() {
        return out.enabled();
    }
}
