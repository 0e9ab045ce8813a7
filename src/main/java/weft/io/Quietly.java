package weft.io;

import java.io.Closeable;
import java.io.IOException;

/** Closing what is being given up anyway: a failure to close it changes nothing, so it is dropped. */
public final class Quietly {
    private Quietly() {}

    /** Closes {@code c}, ignoring an {@link IOException} (the resource is gone either way). */
    public static void close(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // it is gone either way
        }
    }
}
