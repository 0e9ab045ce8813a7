package weft.crypto;

/** Bytes that are not a valid key of the type they claim (bad protobuf, bad length, bad point, unknown type). */
public class KeyFormatException extends IllegalArgumentException {
    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
