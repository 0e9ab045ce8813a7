package weft.mux;

import java.io.IOException;

/** A write after {@link MuxedStream#closeWrite()} or {@link MuxedStream#close()} on this stream. */
public class StreamClosedException extends IOException {
    public StreamClosedException(String message) {
        super(message);
    }
}
