package weft.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * A libp2p private key of any {@link KeyType}: signs for a peer, and names it through {@link #publicKey()}.
 * Immutable and thread-safe; {@link #toString()} never shows secret bytes.
 *
 * <p>Private keys never cross the wire; "current libp2p implementations store private keys on disk as a
 * serialized PrivateKey protobuf message" (peer-ids spec), which is what {@link #marshal()} returns and
 * {@link IdentityFile} stores.
 */
public abstract sealed class PrivateKey
        permits Ed25519PrivateKey, Secp256k1PrivateKey, EcdsaPrivateKey, RsaPrivateKey {
    /** One generator for every key: {@code SecureRandom} is thread-safe. */
    static final SecureRandom RANDOM = new SecureRandom();

    PrivateKey() {}

    public abstract KeyType type();

    public abstract PublicKey publicKey();

    /** Signs {@code data} as the peer-ids spec says for this key type. */
    public abstract byte[] sign(byte[] data);

    /** The key's {@code Data} field as the peer-ids spec encodes it for this type (secret). */
    abstract byte[] raw();

    /** The deterministic protobuf {@code PrivateKey { Type, Data }} encoding (peer-ids spec). */
    public byte[] marshal() {
        return new KeyMessage(type(), raw()).encode();
    }

    /** Decodes the protobuf {@code PrivateKey}; throws {@link KeyFormatException} for anything invalid. */
    public static PrivateKey unmarshal(byte[] protobuf) {
        KeyMessage message = KeyMessage.decode(protobuf, "private key");
        return switch (message.type()) {
            case ED25519 -> Ed25519PrivateKey.decode(message.data());
            case SECP256K1 -> Secp256k1PrivateKey.decode(message.data());
            case ECDSA -> EcdsaPrivateKey.decode(message.data());
            case RSA -> RsaPrivateKey.decode(message.data());
        };
    }

    /** A fresh key of the given type (RSA: 2048 bits; ECDSA: P-256). */
    public static PrivateKey generate(KeyType type) {
        return switch (type) {
            case ED25519 -> Ed25519PrivateKey.random();
            case SECP256K1 -> Secp256k1PrivateKey.random();
            case ECDSA -> EcdsaPrivateKey.random();
            case RSA -> RsaPrivateKey.random(RsaPublicKey.MIN_BITS);
        };
    }

    /** A fresh Ed25519 key, libp2p's default. */
    public static PrivateKey generate() {
        return generate(KeyType.ED25519);
    }

    /** The peer ID of this key's public key. */
    public PeerId peerId() {
        return PeerId.fromPublicKey(publicKey());
    }

    /** Equal when the type and the secret {@code Data} are (compared in constant time). */
    @Override
    public final boolean equals(Object o) {
        return o instanceof PrivateKey k && k.type() == type() && MessageDigest.isEqual(k.raw(), raw());
    }

    @Override
    public final int hashCode() {
        return publicKey().hashCode();
    }

    @Override
    public String toString() {
        return type() + " private key of " + peerId();
    }
}
