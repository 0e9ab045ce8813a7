package weft.crypto;

import java.util.Arrays;
import weft.io.ProtobufException;
import weft.io.ProtobufReader;
import weft.io.ProtobufWriter;

/**
 * The {@code PublicKey} / {@code PrivateKey} protobuf, which both read {@code { required KeyType Type = 1;
 * required bytes Data = 2; }} (peer-ids spec, "Keys").
 *
 * <p>The spec asks for a deterministic encoding: "1. Fields must be minimally encoded. 2. Fields must be encoded in
 * tag order. 3. All fields must be included. 4. No additional fields may be defined." {@link #decode} enforces all
 * four: it names the first problem it finds, then re-encodes and compares, which catches whatever is left
 * (a non-minimal varint, Data before Type, a repeated field).
 */
record KeyMessage(KeyType type, byte[] data) {
    private static final int TYPE = 1;
    private static final int DATA = 2;

    byte[] encode() {
        return new ProtobufWriter().varint(TYPE, type.code()).bytes(DATA, data).toByteArray();
    }

    /** @param what "public key" or "private key", for the error message */
    static KeyMessage decode(byte[] protobuf, String what) {
        Long type = null;
        byte[] data = null;
        try {
            ProtobufReader in = new ProtobufReader(protobuf);
            while (in.next()) {
                switch (in.field()) {
                    case TYPE -> type = in.readVarint();
                    case DATA -> data = in.readBytes();
                    default -> throw new KeyFormatException("crypto: " + what + " has an extra field "
                            + in.field() + " (the spec allows only Type = 1 and Data = 2)");
                }
            }
        } catch (ProtobufException e) {
            throw new KeyFormatException("crypto: " + what + " is not a valid protobuf: " + e.getMessage(), e);
        }
        if (type == null) {
            throw new KeyFormatException("crypto: " + what + " has no Type field");
        }
        if (data == null) {
            throw new KeyFormatException("crypto: " + what + " has no Data field");
        }
        KeyMessage message = new KeyMessage(KeyType.fromCode(type), data);
        if (!Arrays.equals(message.encode(), protobuf)) {
            throw new KeyFormatException("crypto: " + what + " is not deterministically encoded"
                    + " (non-minimal varint, fields out of order or repeated)");
        }
        return message;
    }
}
