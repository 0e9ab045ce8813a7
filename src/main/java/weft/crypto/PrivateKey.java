package weft.crypto;

/**
 * A libp2p private key of any {@link KeyType}. STUB: the crypto helper replaces the bodies; signatures are the
 * contract other layers code against.
 */
public abstract class PrivateKey {
    PrivateKey() {}

    public abstract KeyType type();

    public abstract PublicKey publicKey();

    /** Signs {@code data} as the peer-ids spec says for this key type. */
    public abstract byte[] sign(byte[] data);

    /** The deterministic protobuf {@code PrivateKey { Type, Data }} encoding (peer-ids spec). */
    public byte[] marshal() {
        throw new UnsupportedOperationException("stub");
    }

    public static PrivateKey unmarshal(byte[] protobuf) {
        throw new UnsupportedOperationException("stub");
    }

    /** A fresh key of the given type (RSA: 2048 bits). */
    public static PrivateKey generate(KeyType type) {
        throw new UnsupportedOperationException("stub");
    }

    /** A fresh Ed25519 key, libp2p's default. */
    public static PrivateKey generate() {
        return generate(KeyType.ED25519);
    }
}
