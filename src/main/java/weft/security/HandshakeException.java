package weft.security;

import java.io.IOException;

/** A security handshake failed: bad or truncated message, bad signature, timeout. The connection is closed. */
public class HandshakeException extends IOException {
    public HandshakeException(String message) {
        super(message);
    }

    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
