package weft.transport;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import weft.multiformats.Multiaddr;

/**
 * A bound listening endpoint. One thread calls {@link #accept()} in a loop and hands each connection to a thread
 * of its own; a connection that goes wrong later never affects the listener.
 */
public interface Listener extends Closeable {
    /**
     * Blocks until a peer connects.
     *
     * @throws java.nio.channels.ClosedChannelException once {@link #close()} was called (also for a call blocked
     *     in it at that moment)
     */
    RawConnection accept() throws IOException;

    /**
     * The addresses this listener is bound to, with the real port when port 0 was asked for. A wildcard address
     * ({@code /ip4/0.0.0.0}) is reported as it is, not expanded to the machine's interfaces.
     */
    List<Multiaddr> addresses();

    /** Stops accepting; connections already accepted stay open. Idempotent. */
    @Override
    void close() throws IOException;
}
