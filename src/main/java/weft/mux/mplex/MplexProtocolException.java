package weft.mux.mplex;

import weft.ProtocolViolationException;

/**
 * The peer broke an mplex wire rule: a frame longer than the 1 MiB limit, the undefined flag 7, a header varint
 * that is overlong or not minimally encoded, or a NewStream for a stream that is still open. mplex has no message
 * to tell the peer why: the session closes the connection, and every stream fails with a
 * {@link weft.ConnectionClosedException} whose cause is this exception.
 */
public class MplexProtocolException extends ProtocolViolationException {
    public MplexProtocolException(String message) {
        super(message);
    }

    public MplexProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
