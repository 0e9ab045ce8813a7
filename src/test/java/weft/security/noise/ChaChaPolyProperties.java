package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import javax.crypto.AEADBadTagException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** weft's ChaCha20-Poly1305 seals and opens exactly as the JDK's, for any key, nonce, AD and length. */
class ChaChaPolyProperties {

    @Property(tries = 300)
    void sealGivesTheJdksBytesAndEachOpensTheOther(@ForAll @Size(32) byte[] key, @ForAll long nonce,
            @ForAll @Size(max = 80) byte[] ad, @ForAll @Size(max = 3000) byte[] plaintext,
            @ForAll boolean withAd) throws AEADBadTagException {
        byte[] aad = withAd ? ad : null;
        WeftChaChaPoly weft = new WeftChaChaPoly();
        JdkChaChaPoly jdk = new JdkChaChaPoly();
        weft.init(key, 0);
        jdk.init(key, 0);

        byte[] ours = new byte[plaintext.length + 16];
        byte[] theirs = new byte[plaintext.length + 16];
        weft.seal(nonce, aad, plaintext, 0, plaintext.length, ours, 0);
        jdk.seal(nonce, aad, plaintext, 0, plaintext.length, theirs, 0);
        assertArrayEquals(theirs, ours);

        byte[] opened = new byte[plaintext.length];
        weft.open(nonce, aad, theirs, 0, theirs.length, opened, 0);
        assertArrayEquals(plaintext, opened);
        jdk.open(nonce, aad, ours, 0, ours.length, opened, 0);
        assertArrayEquals(plaintext, opened);
    }

    @Property(tries = 50)
    void largeMessagesAtOffsetsMatchTheJdk(@ForAll @Size(32) byte[] key, @ForAll long nonce,
            @ForAll @IntRange(min = 60000, max = 65519) int length, @ForAll @IntRange(max = 40) int offset)
            throws AEADBadTagException {
        byte[] plaintext = new byte[offset + length];
        new java.util.Random(nonce).nextBytes(plaintext);
        WeftChaChaPoly weft = new WeftChaChaPoly();
        JdkChaChaPoly jdk = new JdkChaChaPoly();
        weft.init(key, 0);
        jdk.init(key, 0);
        byte[] ours = new byte[offset + length + 16];
        byte[] theirs = new byte[length + 16];
        weft.seal(nonce, null, plaintext, offset, length, ours, offset);
        jdk.seal(nonce, null, plaintext, offset, length, theirs, 0);
        assertArrayEquals(theirs, java.util.Arrays.copyOfRange(ours, offset, ours.length));
        byte[] opened = new byte[offset + length];
        weft.open(nonce, null, theirs, 0, theirs.length, opened, offset);
        assertArrayEquals(java.util.Arrays.copyOfRange(plaintext, offset, offset + length),
                java.util.Arrays.copyOfRange(opened, offset, offset + length));
    }

    @Property(tries = 200)
    void anyChangedByteIsRejected(@ForAll @Size(32) byte[] key, @ForAll long nonce,
            @ForAll @Size(max = 500) byte[] plaintext, @ForAll @IntRange(max = 515) int position,
            @ForAll @IntRange(min = 1, max = 255) int flip) {
        WeftChaChaPoly weft = new WeftChaChaPoly();
        weft.init(key, 0);
        byte[] sealed = new byte[plaintext.length + 16];
        weft.seal(nonce, null, plaintext, 0, plaintext.length, sealed, 0);
        sealed[position % sealed.length] ^= (byte) flip;
        assertThrows(AEADBadTagException.class,
                () -> weft.open(nonce, null, sealed, 0, sealed.length, new byte[plaintext.length], 0));
    }
}
