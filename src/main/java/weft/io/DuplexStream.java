package weft.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import weft.trace.Trace;

/**
 * A blocking, ordered, reliable byte stream in both directions: what every layer of the stack hands to the
 * layer above. A TCP socket is one, a Noise or TLS session over it is one, a yamux stream is one.
 *
 * <p>Each layer reads exactly the bytes it needs from {@link #input()} and leaves the rest in place, so bytes that
 * a peer pipelines past a multistream-select line (rust-libp2p sends its first Noise message right behind
 * {@code /noise\n}) are still there for the next layer. Reads are expected from one thread and writes from one
 * thread at a time unless an implementation says otherwise.
 */
public interface DuplexStream extends Closeable {
    InputStream input();

    OutputStream output();

    /**
     * Half-closes: the peer reads the end of the stream after the bytes written so far, while {@link #input()} stays
     * readable (TCP's {@code shutdown(SHUT_WR)}, go's {@code CloseWrite}). Used by a lingering close
     * ({@link LingeringClose}). A layer with no half-close of its own passes the call down to the stream it runs on;
     * one that cannot pass it down keeps the default, which does nothing: the peer then sees the end only when the
     * stream is closed.
     */
    default void shutdownOutput() throws IOException {}

    /**
     * Where this stream's layers report what they send and receive: the trace of the connection it belongs to (a
     * muxed stream's adds its stream id), {@link Trace#OFF} when nobody traces it. Each layer passes on the trace of
     * the stream it was built on, so all layers of one connection share one connection id.
     */
    default Trace trace() {
        return Trace.OFF;
    }

    /**
     * {@code stream} reporting to {@code trace}: how the upgrader hands a raw connection its connection's trace
     * before the first byte. Returns {@code stream} itself when {@code trace} is off.
     */
    static DuplexStream traced(DuplexStream stream, Trace trace) {
        return trace.on() ? new TracedStream(stream, trace) : stream;
    }
}

/** {@link DuplexStream#traced}: the same stream, with a trace. */
record TracedStream(DuplexStream stream, Trace trace) implements DuplexStream {
    @Override
    public InputStream input() {
        return stream.input();
    }

    @Override
    public OutputStream output() {
        return stream.output();
    }

    @Override
    public void shutdownOutput() throws IOException {
        stream.shutdownOutput();
    }

    @Override
    public void close() throws java.io.IOException {
        stream.close();
    }
}
