package weft.host;

import java.io.IOException;
import weft.connection.Connection;
import weft.mux.MuxedStream;

/**
 * Serves one inbound stream whose protocol was negotiated. Runs on the stream's own virtual thread and may block
 * as long as it likes. The host closes the stream when the handler returns, and resets it (that stream only) when
 * the handler throws.
 */
@FunctionalInterface
public interface StreamHandler {
    void handle(MuxedStream stream, Connection connection) throws IOException;
}
