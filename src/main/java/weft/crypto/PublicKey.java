package weft.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A libp2p public key of any {@link KeyType}: what a peer ID is derived from and what checks a peer's
 * signatures. Immutable and thread-safe.
 *
 * <p>On the wire a key is the protobuf {@code PublicKey { Type, Data }} (peer-ids spec): "libp2p implementations
 * MUST use the encoding described below when embedding keys into the PublicKey and PrivateKey messages ... whether
 * for transmission, Peer Id generation, or storage." {@link #raw()} is that {@code Data}; {@link #marshal()} the
 * whole message. Two keys are equal when their type and {@code Data} are.
 */
public abstract sealed class PublicKey
        permits Ed25519PublicKey, Secp256k1PublicKey, EcdsaPublicKey, RsaPublicKey {
    PublicKey() {}

    public abstract KeyType type();

    /** The key's {@code Data} field as the peer-ids spec encodes it for this type. */
    public abstract byte[] raw();

    /** Verifies {@code signature} over {@code data}; false for any malformed signature, never throws for bad input. */
    public abstract boolean verify(byte[] data, byte[] signature);

    /** The deterministic protobuf {@code PublicKey { Type, Data }} encoding (peer-ids spec). */
    public byte[] marshal() {
        return new KeyMessage(type(), raw()).encode();
    }

    /** Decodes the protobuf {@code PublicKey}; throws {@link KeyFormatException} for anything invalid. */
    public static PublicKey unmarshal(byte[] protobuf) {
        KeyMessage message = KeyMessage.decode(protobuf, "public key");
        return fromRaw(message.type(), message.data());
    }

    /** Decodes a key's {@code Data} field for the given type; throws {@link KeyFormatException} if invalid. */
    static PublicKey fromRaw(KeyType type, byte[] data) {
        return switch (type) {
            case ED25519 -> Ed25519PublicKey.decode(data);
            case SECP256K1 -> Secp256k1PublicKey.decode(data);
            case ECDSA -> EcdsaPublicKey.decode(data);
            case RSA -> RsaPublicKey.decode(data);
        };
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof PublicKey k && k.type() == type() && Arrays.equals(k.raw(), raw());
    }

    @Override
    public final int hashCode() {
        return 31 * type().hashCode() + Arrays.hashCode(raw());
    }

    @Override
    public String toString() {
        byte[] raw = raw();
        String hex = HexFormat.of().formatHex(raw, 0, Math.min(raw.length, 40));
        return type() + " public key " + hex + (raw.length > 40 ? "..." : "");
    }
}
