package weft.trace;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One decoded event of one connection: a frame or message sent or received, or something a layer measured or
 * decided (an RTT sample, the end of a handshake). Made by {@link Trace} only when tracing is on, handed to a
 * {@link TraceListener}, rendered in one of two fixed forms:
 *
 * <pre>
 * +0.412ms c3 ← yamux WINDOW_UPDATE ACK stream=1 delta=0 (send window 262144)
 * {"t_ms":0.412,"conn":"c3","dir":"in","layer":"yamux","type":"WINDOW_UPDATE","flags":"ACK","stream":1,"delta":0,
 *  "send_window":262144}                                                      (one line)
 * </pre>
 *
 * The human line is {@code +<ms since the output's first event>ms <connection> <arrow> <layer>}, then the fields:
 * {@link Style#WORD words} as bare values, then {@code stream=<id>} for an event of one stream, then
 * {@link Style#PAIR pairs} as {@code name=value}, then {@link Style#NOTE notes} in parentheses. The arrows: {@code →}
 * we sent it, {@code ←} we received it, {@code ·} happened here. The JSON line has the same fields in the same order
 * ({@link Duration}s as milliseconds).
 *
 * @param nanos when, on the trace's clock ({@link System#nanoTime()} unless a test injected one)
 * @param connection the connection id, e.g. {@code c3}: the same for every layer of one connection
 * @param stream the muxed stream the event belongs to, or -1 for the connection as a whole
 * @param bulk bytes of payload when this is a bulk transfer event (a yamux DATA frame without flags, a Noise
 *     transport message), which a {@linkplain TraceListener#summarizing summarizing} listener counts instead of
 *     printing; -1 for every other event
 */
public record TraceEvent(long nanos, String connection, long stream, Direction direction, String layer,
        List<Field> fields, long bulk) {

    /** Which way the event went. */
    public enum Direction {
        /** We wrote it to the wire. */
        SENT("→", "out"),
        /** We read it from the wire. */
        RECEIVED("←", "in"),
        /** Measured or decided here: nothing crossed the wire. */
        LOCAL("·", "local");

        private final String arrow;
        private final String json;

        Direction(String arrow, String json) {
            this.arrow = arrow;
            this.json = json;
        }

        public String arrow() {
            return arrow;
        }
    }

    /** How a field shows in the human line (the JSON line always has {@code "name":value}). */
    public enum Style {
        /** The bare value: {@code WINDOW_UPDATE}, {@code ACK}, {@code /noise}. */
        WORD,
        /** {@code name=value}: {@code delta=0}. */
        PAIR,
        /** {@code (name value)} at the end, underscores as spaces: {@code (send window 262144)}. */
        NOTE
    }

    /** A named value: a String, a whole number, a {@link Duration}, a boolean or a list of Strings. */
    public record Field(String name, Object value, Style style) {}

    public TraceEvent {
        fields = List.copyOf(fields);
    }

    /** The value of the field called {@code name}, or null. */
    public Object field(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return f.value();
            }
        }
        return null;
    }

    /** The human line, its time relative to {@code epochNanos}. */
    public String line(long epochNanos) {
        StringBuilder b = new StringBuilder(96);
        b.append('+').append(millis(nanos - epochNanos)).append("ms ").append(connection).append(' ')
                .append(direction.arrow).append(' ').append(layer);
        for (Field f : fields) {
            if (f.style() == Style.WORD) {
                b.append(' ').append(human(f.value()));
            }
        }
        if (stream >= 0) {
            b.append(" stream=").append(stream);
        }
        for (Field f : fields) {
            if (f.style() == Style.PAIR) {
                String value = human(f.value());
                b.append(' ').append(f.name()).append('=').append(f.value() instanceof String ? quoted(value) : value);
            }
        }
        for (Field f : fields) {
            if (f.style() == Style.NOTE) {
                b.append(" (").append(f.name().replace('_', ' ')).append(' ').append(human(f.value())).append(')');
            }
        }
        return b.toString();
    }

    /** The JSON line (one object, no newline), its time relative to {@code epochNanos}. */
    public String json(long epochNanos) {
        StringBuilder b = new StringBuilder(128);
        b.append("{\"t_ms\":").append(millis(nanos - epochNanos));
        b.append(",\"conn\":");
        string(b, connection);
        b.append(",\"dir\":\"").append(direction.json).append("\",\"layer\":");
        string(b, layer);
        if (stream >= 0) {
            b.append(",\"stream\":").append(stream);
        }
        for (Field f : fields) {
            b.append(',');
            string(b, f.name());
            b.append(':');
            json(b, f.value());
        }
        return b.append('}').toString();
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String human(Object value) {
        if (value instanceof Duration d) {
            return millis(d.toNanos()) + "ms";
        }
        if (value instanceof List<?> list) {
            return list.toString();
        }
        return String.valueOf(value);
    }

    private static String quoted(String s) {
        return s.isEmpty() || s.indexOf(' ') >= 0 ? '"' + s + '"' : s;
    }

    private static void json(StringBuilder b, Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            b.append(value);
        } else if (value instanceof Duration d) {
            b.append(millis(d.toNanos()));
        } else if (value instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : ",");
                json(b, list.get(i));
            }
            b.append(']');
        } else {
            string(b, String.valueOf(value));
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
