package weft.security.tls;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

/**
 * The value of the libp2p public key extension (libp2p TLS spec, "libp2p Public Key Extension"):
 *
 * <pre>
 * SignedKey ::= SEQUENCE {
 *   publicKey OCTET STRING,   -- the host key as the protobuf PublicKey { Type, Data } (peer-ids spec)
 *   signature OCTET STRING    -- host key's signature over "libp2p-tls-handshake:" || certificate SubjectPublicKeyInfo
 * }
 * </pre>
 *
 * Encoded in DER; {@link #decode} accepts DER only (as go's {@code encoding/asn1} does), so one value has one
 * encoding.
 */
record SignedKey(byte[] publicKey, byte[] signature) {

    byte[] encode() {
        try {
            return new DERSequence(new DEROctetString[] {new DEROctetString(publicKey), new DEROctetString(signature)})
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("tls: cannot encode a SignedKey", e); // in-memory encoding does not fail
        }
    }

    /** Decodes the extension value; null when it is not exactly a DER {@code SEQUENCE} of two OCTET STRINGs. */
    static SignedKey decode(byte[] der) {
        ASN1Primitive value;
        try {
            value = ASN1Primitive.fromByteArray(der); // rejects trailing bytes
        } catch (IOException | RuntimeException e) {
            return null; // Bouncy Castle signals some malformed input with unchecked exceptions; all of it is bad input
        }
        if (!(value instanceof ASN1Sequence sequence) || sequence.size() != 2
                || !(sequence.getObjectAt(0) instanceof ASN1OctetString key)
                || !(sequence.getObjectAt(1) instanceof ASN1OctetString signature)) {
            return null;
        }
        SignedKey decoded = new SignedKey(key.getOctets(), signature.getOctets());
        return Arrays.equals(decoded.encode(), der) ? decoded : null; // BER (indefinite lengths, ...) is not DER
    }
}
