package weft.crypto;

/**
 * Bytes or text that are not a valid key or peer ID: a bad or non-deterministic protobuf, an unknown key type, a
 * wrong length, a point not on the curve, an RSA key under 2048 bits, a peer ID that is not a sha2-256 or identity
 * multihash or a CID of another codec. The message says which, in the form {@code crypto: <what> (<numbers>)} or
 * {@code peer id: <what>}.
 *
 * <p>Unchecked, like {@link weft.multiformats.MultiformatException}: decoding bytes already in memory is not IO, and
 * parsing a literal peer ID stays a one-liner. Code that decodes a peer's key from the wire (Noise, TLS, identify)
 * catches it and reports its own typed error. Every decoder in this package throws only this for bad input.
 */
public class KeyFormatException extends IllegalArgumentException {
    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
