package weft.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one side of a conversation on its own virtual thread, so a test can play the other side on its thread:
 * {@code Background<Long> server = Background.start(() -> Echo.serve(stream)); ... server.join()}.
 * {@link #join()} rethrows what the task threw, as it was, so tests can assert on exception types.
 */
public final class Background<T> {
    /** A bound on {@link #join()} so that a bug shows as a failure, not a hung build. Not a timing assertion. */
    private static final long JOIN_LIMIT_SECONDS = 30;

    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Background() {}

    public static <T> Background<T> start(Callable<T> task) {
        Background<T> background = new Background<>();
        Thread.ofVirtual().name("test-background").start(() -> {
            try {
                background.result.complete(task.call());
            } catch (Throwable t) {
                background.result.completeExceptionally(t);
            }
        });
        return background;
    }

    /** Waits for the task and returns its result, or throws what it threw. */
    public T join() throws Exception {
        try {
            return result.get(JOIN_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("background task still running after " + JOIN_LIMIT_SECONDS + " s", e);
        }
    }
}
