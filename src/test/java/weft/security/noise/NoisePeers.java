package weft.security.noise;

import java.io.ByteArrayInputStream;
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

/** Test helpers: run both ends of a Noise handshake over a {@link MemoryPipe}, the responder on a virtual thread. */
final class NoisePeers {
    static final int PIPE_CAPACITY = 256 * 1024;

    private NoisePeers() {}

    /** Both sides of a finished handshake. */
    record Pair(SecureConnection initiator, SecureConnection responder) {}

    static Pair handshake(SecureChannel initiator, SecureChannel responder, PeerId expected) throws Exception {
        MemoryPipe pipe = MemoryPipe.create(PIPE_CAPACITY);
        Future<SecureConnection> inbound = inBackground(() -> responder.secureInbound(pipe.right()));
        SecureConnection outbound = initiator.secureOutbound(pipe.left(), expected);
        return new Pair(outbound, await(inbound));
    }

    interface IoCall<T> {
        T call() throws Exception;
    }

    /** Runs {@code call} on a new virtual thread. */
    static <T> CompletableFuture<T> inBackground(IoCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("noise-test-peer").start(() -> {
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

    /** A stream that reads {@code bytes} then EOF and swallows every write. */
    static DuplexStream scripted(byte[] bytes) {
        InputStream in = new ByteArrayInputStream(bytes);
        OutputStream out = OutputStream.nullOutputStream();
        return new DuplexStream() {
            @Override
            public InputStream input() {
                return in;
            }

            @Override
            public OutputStream output() {
                return out;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    /** {@code [u16 big-endian length][body]}. */
    static byte[] framed(byte[] body) {
        byte[] out = new byte[2 + body.length];
        out[0] = (byte) (body.length >>> 8);
        out[1] = (byte) body.length;
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }
}
