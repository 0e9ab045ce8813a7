package weft.crypto;

/**
 * A libp2p public key of any {@link KeyType}. STUB: the crypto helper replaces the bodies; signatures are the
 * contract other layers code against.
 */
public abstract class PublicKey {
    PublicKey() {}

    public abstract KeyType type();

    /** The key's {@code Data} field as the peer-ids spec encodes it for this type. */
    public abstract byte[] raw();

    /** Verifies {@code signature} over {@code data}; false for any malformed signature, never throws for bad input. */
    public abstract boolean verify(byte[] data, byte[] signature);

    /** The deterministic protobuf {@code PublicKey { Type, Data }} encoding (peer-ids spec). */
    public byte[] marshal() {
        throw new UnsupportedOperationException("stub");
    }

    /** Decodes the protobuf {@code PublicKey}; throws {@link KeyFormatException} for anything invalid. */
    public static PublicKey unmarshal(byte[] protobuf) {
        throw new UnsupportedOperationException("stub");
    }
}
