package weft;

import java.io.IOException;

/**
 * The connection under a call is gone: every stream on it failed. The cause says why (a socket error, a
 * protocol violation, a GO_AWAY, a keep-alive timeout, a local close).
 */
public class ConnectionClosedException extends IOException implements Rethrowable {
    private final boolean remote;

    public ConnectionClosedException(String message, boolean remote, Throwable cause) {
        super(message, cause);
        this.remote = remote;
    }

    public ConnectionClosedException(String message, Throwable cause) {
        this(message, false, cause);
    }

    /** Same message and {@link #remote()}; the cause as {@link Rethrowable} describes. */
    @Override
    public ConnectionClosedException freshCopy() {
        return new ConnectionClosedException(getMessage(), remote, Rethrowable.causeForCopy(this));
    }

    /** True when the remote peer closed the connection (GO_AWAY, EOF, reset), false when we did. */
    public boolean remote() {
        return remote;
    }
}
