package weft.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RsaKeyTest {
    private static final byte[] MESSAGE = "Libp2p is the _best_!".getBytes(StandardCharsets.UTF_8);
    private static final byte[] GO_PRIVATE = TestVectors.load("go-fixtures.txt").get("0.priv");
    private static final byte[] GO_PUBLIC = TestVectors.load("go-fixtures.txt").get("0.pub");

    @Test
    void generatedKeysAre2048BitsAndRoundTrip() {
        PrivateKey key = PrivateKey.generate(KeyType.RSA);
        assertEquals(key, PrivateKey.unmarshal(key.marshal()));
        assertEquals(key.publicKey(), PublicKey.unmarshal(key.publicKey().marshal()));
        assertEquals(2048, ((RsaPublicKey) key.publicKey()).bits());
        assertTrue(key.publicKey().verify(MESSAGE, key.sign(MESSAGE)));
        assertTrue(key.peerId().toBase58().startsWith("Qm"));
    }

    @Test
    void keysBelow2048BitsAreRejectedAsGoLibp2pDoes() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair small = generator.generateKeyPair();
        KeyFormatException e = assertThrows(KeyFormatException.class,
                () -> RsaPublicKey.decode(small.getPublic().getEncoded()));
        assertTrue(e.getMessage().contains("1024 bits"), e.getMessage());
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) small.getPrivate();
        byte[] pkcs1 = Der.encode(new org.bouncycastle.asn1.pkcs.RSAPrivateKey(k.getModulus(),
                k.getPublicExponent(), k.getPrivateExponent(), k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(),
                k.getPrimeExponentQ(), k.getCrtCoefficient()));
        assertThrows(KeyFormatException.class, () -> RsaPrivateKey.decode(pkcs1));
    }

    @Test
    void inconsistentPrivateKeyNumbersAreRejected() {
        var pkcs1 = org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(
                Der.parse(Arrays.copyOfRange(GO_PRIVATE, 5, GO_PRIVATE.length), "test key"));
        byte[] wrongD = Der.encode(new org.bouncycastle.asn1.pkcs.RSAPrivateKey(pkcs1.getModulus(),
                pkcs1.getPublicExponent(), pkcs1.getPrivateExponent().add(BigInteger.TWO), pkcs1.getPrime1(),
                pkcs1.getPrime2(), pkcs1.getExponent1(), pkcs1.getExponent2(), pkcs1.getCoefficient()));
        assertThrows(KeyFormatException.class, () -> RsaPrivateKey.decode(wrongD));
        byte[] wrongN = Der.encode(new org.bouncycastle.asn1.pkcs.RSAPrivateKey(pkcs1.getModulus().add(BigInteger.TWO),
                pkcs1.getPublicExponent(), pkcs1.getPrivateExponent(), pkcs1.getPrime1(),
                pkcs1.getPrime2(), pkcs1.getExponent1(), pkcs1.getExponent2(), pkcs1.getCoefficient()));
        assertThrows(KeyFormatException.class, () -> RsaPrivateKey.decode(wrongN));
    }

    @Test
    void malformedSignaturesAreFalse() {
        PublicKey key = PublicKey.unmarshal(GO_PUBLIC);
        byte[] good = TestVectors.load("go-fixtures.txt").get("0.sig");
        assertTrue(key.verify(MESSAGE, good));
        assertFalse(key.verify(MESSAGE, new byte[0]));
        assertFalse(key.verify(MESSAGE, Arrays.copyOf(good, 255)));
        assertFalse(key.verify(MESSAGE, Arrays.copyOf(good, 257)));
        byte[] flipped = good.clone();
        flipped[100] ^= 1;
        assertFalse(key.verify(MESSAGE, flipped));
        byte[] ones = new byte[256];
        Arrays.fill(ones, (byte) 0xFF); // larger than the modulus
        assertFalse(key.verify(MESSAGE, ones));
    }

    @Test
    void truncatedAndTrailingBytesAreRejected() {
        byte[] spki = Arrays.copyOfRange(GO_PUBLIC, 5, GO_PUBLIC.length);
        assertArrayEquals(spki, RsaPublicKey.decode(spki).raw());
        assertThrows(KeyFormatException.class, () -> RsaPublicKey.decode(Arrays.copyOf(spki, spki.length - 1)));
        assertThrows(KeyFormatException.class, () -> RsaPublicKey.decode(Arrays.copyOf(spki, spki.length + 1)));
        byte[] pkcs1 = Arrays.copyOfRange(GO_PRIVATE, 5, GO_PRIVATE.length);
        assertThrows(KeyFormatException.class, () -> RsaPrivateKey.decode(Arrays.copyOf(pkcs1, pkcs1.length - 1)));
        assertThrows(KeyFormatException.class, () -> RsaPrivateKey.decode(Arrays.copyOf(pkcs1, pkcs1.length + 1)));
    }

    @Test
    void ecdsaKeyBytesAreNotAnRsaKey() {
        byte[] ecdsa = Arrays.copyOfRange(TestVectors.load("spec-vectors.txt").get("ecdsa-public-key"), 4, 95);
        assertThrows(KeyFormatException.class, () -> RsaPublicKey.decode(ecdsa));
    }
}
