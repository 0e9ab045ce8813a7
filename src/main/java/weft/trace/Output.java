package weft.trace;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A listener that renders each event as a human or JSON line, timed from the first event it saw. */
final class Output implements TraceListener {
    private static final long UNSET = Long.MIN_VALUE;

    private final boolean json;
    private final Consumer<String> out;
    private final BooleanSupplier enabled;
    private final AtomicLong epoch = new AtomicLong(UNSET);

    Output(boolean json, Consumer<String> out, BooleanSupplier enabled) {
        this.json = json;
        this.out = out;
        this.enabled = enabled;
    }

    @Override
    public void event(TraceEvent event) {
        epoch.compareAndSet(UNSET, event.nanos());
        long start = epoch.get();
        out.accept(json ? event.json(start) : event.line(start));
    }

    @Override
    public boolean enabled() {
        return enabled.getAsBoolean();
    }
}
