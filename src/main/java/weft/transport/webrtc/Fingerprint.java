package weft.transport.webrtc;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import weft.multiformats.Multibase;
import weft.multiformats.Multihash;
import weft.multiformats.MultiformatException;

/**
 * The SHA-256 fingerprint of a DTLS certificate, in the three spellings WebRTC-direct needs: the multiaddr
 * {@code /certhash} value, the multihash bytes of the Noise prologue, and the SDP {@code a=fingerprint} line.
 *
 * <p>webrtc-direct.md, Addressing: "The TLS certificate fingerprint in {@code /certhash} is a multibase encoded
 * multihash of the certificate [...] implementations MUST support hash algorithm {@code sha-256} and base encoding
 * {@code base64url}." So a server's certhash is {@code "u" + base64url(0x12 0x20 || sha256(der))}.
 */
public final class Fingerprint {
    private final byte[] sha256;

    private Fingerprint(byte[] sha256) {
        this.sha256 = sha256;
    }

    /** The fingerprint of a DER-encoded certificate (RFC 8122 section 5: the hash of the DER form). */
    public static Fingerprint ofCertificate(byte[] der) {
        return new Fingerprint(Multihash.sha256(der).digest());
    }

    /** A fingerprint from its 32 raw digest bytes. */
    public static Fingerprint ofDigest(byte[] sha256) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("webrtc: a sha-256 fingerprint has 32 bytes, not " + sha256.length);
        }
        return new Fingerprint(sha256.clone());
    }

    /**
     * Parses a {@code /certhash} value. Only sha-256 is accepted: the spec makes the certificate hash and the
     * WebRTC fingerprint hash the same function, and browsers fingerprint with sha-256.
     */
    public static Fingerprint fromCerthash(String certhash) {
        Multihash multihash = Multihash.decode(Multibase.decode(certhash));
        if (multihash.code() != Multihash.SHA2_256) {
            throw new MultiformatException("webrtc: certhash must be a sha2-256 multihash (code 0x"
                    + Integer.toHexString(multihash.code()) + ")");
        }
        return new Fingerprint(multihash.digest());
    }

    /** The {@code /certhash} multiaddr value: multibase base64url of the multihash. */
    public String certhash() {
        return Multibase.BASE64URL.encode(multihash());
    }

    /** The multihash bytes {@code 0x12 0x20 || digest}, as they go into the Noise prologue. */
    public byte[] multihash() {
        return Multihash.of(Multihash.SHA2_256, sha256).encode();
    }

    /** The raw 32-byte digest. */
    public byte[] digest() {
        return sha256.clone();
    }

    /** The SDP form (RFC 8122 section 5): upper-case hex pairs joined by colons, {@code 7D:E3:...}. */
    public String sdp() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint other && Arrays.equals(sha256, other.sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return "sha-256 " + HexFormat.of().formatHex(sha256).toLowerCase(Locale.ROOT);
    }
}
