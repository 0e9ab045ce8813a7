package weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;
import weft.ConnectionClosedException;
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;
import weft.mux.StreamMuxer;
import weft.mux.StreamResetException;
import weft.testing.MemoryPipe;

/**
 * One fuzz run of a muxer session (yamux, mplex): its peer sends the fuzzer's bytes as its frame stream and then
 * ends the connection, while the application accepts every stream (and as dialer has opened one), writes to it and
 * reads it to the end.
 *
 * <p>Whatever the bytes, the session must end once their end is reached: {@code acceptStream} and every stream call
 * fail with {@link ConnectionClosedException} (or a stream with {@link StreamResetException}) within
 * {@link #BOUND}, the cause is a typed {@code IOException}, never a {@code RuntimeException} or {@code Error} from
 * the reader thread, and no stream is left in the session.
 */
final class MuxerFuzzRun {
    /** Far longer than a run takes; only a hang gets near it. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final byte[] HELLO = "hello from the fuzz target".getBytes(StandardCharsets.UTF_8);

    private MuxerFuzzRun() {}

    /**
     * Starts {@code muxer}'s session over an in-memory pipe whose other end sends {@code frames} and then ends, and
     * checks that everything ends as the class doc says.
     *
     * @param streamCount how many streams the session still holds in its map(s)
     */
    static void run(byte[] frames, boolean dialer, StreamMuxer muxer, ToIntFunction<MuxedConnection> streamCount)
            throws Exception {
        MemoryPipe.Pair pipe = MemoryPipe.pair(64 * 1024);
        MemoryPipe.End peer = pipe.b();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        Queue<Future<?>> tasks = new ConcurrentLinkedQueue<>();
        try {
            MuxedConnection session = muxer.start(pipe.a(), dialer);
            if (dialer) {
                MuxedStream opened = session.openStream(); // before the peer sends anything, so it cannot fail
                tasks.add(threads.submit(() -> use(opened)));
            }
            tasks.add(threads.submit(() -> drain(peer)));
            tasks.add(threads.submit(() -> send(peer, frames)));
            Future<?> acceptor = threads.submit(() -> {
                while (true) {
                    MuxedStream stream;
                    try {
                        stream = session.acceptStream();
                    } catch (ConnectionClosedException e) {
                        assertTypedCause(e);
                        return null;
                    }
                    tasks.add(threads.submit(() -> use(stream)));
                }
            });
            await(acceptor, "acceptStream did not fail after the peer's end of stream");
            Future<?> task;
            while ((task = tasks.poll()) != null) {
                await(task, "a stream or pipe task did not end after the session did");
            }
            session.close();
            assertTrue(session.isClosed());
            assertEquals(0, streamCount.applyAsInt(session), "streams left in the session");
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS), "threads left running");
        }
    }

    /** The peer: sends the bytes, then closes its side (the session reads end of stream). */
    private static Void send(MemoryPipe.End peer, byte[] frames) {
        try {
            peer.output().write(frames);
            peer.output().close();
        } catch (IOException sessionAlreadyClosed) {
            // the session rejected the frames and closed the connection before all of them were written
        }
        return null;
    }

    /** Reads and discards what the session sends, so its writer never waits. */
    private static Void drain(MemoryPipe.End peer) {
        try {
            peer.input().transferTo(OutputStream.nullOutputStream());
        } catch (IOException closed) {
            // the pipe closed under the reader: as good as end of stream here
        }
        return null;
    }

    /** What an application does with a stream: write, read to the end, close. */
    private static Void use(MuxedStream stream) {
        try {
            stream.write(HELLO, 0, HELLO.length);
            byte[] buffer = new byte[4096];
            while (stream.read(buffer, 0, buffer.length) >= 0) {
                // discard
            }
            stream.close();
        } catch (StreamResetException reset) {
            // the peer reset it
        } catch (ConnectionClosedException e) {
            assertTypedCause(e);
        } catch (IOException e) {
            throw new AssertionError("stream failed with " + e, e);
        }
        return null;
    }

    /** The session ended for a reason a peer can cause, not because the reader thread crashed. */
    private static void assertTypedCause(ConnectionClosedException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RuntimeException || cause instanceof Error) {
                throw new AssertionError("session ended by " + cause, cause);
            }
        }
    }

    private static void await(Future<?> task, String hang) throws InterruptedException {
        try {
            task.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(hang + " (waited " + BOUND + ")");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError failure) {
                throw failure;
            }
            throw new AssertionError("task failed: " + e.getCause(), e.getCause());
        }
    }
}
