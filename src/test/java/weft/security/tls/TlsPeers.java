package weft.security.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import weft.crypto.PeerId;
import weft.io.DuplexStream;
import weft.security.SecureChannel;
import weft.security.SecureConnection;
import weft.testing.MemoryPipe;

/** Test helpers: both ends of a TLS handshake over a {@link MemoryPipe}, the server on a virtual thread. */
final class TlsPeers {
    static final int PIPE_CAPACITY = 256 * 1024;

    private TlsPeers() {}

    /** Both sides of a finished handshake. */
    record Pair(SecureConnection client, SecureConnection server) {}

    static Pair handshake(SecureChannel client, SecureChannel server, PeerId expected) throws Exception {
        MemoryPipe pipe = MemoryPipe.create(PIPE_CAPACITY);
        Future<SecureConnection> inbound = inBackground(() -> server.secureInbound(pipe.right()));
        SecureConnection outbound = client.secureOutbound(pipe.left(), expected);
        return new Pair(outbound, await(inbound));
    }

    interface IoCall<T> {
        T call() throws Exception;
    }

    /** Runs {@code call} on a new virtual thread. */
    static <T> CompletableFuture<T> inBackground(IoCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("tls-test-peer").start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** The future's value, or its failure rethrown as itself. */
    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** A stream that reads {@code bytes} then EOF, and keeps what is written to it. */
    static Scripted scripted(byte[] bytes) {
        return new Scripted(new ByteArrayInputStream(bytes));
    }

    /** A stream reading from a script and recording writes. */
    static final class Scripted implements DuplexStream {
        private final InputStream in;
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        Scripted(InputStream in) {
            this.in = in;
        }

        @Override
        public InputStream input() {
            return in;
        }

        @Override
        public OutputStream output() {
            return written;
        }

        byte[] written() {
            return written.toByteArray();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
