package weft.multiformats;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A self-describing hash: {@code varint(code) || varint(length) || digest} (multiformats/multihash).
 * weft needs two functions: {@code identity} (0x00), which inlines small public keys in peer IDs, and
 * {@code sha2-256} (0x12).
 */
public final class Multihash {
    /** Multicodec {@code identity}: the "digest" is the input itself. */
    public static final int IDENTITY = 0x00;
    /** Multicodec {@code sha2-256}. */
    public static final int SHA2_256 = 0x12;

    private final int code;
    private final byte[] digest;

    private Multihash(int code, byte[] digest) {
        this.code = code;
        this.digest = digest;
    }

    public static Multihash of(int code, byte[] digest) {
        if (code == SHA2_256 && digest.length != 32) {
            throw new MultiformatException("multihash: sha2-256 digest must be 32 bytes, not " + digest.length);
        }
        if (code != SHA2_256 && code != IDENTITY) {
            throw new MultiformatException("multihash: unsupported function code 0x" + Integer.toHexString(code));
        }
        return new Multihash(code, digest.clone());
    }

    public static Multihash identity(byte[] data) {
        return new Multihash(IDENTITY, data.clone());
    }

    public static Multihash sha256(byte[] data) {
        try {
            return new Multihash(SHA2_256, MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** Decodes a whole multihash; trailing bytes are an error. */
    public static Multihash decode(byte[] bytes) {
        UnsignedVarint.Decoded code = UnsignedVarint.decode(bytes, 0, bytes.length);
        UnsignedVarint.Decoded length = UnsignedVarint.decode(bytes, code.length(), bytes.length);
        int start = code.length() + length.length();
        if (length.value() != bytes.length - start) {
            throw new MultiformatException("multihash: length says " + length.value() + " digest bytes, "
                    + (bytes.length - start) + " present");
        }
        if (code.value() > Integer.MAX_VALUE) {
            throw new MultiformatException("multihash: function code out of range " + code.value());
        }
        return of((int) code.value(), Arrays.copyOfRange(bytes, start, bytes.length));
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(digest.length + 4);
        out.writeBytes(UnsignedVarint.encode(code));
        out.writeBytes(UnsignedVarint.encode(digest.length));
        out.writeBytes(digest);
        return out.toByteArray();
    }

    public int code() {
        return code;
    }

    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash m && m.code == code && Arrays.equals(m.digest, digest);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return (code == IDENTITY ? "identity:" : "sha2-256:") + HexFormat.of().formatHex(digest);
    }
}
