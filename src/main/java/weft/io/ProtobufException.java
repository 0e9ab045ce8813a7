package weft.io;

/**
 * Bytes that are not the protobuf message a {@link ProtobufReader} was asked to read: a truncated or overlong
 * varint, a length that runs past the end, a field of the wrong wire type, a deprecated group.
 *
 * <p>Unchecked, like {@link weft.multiformats.MultiformatException}: the reader decodes a byte array that is
 * already in memory, so nothing here is IO. A layer that decodes a peer's message catches it and turns it into its
 * own typed error (a Noise handshake payload becomes a {@code HandshakeException}, a key becomes a
 * {@code KeyFormatException}).
 */
public class ProtobufException extends IllegalArgumentException {
    public ProtobufException(String message) {
        super(message);
    }
}
