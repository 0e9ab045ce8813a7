package weft.multiformats;

/**
 * Bytes or text that do not decode as the multiformat they claim to be: a non-minimal varint, a bad base58
 * character, an unknown multiaddr protocol code, a port above 65535. The message names what and where.
 *
 * <p>Unchecked, so parsing a literal ({@code Multiaddr.parse("/ip4/...")}) stays a one-liner; code that decodes
 * bytes from the wire catches it and turns it into the layer's own typed error.
 */
public class MultiformatException extends IllegalArgumentException {
    public MultiformatException(String message) {
        super(message);
    }

    public MultiformatException(String message, Throwable cause) {
        super(message, cause);
    }
}
