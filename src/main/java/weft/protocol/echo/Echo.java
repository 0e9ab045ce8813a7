package weft.protocol.echo;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import weft.ProtocolViolationException;
import weft.mux.MuxedStream;

/**
 * The echo protocol, {@code /echo/1.0.0}, as js-libp2p's {@code @libp2p/echo} defines it: the server writes back
 * every byte it reads, and when the client half-closes, it finishes writing and closes its side too. There is no
 * spec document; the unified-testing "misc" suite uses it.
 *
 * <pre>{@code
 * byte[] back = Echo.echo(stream, "hello".getBytes(UTF_8));   // client
 * Echo.serve(stream);                                         // server
 * }</pre>
 */
public final class Echo {
    public static final String PROTOCOL_ID = "/echo/1.0.0";

    /** The server's read buffer: one yamux frame's worth of payload. */
    static final int BUFFER_SIZE = 64 * 1024;

    private Echo() {}

    /**
     * Serves one echo stream: copies what it reads back until the client half-closes, then closes.
     *
     * @return the number of bytes echoed
     */
    public static long serve(MuxedStream stream) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long echoed = 0;
        int n;
        while ((n = stream.read(buffer, 0, buffer.length)) >= 0) {
            stream.write(buffer, 0, n);
            echoed += n;
        }
        stream.close();
        return echoed;
    }

    /**
     * Sends {@code message}, half-closes, and reads the echo until the server closes.
     *
     * <p>Writing and reading overlap (the message is written from a second virtual thread): a message larger than
     * the two directions' flow-control windows would otherwise deadlock, both ends blocked in a write.
     *
     * @return the echo, already checked to equal {@code message}
     * @throws ProtocolViolationException if the echo differs from what was sent
     */
    public static byte[] echo(MuxedStream stream, byte[] message) throws IOException {
        byte[] echoed;
        try (ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Void> sent = writer.submit(() -> {
                try {
                    stream.write(message, 0, message.length);
                    stream.closeWrite();
                    return null;
                } catch (IOException e) {
                    stream.reset(); // the reader would wait forever for an echo that cannot end
                    throw e;
                }
            });
            try {
                echoed = stream.input().readAllBytes();
            } catch (IOException e) {
                stream.reset(); // frees the writer if it is blocked on the window
                try {
                    awaitWriter(sent);
                } catch (IOException writeFailure) {
                    e.addSuppressed(writeFailure); // each call gets its own exception (weft.Rethrowable)
                }
                throw e;
            }
            awaitWriter(sent);
        }
        if (!Arrays.equals(message, echoed)) {
            throw new ProtocolViolationException("echo: the peer echoed different bytes (sent " + message.length
                    + ", got " + echoed.length + ")");
        }
        return echoed;
    }

    private static void awaitWriter(Future<Void> sent) throws IOException {
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("echo: interrupted while writing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("echo: writer failed", e.getCause());
        }
    }
}
