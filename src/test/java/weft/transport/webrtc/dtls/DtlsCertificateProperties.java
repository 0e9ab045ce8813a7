package weft.transport.webrtc.dtls;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class DtlsCertificateProperties {
    private static final byte[] VALID = DtlsCertificate.generate().encode();

    @Property(tries = 500)
    void arbitraryBytesDecodeOrThrowOnlyGeneralSecurityException(@ForAll @Size(max = 700) byte[] bytes) {
        try {
            DtlsCertificate.decode(bytes);
        } catch (GeneralSecurityException expected) {
            // the only exception allowed
        }
    }

    @Property(tries = 300)
    void aStoredCertificateWithOneByteChangedDecodesToItselfOrThrowsOnlyGeneralSecurityException(
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll byte value) {
        byte[] bytes = VALID.clone();
        bytes[where % bytes.length] = value;
        try {
            DtlsCertificate.decode(bytes);
        } catch (GeneralSecurityException expected) {
            // the only exception allowed
        }
    }

    @Property(tries = 100)
    void everyTruncationOfAStoredCertificateIsRefused(@ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] truncated = Arrays.copyOf(VALID, cut % VALID.length);
        try {
            DtlsCertificate.decode(truncated);
            throw new AssertionError("decoded a certificate cut to " + truncated.length + " bytes");
        } catch (GeneralSecurityException expected) {
            // refused, as it must be
        }
    }
}
