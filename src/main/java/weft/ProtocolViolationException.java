package weft;

import java.io.IOException;

/**
 * The peer broke a wire rule of some layer. The connection it arrived on is closed; nothing beyond it is
 * affected. Messages follow {@code <layer>: <what> (<numbers>)}.
 */
public class ProtocolViolationException extends IOException {
    public ProtocolViolationException(String message) {
        super(message);
    }

    public ProtocolViolationException(String message, Throwable cause) {
        super(message, cause);
    }
}
