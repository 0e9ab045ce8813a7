package weft.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EcdsaKeyTest {
    private static final ASN1ObjectIdentifier P256 = SECObjectIdentifiers.secp256r1;
    private static final byte[] MESSAGE = "Libp2p is the _best_!".getBytes(StandardCharsets.UTF_8);
    /** The data of the peer-ids spec ECDSA vectors. */
    private static final byte[] SPEC_PUBLIC = Arrays.copyOfRange(
            TestVectors.load("spec-vectors.txt").get("ecdsa-public-key"), 4, 95);
    private static final byte[] SPEC_PRIVATE = Arrays.copyOfRange(
            TestVectors.load("spec-vectors.txt").get("ecdsa-private-key"), 4, 125);

    @Test
    void generatedKeysAreP256AndRoundTrip() {
        PrivateKey key = PrivateKey.generate(KeyType.ECDSA);
        assertEquals(key, PrivateKey.unmarshal(key.marshal()));
        assertEquals(key.publicKey(), PublicKey.unmarshal(key.publicKey().marshal()));
        assertEquals(P256, ((EcdsaPublicKey) key.publicKey()).curve());
        assertEquals(95, key.publicKey().marshal().length);
        assertTrue(key.peerId().toBase58().startsWith("Qm"));
        byte[] sig = key.sign(MESSAGE);
        assertTrue(key.publicKey().verify(MESSAGE, sig));
        assertFalse(key.publicKey().verify("other".getBytes(StandardCharsets.UTF_8), sig));
        assertFalse(PrivateKey.generate(KeyType.ECDSA).publicKey().verify(MESSAGE, sig));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.3.132.0.34", "1.3.132.0.35"})
    void p384AndP521KeysAreReadSignedAndWrittenBack(String oid) {
        ASN1ObjectIdentifier curve = new ASN1ObjectIdentifier(oid);
        ECDomainParameters domain = EcdsaPublicKey.domain(curve);
        BigInteger d = Ecdsa.randomScalar(domain);
        byte[] sec1 = Der.encode(new ECPrivateKey(domain.getN().bitLength(), d,
                new DERBitString(Ecdsa.publicPoint(domain, d).getEncoded(false)), curve));
        PrivateKey key = EcdsaPrivateKey.decode(sec1);
        assertArrayEquals(sec1, key.raw());
        assertTrue(key.publicKey().verify(MESSAGE, key.sign(MESSAGE)));
        assertEquals(key.publicKey(), PublicKey.unmarshal(key.publicKey().marshal()));
    }

    @Test
    void privateKeyWithoutItsOptionalPublicPointIsReadAndWrittenInFull() {
        PrivateKey full = EcdsaPrivateKey.decode(SPEC_PRIVATE);
        ECDomainParameters domain = EcdsaPublicKey.domain(P256);
        BigInteger d = specScalar();
        byte[] bare = Der.encode(new ECPrivateKey(256, d, P256));
        PrivateKey key = EcdsaPrivateKey.decode(bare);
        assertEquals(full, key);
        assertArrayEquals(SPEC_PRIVATE, key.raw());
        assertEquals(domain.getN(), ((EcdsaPublicKey) key.publicKey()).domain().getN());
    }

    @Test
    void privateKeyWithSomeoneElsesPublicPointIsRejected() {
        ECDomainParameters domain = EcdsaPublicKey.domain(P256);
        BigInteger d = specScalar();
        byte[] mismatched = Der.encode(new ECPrivateKey(256, d,
                new DERBitString(Ecdsa.publicPoint(domain, d.add(BigInteger.ONE)).getEncoded(false)),
                P256));
        assertThrows(KeyFormatException.class, () -> EcdsaPrivateKey.decode(mismatched));
    }

    @Test
    void compressedPointsAreRejected() {
        PublicKey key = PublicKey.unmarshal(TestVectors.load("spec-vectors.txt").get("ecdsa-public-key"));
        byte[] compressed = Der.encode(new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, P256),
                ((EcdsaPublicKey) key).point().getEncoded(true)));
        assertThrows(KeyFormatException.class, () -> EcdsaPublicKey.decode(compressed));
    }

    @Test
    void pointsOffTheCurveAreRejected() {
        byte[] off = SPEC_PUBLIC.clone();
        off[off.length - 1] ^= 1;
        assertThrows(KeyFormatException.class, () -> EcdsaPublicKey.decode(off));
    }

    @Test
    void unsupportedCurvesAndAlgorithmsAreRejected() {
        PrivateKey k1 = PrivateKey.generate(KeyType.SECP256K1);
        byte[] secp256k1Spki = Der.encode(new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1),
                Secp256k1PublicKey.DOMAIN.getG().getEncoded(false)));
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> EcdsaPublicKey.decode(secp256k1Spki));
        assertTrue(e.getMessage().contains("unsupported curve"), e.getMessage());
        byte[] rsaSpki = Arrays.copyOfRange(TestVectors.load("go-fixtures.txt").get("0.pub"), 5, 299);
        assertThrows(KeyFormatException.class, () -> EcdsaPublicKey.decode(rsaSpki));
        assertThrows(KeyFormatException.class, () -> EcdsaPublicKey.decode(k1.publicKey().raw()));
    }

    @Test
    void trailingOrMissingBytesAreRejected() {
        assertThrows(KeyFormatException.class, () -> EcdsaPublicKey.decode(Arrays.copyOf(SPEC_PUBLIC, 92)));
        assertThrows(KeyFormatException.class, () -> EcdsaPublicKey.decode(Arrays.copyOf(SPEC_PUBLIC, 90)));
        assertThrows(KeyFormatException.class, () -> EcdsaPrivateKey.decode(Arrays.copyOf(SPEC_PRIVATE, 122)));
        assertThrows(KeyFormatException.class, () -> EcdsaPrivateKey.decode(new byte[0]));
    }

    @Test
    void signaturesInteroperateWithTheJdkProvider() throws Exception {
        PrivateKey key = PrivateKey.generate(KeyType.ECDSA);
        var jdkPublic = KeyFactory.getInstance("EC")
                .generatePublic(new X509EncodedKeySpec(key.publicKey().raw()));
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initVerify(jdkPublic);
        jdk.update(MESSAGE);
        assertTrue(jdk.verify(key.sign(MESSAGE)));

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        jdk.initSign(pair.getPrivate());
        jdk.update(MESSAGE);
        assertTrue(EcdsaPublicKey.decode(pair.getPublic().getEncoded()).verify(MESSAGE, jdk.sign()));
    }

    @Test
    void malformedSignaturesAreFalse() {
        PublicKey key = EcdsaPublicKey.decode(SPEC_PUBLIC);
        assertFalse(key.verify(MESSAGE, new byte[0]));
        assertFalse(key.verify(MESSAGE, new byte[] {0x30, 0x00}));
        assertFalse(key.verify(MESSAGE, new byte[] {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01}));
        assertFalse(key.verify(MESSAGE, new byte[] {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01}));
        assertFalse(key.verify(MESSAGE, new byte[] {0x02, 0x01, 0x01}));
    }

    private static BigInteger specScalar() {
        return ECPrivateKey.getInstance(Der.parse(SPEC_PRIVATE, "test key")).getKey();
    }
}
