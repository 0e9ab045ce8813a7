package weft.crypto;

import java.util.Optional;

/**
 * A peer's identity: the multihash of its serialized public key (peer-ids spec). STUB: the crypto helper
 * replaces the bodies; signatures are the contract other layers code against.
 */
public final class PeerId {
    private PeerId() {}

    public static PeerId fromPublicKey(PublicKey key) {
        throw new UnsupportedOperationException("stub");
    }

    /** From the binary multihash, as carried in a {@code /p2p/} multiaddr component. */
    public static PeerId fromBytes(byte[] multihash) {
        throw new UnsupportedOperationException("stub");
    }

    /** Parses a legacy base58btc multihash ({@code 12D3KooW...}, {@code Qm...}) or a CIDv1 ({@code bafz...}). */
    public static PeerId parse(String text) {
        throw new UnsupportedOperationException("stub");
    }

    /** The binary multihash. */
    public byte[] toBytes() {
        throw new UnsupportedOperationException("stub");
    }

    public String toBase58() {
        throw new UnsupportedOperationException("stub");
    }

    /** The public key, when the ID inlines it (identity multihash: Ed25519, secp256k1). */
    public Optional<PublicKey> publicKey() {
        throw new UnsupportedOperationException("stub");
    }

    /** True if {@code key} hashes to this ID. */
    public boolean matches(PublicKey key) {
        throw new UnsupportedOperationException("stub");
    }
}
