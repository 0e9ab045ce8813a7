package weft.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import weft.host.HostConfig;
import weft.trace.TraceListener;

/**
 * The wire-trace options that {@code echo}, {@code ping} and {@code perf} share (a picocli mixin): {@code --trace}
 * prints one line per event on stderr, {@code --trace-json FILE} writes JSON lines to a file, {@code --trace-all}
 * prints every data frame where the command would summarize them (perf). See {@link weft.trace}.
 */
final class TraceOptions implements AutoCloseable {
    @Option(names = "--trace", description = "Print every layer's wire events on stderr, one line each.")
    boolean human;

    @Option(names = "--trace-json", paramLabel = "FILE", description = "Write the wire events to FILE as JSON lines.")
    Path json;

    @Option(names = "--trace-all", description = "Trace every data frame (perf summarizes them unless given).")
    boolean all;

    private PrintWriter jsonOut;
    private TraceListener listener; // made once, so that every host of the command shares its clock origin

    /**
     * {@code config} with the listener the options ask for, or unchanged (SLF4J at TRACE, as the library's default)
     * when none was given.
     *
     * @param summarize count bulk data frames instead of printing each, unless {@code --trace-all}
     */
    HostConfig apply(HostConfig config, PrintWriter err, boolean summarize) throws IOException {
        if (listener == null) {
            listener = TraceListener.OFF;
            if (human) {
                listener = TraceListener.lines(err::println);
            }
            if (json != null) {
                jsonOut = new PrintWriter(Files.newBufferedWriter(json, StandardCharsets.UTF_8), true);
                listener = listener.and(TraceListener.jsonLines(jsonOut::println));
            }
            if (summarize && !all) {
                listener = listener.summarizing();
            }
        }
        return listener.enabled() ? config.withTrace(listener) : config;
    }

    /** Closes the JSON file, if one was opened. */
    @Override
    public void close() {
        if (jsonOut != null) {
            jsonOut.close();
        }
    }
}
