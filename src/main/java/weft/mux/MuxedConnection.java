package weft.mux;

import java.io.Closeable;
import java.io.IOException;

/** A multiplexed session: open and accept streams; closing it ends every stream on it. */
public interface MuxedConnection extends Closeable {
    /** Opens a new outbound stream. Fails once the session is closing or the peer said GO_AWAY. */
    MuxedStream openStream() throws IOException;

    /**
     * Blocks until the peer opens a stream. Throws {@link weft.ConnectionClosedException} as soon as the session
     * ends, for any reason: it never hangs on a dead session.
     */
    MuxedStream acceptStream() throws IOException;

    boolean isClosed();

    /** Gracefully closes: tells the peer (yamux GO_AWAY normal), then closes the channel. */
    @Override
    void close() throws IOException;
}
