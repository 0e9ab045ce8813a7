package weft.mux;

import java.io.IOException;
import weft.Rethrowable;

/** A write after {@link MuxedStream#closeWrite()} or {@link MuxedStream#close()} on this stream. */
public class StreamClosedException extends IOException implements Rethrowable {
    public StreamClosedException(String message) {
        super(message);
    }

    private StreamClosedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Same message; the cause as {@link Rethrowable} describes. */
    @Override
    public StreamClosedException freshCopy() {
        return new StreamClosedException(getMessage(), Rethrowable.causeForCopy(this));
    }
}
