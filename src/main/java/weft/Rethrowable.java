package weft;

import java.io.IOException;

/**
 * An exception that is recorded once and then reported to many callers: a reset stream, a dead connection, a closed
 * half. Every later read or write on the affected streams, from any thread, must throw, and a {@link Throwable} is
 * mutable (its suppressed list, its stack trace), so each throw site throws {@link #freshCopy()}, never the recorded
 * exception itself. Sharing one object across threads gives callers someone else's stack trace and makes
 * {@code e.addSuppressed(other)} fail with "Self-suppression not permitted" when both are the same object.
 *
 * <p>A copy has the same type, message and fields. Its cause is the recorded exception's cause (the socket error,
 * the protocol violation) when it has one, otherwise the recorded exception itself, so the chain always leads to
 * where the failure happened without repeating the same message twice.
 *
 * <p>This interface lives in the root package with the cross-layer exceptions because every layer that records a
 * failure ({@code io}, {@code mux}) sits above it.
 */
public interface Rethrowable {

    /** A new exception of the same type, message and fields, for one throw; see the type doc for its cause. */
    IOException freshCopy();

    /**
     * A fresh exception to throw in place of {@code recorded}: its {@link #freshCopy()}, or for any other type a
     * plain {@link IOException} with the same message and {@code recorded} as its cause.
     */
    static IOException freshCopyOf(IOException recorded) {
        if (recorded instanceof Rethrowable rethrowable) {
            return rethrowable.freshCopy();
        }
        return new IOException(recorded.getMessage(), recorded);
    }

    /** The cause a copy of {@code recorded} carries: its own cause, or itself when it has none. */
    static Throwable causeForCopy(IOException recorded) {
        return recorded.getCause() != null ? recorded.getCause() : recorded;
    }
}
