package weft.transport.websocket;

import weft.ProtocolViolationException;

/**
 * The peer broke a rule of RFC 6455: a malformed opening handshake, or a frame we must not accept (reserved bits
 * set, an unmasked client frame, a control frame of more than 125 bytes, a payload over our bound). After a
 * framing error we have sent a Close frame with {@link #closeCode()} (RFC 6455 §7.1.7: "the endpoint MUST _Fail
 * the WebSocket Connection_"), and the connection is unusable.
 */
public class WebSocketProtocolException extends ProtocolViolationException {
    /** RFC 6455 §7.4.1: "1002 indicates that an endpoint is terminating the connection due to a protocol error". */
    public static final int PROTOCOL_ERROR = 1002;
    /** RFC 6455 §7.4.1: "1009 indicates ... it has received a message that is too big for it to process". */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** No Close frame: the failure happened in the opening handshake, before any frame. */
    public static final int NO_CLOSE_FRAME = 0;

    private final int closeCode;

    public WebSocketProtocolException(String message, int closeCode) {
        super(message);
        this.closeCode = closeCode;
    }

    /** The status code of the Close frame we sent, or {@link #NO_CLOSE_FRAME} for a handshake failure. */
    public int closeCode() {
        return closeCode;
    }
}
