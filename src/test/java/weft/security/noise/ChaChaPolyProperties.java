package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** Sealing {@code in1 || in2} in two parts gives the one-part bytes, on both implementations, and opens. */
    @Property(tries = 300)
    void twoPartSealGivesTheBytesOfSealingTheConcatenation(@ForAll @Size(32) byte[] key, @ForAll long nonce,
            @ForAll @Size(max = 3000) byte[] plaintext, @ForAll @IntRange(max = 3000) int splitSeed,
            @ForAll @IntRange(max = 20) int offset, @ForAll @Size(max = 40) byte[] ad, @ForAll boolean withAd,
            @ForAll boolean jdk) throws AEADBadTagException {
        byte[] aad = withAd ? ad : null;
        int split = plaintext.length == 0 ? 0 : splitSeed % (plaintext.length + 1);
        // the JDK cipher refuses to encrypt twice under one key and nonce: one instance per seal
        Aead aead = jdk ? new JdkChaChaPoly() : new WeftChaChaPoly();
        Aead again = jdk ? new JdkChaChaPoly() : new WeftChaChaPoly();
        aead.init(key, 0);
        again.init(key, 0);
        // each part at its own offset in its own array, as a held header and a caller's payload are
        byte[] first = new byte[offset + split];
        byte[] second = new byte[offset + plaintext.length - split + offset];
        System.arraycopy(plaintext, 0, first, offset, split);
        System.arraycopy(plaintext, split, second, offset, plaintext.length - split);

        byte[] whole = new byte[plaintext.length + 16];
        aead.seal(nonce, aad, plaintext, 0, plaintext.length, whole, 0);
        byte[] parts = new byte[offset + plaintext.length + 16];
        int sealed = again.seal(nonce, aad, first, offset, split, second, offset, plaintext.length - split, parts,
                offset);

        assertEquals(plaintext.length + 16, sealed);
        assertArrayEquals(whole, java.util.Arrays.copyOfRange(parts, offset, parts.length));
        byte[] opened = new byte[plaintext.length];
        aead.open(nonce, aad, parts, offset, sealed, opened, 0);
        assertArrayEquals(plaintext, opened);
    }

    @Property(tries = 20)
    void twoPartSealOfAHeaderAndALargePayloadMatchesOnBothImplementations(@ForAll @Size(32) byte[] key,
            @ForAll long nonce, @ForAll @IntRange(min = 1, max = 64) int headerLength,
            @ForAll @IntRange(min = 60000, max = 65455) int payloadLength) throws AEADBadTagException {
        byte[] header = new byte[headerLength];
        byte[] payload = new byte[payloadLength];
        java.util.Random random = new java.util.Random(nonce);
        random.nextBytes(header);
        random.nextBytes(payload);
        int total = headerLength + payloadLength;
        WeftChaChaPoly weft = new WeftChaChaPoly();
        JdkChaChaPoly jdk = new JdkChaChaPoly();
        weft.init(key, 0);
        jdk.init(key, 0);
        byte[] ours = new byte[total + 16];
        byte[] theirs = new byte[total + 16];
        weft.seal(nonce, null, header, 0, headerLength, payload, 0, payloadLength, ours, 0);
        jdk.seal(nonce, null, header, 0, headerLength, payload, 0, payloadLength, theirs, 0);
        assertArrayEquals(theirs, ours);
        byte[] opened = new byte[total];
        jdk.open(nonce, null, ours, 0, ours.length, opened, 0);
        assertArrayEquals(header, java.util.Arrays.copyOf(opened, headerLength));
        assertArrayEquals(payload, java.util.Arrays.copyOfRange(opened, headerLength, total));
    }
}
