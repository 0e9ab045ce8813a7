package weft;

import java.io.IOException;

/** A configured bound was hit: streams, buffered bytes, backlog, connections. */
public class ResourceLimitException extends IOException {
    public ResourceLimitException(String message) {
        super(message);
    }
}
