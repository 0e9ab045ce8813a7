package weft.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * The ASN.1 DER the RSA and ECDSA key formats and ECDSA signatures are written in, on Bouncy Castle's ASN.1
 * classes. Strict: a structure is accepted only if its DER encoding gives back exactly the input bytes, which
 * rules out BER forms (long-form short lengths, padded integers, indefinite lengths) and trailing bytes — the
 * bytes of a public key decide a peer ID, so there must be only one way to write each key.
 */
final class Der {
    private Der() {}

    /**
     * Parses one DER value filling all of {@code der}.
     *
     * @param what what the bytes should be, for the error message ("rsa public key")
     */
    static ASN1Primitive parse(byte[] der, String what) {
        ASN1Primitive value;
        try {
            value = ASN1Primitive.fromByteArray(der);
        } catch (IOException | RuntimeException e) { // Bouncy Castle's parser throws a mix of both on bad input
            throw new KeyFormatException("crypto: " + what + " is not valid DER (" + e.getMessage() + ")", e);
        }
        if (value == null || !Arrays.equals(encode(value), der)) {
            throw new KeyFormatException("crypto: " + what + " is not canonical DER");
        }
        return value;
    }

    /**
     * Parses {@code der} as {@link #parse} does, then reads a structure out of it with {@code reader}. Bouncy
     * Castle's structure classes signal a wrong shape with assorted runtime exceptions (a missing element, a
     * wrong tag, a bit string with pad bits); every one becomes a {@link KeyFormatException} naming
     * {@code structure}.
     */
    static <T> T read(byte[] der, String what, String structure, Function<ASN1Primitive, T> reader) {
        ASN1Primitive value = parse(der, what);
        try {
            return reader.apply(value);
        } catch (KeyFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KeyFormatException("crypto: " + what + " is not a " + structure + " (" + e.getMessage() + ")",
                    e);
        }
    }

    static byte[] encode(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("crypto: DER encoding in memory failed", e);
        }
    }

    /** An ECDSA signature, {@code SEQUENCE { r INTEGER, s INTEGER }} (RFC 3279 §2.2.3, "Ecdsa-Sig-Value"). */
    static byte[] encodeSignature(BigInteger r, BigInteger s) {
        return encode(new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}));
    }

    /** The {@code r} and {@code s} of a strict-DER ECDSA signature, or null if {@code der} is not one. */
    static BigInteger[] decodeSignature(byte[] der) {
        try {
            ASN1Sequence sequence = ASN1Sequence.getInstance(parse(der, "ecdsa signature"));
            if (sequence.size() != 2) {
                return null;
            }
            return new BigInteger[] {
                ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue(),
                ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue()
            };
        } catch (IllegalArgumentException e) { // KeyFormatException, or not a sequence of two integers
            return null;
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
