package weft.mux.yamux;

import weft.ProtocolViolationException;

/**
 * The peer broke a yamux wire rule (bad version, unknown type, a stream id of the wrong parity or already in use,
 * more data than the window we granted, an unrequested pong). The session sends GO_AWAY with {@link #goAwayCode()}
 * and closes; every stream fails with a {@link weft.ConnectionClosedException} whose cause is this exception.
 */
public class YamuxProtocolException extends ProtocolViolationException {
    private final int goAwayCode;

    public YamuxProtocolException(String message) {
        this(message, GoAwayCode.PROTOCOL_ERROR);
    }

    public YamuxProtocolException(String message, int goAwayCode) {
        super(message);
        this.goAwayCode = goAwayCode;
    }

    /** The GO_AWAY code sent to the peer ({@link GoAwayCode#PROTOCOL_ERROR} unless said otherwise). */
    public int goAwayCode() {
        return goAwayCode;
    }
}
