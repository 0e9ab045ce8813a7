package weft.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import weft.trace.TraceEvent.Direction;
import weft.trace.TraceEvent.Field;
import weft.trace.TraceEvent.Style;

/**
 * Where one connection's layers report what crosses the wire: the connection id, the {@link TraceListener} and the
 * clock, fixed when the connection starts. Every layer of a connection gets the same trace through the stream it is
 * handed ({@link weft.io.DuplexStream#trace()}), and a muxed stream's trace adds its stream id
 * ({@link #stream(long)}).
 *
 * <p>Costs nothing when off: {@link #on()} reads a final field, and every hook in the stack is one line behind it,
 * so with tracing off no event, string or varargs array is ever made:
 *
 * <pre>{@code
 * if (trace.on()) trace.received("yamux").word("type", "PING").word("flags", "ACK").pair("opaque", 7).emit();
 * }</pre>
 *
 * <p>{@link #OFF} is the trace of every stream nobody traces. A trace is immutable and thread-safe; its events are
 * delivered on the thread that emits them (a connection's reader, writer, or application threads), in the order
 * each thread emits them.
 */
public final class Trace {
    /** The trace that is never on. */
    public static final Trace OFF = new Trace(false, TraceListener.OFF, "-", -1, () -> 0);

    private final boolean on;
    private final TraceListener listener;
    private final String connection;
    private final long stream;
    private final LongSupplier clock;

    private Trace(boolean on, TraceListener listener, String connection, long stream, LongSupplier clock) {
        this.on = on;
        this.listener = listener;
        this.connection = connection;
        this.stream = stream;
        this.clock = clock;
    }

    /**
     * The trace of a new connection called {@code connection} (e.g. {@code c3}): on if {@code listener} is
     * {@linkplain TraceListener#enabled() enabled} now, else off (but still naming the connection).
     */
    public static Trace start(TraceListener listener, String connection) {
        return start(listener, connection, System::nanoTime);
    }

    /** As {@link #start(TraceListener, String)}, with timestamps from {@code clock} (tests use a manual one). */
    public static Trace start(TraceListener listener, String connection, LongSupplier clock) {
        Objects.requireNonNull(connection, "connection");
        return new Trace(listener.enabled(), listener, connection, -1, clock);
    }

    /** True when events are wanted. Check it before building one. */
    public boolean on() {
        return on;
    }

    /** The connection id, e.g. {@code c3} ({@code -} for {@link #OFF}). */
    public String connection() {
        return connection;
    }

    /** The trace of stream {@code id} of this connection: its events carry {@code stream=<id>}. */
    public Trace stream(long id) {
        return on ? new Trace(true, listener, connection, id, clock) : this;
    }

    /** Starts an event we sent. Call only when {@link #on()}. */
    public Builder sent(String layer) {
        return new Builder(Direction.SENT, layer);
    }

    /** Starts an event we received. Call only when {@link #on()}. */
    public Builder received(String layer) {
        return new Builder(Direction.RECEIVED, layer);
    }

    /** Starts an event that happened here: a measurement, a decision. Call only when {@link #on()}. */
    public Builder local(String layer) {
        return new Builder(Direction.LOCAL, layer);
    }

    /** Collects one event's fields, in the order they are to be shown; {@link #emit()} delivers it. */
    public final class Builder {
        private final Direction direction;
        private final String layer;
        private final List<Field> fields = new ArrayList<>(6);
        private long bulk = -1;

        private Builder(Direction direction, String layer) {
            this.direction = direction;
            this.layer = layer;
        }

        /** A field shown as its bare value; skipped when {@code value} is null or empty. */
        public Builder word(String name, Object value) {
            return add(name, value, Style.WORD);
        }

        /** A field shown as {@code name=value}; skipped when {@code value} is null. */
        public Builder pair(String name, Object value) {
            return add(name, value, Style.PAIR);
        }

        /** A field shown at the end as {@code (name value)}; skipped when {@code value} is null. */
        public Builder note(String name, Object value) {
            return add(name, value, Style.NOTE);
        }

        /** Marks the event as bulk transfer carrying {@code bytes} of payload (summarized on request). */
        public Builder bulk(long bytes) {
            this.bulk = bytes;
            return this;
        }

        private Builder add(String name, Object value, Style style) {
            if (value != null && !(value instanceof String s && s.isEmpty())) {
                fields.add(new Field(name, value, style));
            }
            return this;
        }

        /**
         * Timestamps the event now and hands it to the listener (so events of one thread come in time order). A
         * listener that throws is a bug in the listener: it propagates.
         */
        public void emit() {
            listener.event(new TraceEvent(clock.getAsLong(), connection, stream, direction, layer, fields, bulk));
        }
    }

    @Override
    public String toString() {
        return on ? "trace " + connection + (stream >= 0 ? "/" + stream : "") : "trace off";
    }
}
