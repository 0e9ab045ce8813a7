package weft.trace;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the {@link TraceEvent}s of traced connections. A host's listener is {@code HostConfig.trace()}; its
 * default, {@link #slf4j()}, writes each event as one human line at TRACE level on the logger {@value #LOGGER}, so
 * an application turns tracing on from its logging configuration:
 *
 * <pre>{@code
 * <logger name="weft.trace" level="TRACE"/>                                  <!-- logback.xml -->
 * HostConfig.defaults().withTrace(TraceListener.lines(System.err::println))   // or in code
 * }</pre>
 *
 * <p>{@link #enabled()} is asked once per connection, when it starts: a connection that starts untraced stays
 * untraced. {@link #event} is called on whichever thread emitted the event (a connection's reader, writer or an
 * application thread), so it must be thread-safe and quick, and must not call back into the connection.
 */
@FunctionalInterface
public interface TraceListener {
    /** The logger {@link #slf4j()} writes to. */
    String LOGGER = "weft.trace";

    /** A listener that wants nothing: connections started with it are not traced at all. */
    TraceListener OFF = new TraceListener() {
        @Override
        public void event(TraceEvent event) {}

        @Override
        public boolean enabled() {
            return false;
        }
    };

    void event(TraceEvent event);

    /** Whether a connection starting now should be traced. */
    default boolean enabled() {
        return true;
    }

    /** Human lines at TRACE on {@value #LOGGER}; enabled while that logger is at TRACE. Times from its first event. */
    static TraceListener slf4j() {
        Logger log = LoggerFactory.getLogger(LOGGER);
        return new Output(false, line -> log.trace("{}", line), log::isTraceEnabled);
    }

    /** Human lines ({@link TraceEvent#line}), each handed to {@code out}; times count from the first event. */
    static TraceListener lines(Consumer<String> out) {
        return new Output(false, out, () -> true);
    }

    /** JSON lines ({@link TraceEvent#json}), each handed to {@code out}; times count from the first event. */
    static TraceListener jsonLines(Consumer<String> out) {
        return new Output(true, out, () -> true);
    }

    /** Both this listener and {@code other}; enabled when either is. */
    default TraceListener and(TraceListener other) {
        TraceListener self = this;
        return new TraceListener() {
            @Override
            public void event(TraceEvent event) {
                if (self.enabled()) {
                    self.event(event);
                }
                if (other.enabled()) {
                    other.event(event);
                }
            }

            @Override
            public boolean enabled() {
                return self.enabled() || other.enabled();
            }
        };
    }

    /**
     * This listener, with bulk transfer events ({@link TraceEvent#bulk()}: yamux and mplex data frames, QUIC DATA,
     * WebRTC messages without a flag, Noise transport messages) counted instead of passed on: each run of them becomes
     * one summary event per connection, stream, direction, layer and type, when the connection's next other event
     * comes or after a second of them ({@code → yamux DATA stream=3 count=1520 bytes=99614720 (summarized over
     * 1000.214ms)}). What {@code weft perf --trace} prints.
     */
    default TraceListener summarizing() {
        return new Summarizer(this);
    }
}
