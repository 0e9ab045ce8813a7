package weft.crypto;

import java.util.Arrays;
import java.util.Optional;
import weft.multiformats.Base58;
import weft.multiformats.MultiformatException;
import weft.multiformats.Multibase;
import weft.multiformats.Multihash;
import weft.multiformats.UnsignedVarint;

/**
 * A peer's identity: the multihash of its serialized public key. Immutable and thread-safe; equal when the
 * multihashes are; {@link #toString()} is the base58 text.
 *
 * <p>peer-ids spec, "Peer Ids": "Keys that serialize to more than 42 bytes must be hashed using sha256 multihash,
 * keys that serialize to at most 42 bytes must be hashed using the "identity" multihash codec." So Ed25519 (36
 * bytes) and secp256k1 (37) IDs carry the key itself ({@link #publicKey()}), RSA and ECDSA IDs only its hash.
 *
 * <p>Text, "String representation": "Implementations MUST support parsing both forms of peer IDs" — the legacy
 * base58btc multihash ({@code 12D3KooW...}, {@code 16Uiu2HA...}, {@code Qm...}) and a multibase CIDv1 with the
 * {@code libp2p-key} codec ({@code bafz...}) — and "SHOULD display peer IDs using the first (raw base58btc encoded
 * multihash) format".
 *
 * <p>Malformed bytes or text throw {@link KeyFormatException}, with the reason.
 */
public final class PeerId {
    /** "keys that serialize to at most 42 bytes must be hashed using the identity multihash" (peer-ids spec). */
    static final int MAX_INLINE_KEY_LENGTH = 42;
    /** Multicodec {@code libp2p-key}, the codec of a peer ID CID (multicodec table, peer-ids spec). */
    static final int LIBP2P_KEY_CODEC = 0x72;
    /** CID version 1 (multiformats/cid). */
    private static final int CID_V1 = 1;
    /**
     * Longest text {@link #parse} looks at: a CIDv1 in base16 of a 42-byte inline key is 95 characters. The cap
     * keeps base58's quadratic decoding cheap on hostile input.
     */
    private static final int MAX_TEXT_LENGTH = 128;

    private final byte[] multihash;
    private final PublicKey publicKey; // null unless identity-hashed
    private final String base58;

    private PeerId(byte[] multihash, PublicKey publicKey) {
        this.multihash = multihash;
        this.publicKey = publicKey;
        this.base58 = Base58.encode(multihash);
    }

    /** The ID of {@code key}: the identity or sha2-256 multihash of its protobuf, by the 42-byte rule. */
    public static PeerId fromPublicKey(PublicKey key) {
        byte[] multihash = multihashOf(key);
        return new PeerId(multihash, multihash[0] == Multihash.IDENTITY ? key : null);
    }

    private static byte[] multihashOf(PublicKey key) {
        byte[] encoded = key.marshal();
        return encoded.length <= MAX_INLINE_KEY_LENGTH
                ? Multihash.identity(encoded).encode()
                : Multihash.sha256(encoded).encode();
    }

    /**
     * From the binary multihash, as carried in a {@code /p2p/} multiaddr component: a sha2-256 multihash, or an
     * identity multihash of at most 42 bytes holding a valid {@code PublicKey} protobuf.
     */
    public static PeerId fromBytes(byte[] multihash) {
        Multihash decoded;
        try {
            decoded = Multihash.decode(multihash);
        } catch (MultiformatException e) {
            throw new KeyFormatException("peer id: not a multihash: " + e.getMessage(), e);
        }
        if (decoded.code() == Multihash.SHA2_256) {
            return new PeerId(multihash.clone(), null);
        }
        byte[] encodedKey = decoded.digest();
        if (encodedKey.length > MAX_INLINE_KEY_LENGTH) {
            throw new KeyFormatException("peer id: identity multihash longer than " + MAX_INLINE_KEY_LENGTH
                    + " bytes (" + encodedKey.length + "); longer keys are sha2-256 hashed");
        }
        PublicKey key;
        try {
            key = PublicKey.unmarshal(encodedKey);
        } catch (KeyFormatException e) {
            throw new KeyFormatException("peer id: identity multihash holds no valid public key: "
                    + e.getMessage(), e);
        }
        return new PeerId(multihash.clone(), key);
    }

    /** Parses a legacy base58btc multihash ({@code 12D3KooW...}, {@code Qm...}) or a CIDv1 ({@code bafz...}). */
    public static PeerId parse(String text) {
        if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
            throw new KeyFormatException("peer id: text length " + text.length() + " is not between 1 and "
                    + MAX_TEXT_LENGTH);
        }
        // "If it starts with 1 or Qm, it's a bare base58btc encoded multihash." (peer-ids spec, "Decoding")
        if (text.startsWith("1") || text.startsWith("Qm")) {
            byte[] bytes;
            try {
                bytes = Base58.decode(text);
            } catch (MultiformatException e) {
                throw new KeyFormatException("peer id: bad base58 text: " + e.getMessage(), e);
            }
            return fromBytes(bytes);
        }
        // "If it starts with a multibase prefix, it's a CIDv1 CID."
        return fromCid(text);
    }

    private static PeerId fromCid(String text) {
        byte[] cid;
        UnsignedVarint.Decoded version;
        UnsignedVarint.Decoded codec;
        try {
            cid = Multibase.decode(text);
            version = UnsignedVarint.decode(cid, 0, cid.length);
            codec = UnsignedVarint.decode(cid, version.length(), cid.length);
        } catch (MultiformatException e) {
            throw new KeyFormatException("peer id: neither base58 nor a multibase CID: " + e.getMessage(), e);
        }
        if (version.value() != CID_V1) {
            throw new KeyFormatException("peer id: CID version " + version.value() + " is not 1");
        }
        if (codec.value() != LIBP2P_KEY_CODEC) {
            throw new KeyFormatException("peer id: CID codec 0x" + Long.toHexString(codec.value())
                    + " is not libp2p-key (0x72)");
        }
        return fromBytes(Arrays.copyOfRange(cid, version.length() + codec.length(), cid.length));
    }

    /** The binary multihash. */
    public byte[] toBytes() {
        return multihash.clone();
    }

    /** The legacy text form, and the one to display: base58btc of the multihash. */
    public String toBase58() {
        return base58;
    }

    /** The CIDv1 text form: base32 multibase of {@code 0x01 0x72 multihash} ({@code bafz...}). */
    public String toCid() {
        byte[] cid = new byte[2 + multihash.length];
        cid[0] = CID_V1;
        cid[1] = LIBP2P_KEY_CODEC;
        System.arraycopy(multihash, 0, cid, 2, multihash.length);
        return Multibase.BASE32.encode(cid);
    }

    /** The public key, when the ID inlines it (identity multihash: Ed25519, secp256k1). */
    public Optional<PublicKey> publicKey() {
        return Optional.ofNullable(publicKey);
    }

    /** True if {@code key} hashes to this ID. */
    public boolean matches(PublicKey key) {
        return Arrays.equals(multihash, multihashOf(key));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId p && Arrays.equals(p.multihash, multihash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(multihash);
    }

    /** The base58 text, as {@link #toBase58()}. */
    @Override
    public String toString() {
        return base58;
    }
}
