package weft.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.IntSupplier;

/**
 * The {@link InputStream} and {@link OutputStream} faces of a blocking duplex: a yamux or mplex stream, a Noise or
 * TLS connection. The views only call their owner's own operations, so each operation has one implementation; all
 * a view adds is the single-byte forms.
 *
 * <pre>{@code
 * private final InputStream input = StreamViews.input(this::read, () -> buffer.size(), this::closeRead);
 * private final OutputStream output = StreamViews.output(this::write, () -> {}, this::closeWrite);
 * }</pre>
 */
public final class StreamViews {
    private StreamViews() {}

    /** The owner's blocking read: up to {@code len} bytes, -1 at end of stream. */
    @FunctionalInterface
    public interface Read {
        int read(byte[] buf, int off, int len) throws IOException;
    }

    /** The owner's blocking write of all {@code len} bytes. */
    @FunctionalInterface
    public interface Write {
        void write(byte[] buf, int off, int len) throws IOException;
    }

    /** What {@code flush()} or {@code close()} of a view does. */
    @FunctionalInterface
    public interface Action {
        void run() throws IOException;
    }

    /**
     * @param available bytes readable without blocking
     * @param close what closing the view means for the owner (a stream stops reading; a connection closes)
     */
    public static InputStream input(Read read, IntSupplier available, Action close) {
        return new InputView(read, available, close);
    }

    /** @param close what closing the view means for the owner (a stream half-closes; a connection closes) */
    public static OutputStream output(Write write, Action flush, Action close) {
        return new OutputView(write, flush, close);
    }

    private static final class InputView extends InputStream {
        private final Read read;
        private final IntSupplier available;
        private final Action close;

        InputView(Read read, IntSupplier available, Action close) {
            this.read = read;
            this.available = available;
            this.close = close;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read.read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return read.read(b, off, len);
        }

        @Override
        public int available() {
            return available.getAsInt();
        }

        @Override
        public void close() throws IOException {
            close.run();
        }
    }

    private static final class OutputView extends OutputStream {
        private final Write write;
        private final Action flush;
        private final Action close;

        OutputView(Write write, Action flush, Action close) {
            this.write = write;
            this.flush = flush;
            this.close = close;
        }

        @Override
        public void write(int b) throws IOException {
            write.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            write.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            flush.run();
        }

        @Override
        public void close() throws IOException {
            close.run();
        }
    }
}
