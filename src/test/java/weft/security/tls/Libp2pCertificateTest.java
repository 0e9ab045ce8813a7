package weft.security.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import weft.crypto.KeyType;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.crypto.PublicKey;

class Libp2pCertificateTest {
    // libp2p/specs tls/tls.md, "Test vectors" (commit 7740c07): all use an ECDSA P-256 certificate key, valid from
    // 1975-01-01 to 4096-01-01.
    private static final String ED25519_CERTIFICATE = "308201ae30820156a0030201020204499602d2300a06082a8648ce3d040302302031123010060355040a13096c69627032702e696f310a300806035504051301313020170d3735303130313133303030305a180f34303936303130313133303030305a302031123010060355040a13096c69627032702e696f310a300806035504051301313059301306072a8648ce3d020106082a8648ce3d030107034200040c901d423c831ca85e27c73c263ba132721bb9d7a84c4f0380b2a6756fd601331c8870234dec878504c174144fa4b14b66a651691606d8173e55bd37e381569ea37c307a3078060a2b0601040183a25a0101046a3068042408011220a77f1d92fedb59dddaea5a1c4abd1ac2fbde7d7b879ed364501809923d7c11b90440d90d2769db992d5e6195dbb08e706b6651e024fda6cfb8846694a435519941cac215a8207792e42849cccc6cd8136c6e4bde92a58c5e08cfd4206eb5fe0bf909300a06082a8648ce3d0403020346003043021f50f6b6c52711a881778718238f650c9fb48943ae6ee6d28427dc6071ae55e702203625f116a7a454db9c56986c82a25682f7248ea1cb764d322ea983ed36a31b77";
    private static final String ECDSA_CERTIFICATE = "308201f63082019da0030201020204499602d2300a06082a8648ce3d040302302031123010060355040a13096c69627032702e696f310a300806035504051301313020170d3735303130313133303030305a180f34303936303130313133303030305a302031123010060355040a13096c69627032702e696f310a300806035504051301313059301306072a8648ce3d020106082a8648ce3d030107034200040c901d423c831ca85e27c73c263ba132721bb9d7a84c4f0380b2a6756fd601331c8870234dec878504c174144fa4b14b66a651691606d8173e55bd37e381569ea381c23081bf3081bc060a2b0601040183a25a01010481ad3081aa045f0803125b3059301306072a8648ce3d020106082a8648ce3d03010703420004bf30511f909414ebdd3242178fd290f093a551cf75c973155de0bb5a96fedf6cb5d52da7563e794b512f66e60c7f55ba8a3acf3dd72a801980d205e8a1ad29f2044730450220064ea8124774caf8f50e57f436aa62350ce652418c019df5d98a3ac666c9386a022100aa59d704a931b5f72fb9222cb6cc51f954d04a4e2e5450f8805fe8918f71eaae300a06082a8648ce3d04030203470030440220799395b0b6c1e940a7e4484705f610ab51ed376f19ff9d7c16757cfbf61b8d4302206205c03fbb0f95205c779be86581d3e31c01871ad5d1f3435bcf375cb0e5088a";
    private static final String SECP256K1_CERTIFICATE = "308201ba3082015fa0030201020204499602d2300a06082a8648ce3d040302302031123010060355040a13096c69627032702e696f310a300806035504051301313020170d3735303130313133303030305a180f34303936303130313133303030305a302031123010060355040a13096c69627032702e696f310a300806035504051301313059301306072a8648ce3d020106082a8648ce3d030107034200040c901d423c831ca85e27c73c263ba132721bb9d7a84c4f0380b2a6756fd601331c8870234dec878504c174144fa4b14b66a651691606d8173e55bd37e381569ea38184308181307f060a2b0601040183a25a01010471306f0425080212210206dc6968726765b820f050263ececf7f71e4955892776c0970542efd689d2382044630440220145e15a991961f0d08cd15425bb95ec93f6ffa03c5a385eedc34ecf464c7a8ab022026b3109b8a3f40ef833169777eb2aa337cfb6282f188de0666d1bcec2a4690dd300a06082a8648ce3d0403020349003046022100e1a217eeef9ec9204b3f774a08b70849646b6a1e6b8b27f93dc00ed58545d9fe022100b00dafa549d0f03547878338c7b15e7502888f6d45db387e5ae6b5d46899cef0";
    private static final String INVALID_CERTIFICATE = "308201f73082019da0030201020204499602d2300a06082a8648ce3d040302302031123010060355040a13096c69627032702e696f310a300806035504051301313020170d3735303130313133303030305a180f34303936303130313133303030305a302031123010060355040a13096c69627032702e696f310a300806035504051301313059301306072a8648ce3d020106082a8648ce3d030107034200040c901d423c831ca85e27c73c263ba132721bb9d7a84c4f0380b2a6756fd601331c8870234dec878504c174144fa4b14b66a651691606d8173e55bd37e381569ea381c23081bf3081bc060a2b0601040183a25a01010481ad3081aa045f0803125b3059301306072a8648ce3d020106082a8648ce3d03010703420004bf30511f909414ebdd3242178fd290f093a551cf75c973155de0bb5a96fedf6cb5d52da7563e794b512f66e60c7f55ba8a3acf3dd72a801980d205e8a1ad29f204473045022100bb6e03577b7cc7a3cd1558df0da2b117dfdcc0399bc2504ebe7de6f65cade72802206de96e2a5be9b6202adba24ee0362e490641ac45c240db71fe955f2c5cf8df6e300a06082a8648ce3d0403020348003045022100e847f267f43717358f850355bdcabbefb2cfbf8a3c043b203a14788a092fe8db022027c1d04a2d41fd6b57a7e8b3989e470325de4406e52e084e34a3fd56eef0d0df";

    private final PrivateKey host = PrivateKey.generate();

    private static X509Certificate[] chain(String hex) throws CertificateException {
        return new X509Certificate[] {Libp2pCertificate.parse(HexFormat.of().parseHex(hex))};
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ED25519, " + ED25519_CERTIFICATE + ", 12D3KooWM6CgA9iBFZmcYAHA6A2qvbAxqfkmrYiRQuz3XEsk4Ksv",
        "ECDSA, " + ECDSA_CERTIFICATE + ", QmfXbAwNjJLXfesgztEHe8HwgVDCMMpZ9Eax1HYq6hn9uE",
        "SECP256K1, " + SECP256K1_CERTIFICATE + ", 16Uiu2HAkutTMoTzDw1tCvSRtu6YoixJwS46S1ZFxW8hSx9fWHiPs",
    })
    void specVectorCertificateProvesItsPeerId(KeyType type, String certificate, String peerId) throws Exception {
        PublicKey key = Libp2pCertificate.verify(chain(certificate));

        assertEquals(type, key.type());
        assertEquals(PeerId.parse(peerId), PeerId.fromPublicKey(key));
    }

    @Test
    void specVectorWithHostSignatureOverAnotherKeyIsRejected() {
        CertificateException e = assertThrows(CertificateException.class,
                () -> Libp2pCertificate.verify(chain(INVALID_CERTIFICATE)));
        assertTrue(e.getMessage().contains("host key signature over the certificate key is invalid"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void generatedCertificateProvesTheHostKeyOfEveryType(KeyType type) throws Exception {
        PrivateKey key = PrivateKey.generate(type);
        Libp2pCertificate certificate = Libp2pCertificate.generate(key);

        assertEquals(key.publicKey(), Libp2pCertificate.verify(new X509Certificate[] {certificate.certificate()}));
    }

    @Test
    void generatedCertificateHasGoLibp2pShape() throws Exception {
        X509Certificate certificate = Libp2pCertificate.generate(host).certificate();

        assertEquals(3, certificate.getVersion());
        assertEquals("SHA256withECDSA", certificate.getSigAlgName());
        ECPublicKey key = (ECPublicKey) certificate.getPublicKey();
        assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        String subject = certificate.getSubjectX500Principal().getName(); // RFC 2253 prints serialNumber by OID
        assertTrue(subject.startsWith("2.5.4.5=#13"), subject); // a PrintableString serial number, as go's
        BigInteger serial = certificate.getSerialNumber();
        assertTrue(serial.signum() > 0 && serial.bitLength() <= 62, serial.toString());
        assertEquals(Set.of(Libp2pCertificate.EXTENSION_OID), certificate.getNonCriticalExtensionOIDs());
        assertTrue(certificate.getCriticalExtensionOIDs() == null || certificate.getCriticalExtensionOIDs().isEmpty());
        Duration validity = Duration.between(certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
        assertEquals(Duration.ofDays(100 * 365).plusHours(1), validity);
        assertTrue(certificate.getNotBefore().toInstant().isBefore(Instant.now()));
    }

    @Test
    void extensionValueIsTheHostKeyProtobufAndItsSignatureOverTheCertificateKey() throws Exception {
        X509Certificate certificate = Libp2pCertificate.generate(host).certificate();
        byte[] wrapped = certificate.getExtensionValue(Libp2pCertificate.EXTENSION_OID);
        SignedKey signedKey = SignedKey.decode(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(wrapped).getOctets());

        assertArrayEquals(host.publicKey().marshal(), signedKey.publicKey());
        byte[] signed = Libp2pCertificate.signedData(certificate.getPublicKey().getEncoded());
        assertTrue(host.publicKey().verify(signed, signedKey.signature()));
        assertEquals("libp2p-tls-handshake:", new String(signed, 0, 21, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void chainOfTwoCertificatesIsRejected() throws Exception {
        X509Certificate one = Libp2pCertificate.generate(host).certificate();
        CertificateException e = assertThrows(CertificateException.class,
                () -> Libp2pCertificate.verify(new X509Certificate[] {one, one}));
        assertTrue(e.getMessage().contains("exactly one certificate (2)"), e.getMessage());
        assertThrows(CertificateException.class, () -> Libp2pCertificate.verify(new X509Certificate[0]));
    }

    @Test
    void expiredCertificateIsRejected() throws Exception {
        X509Certificate expired = TestCertificates.valid(host)
                .validity(Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1)))
                .certificate();
        assertRejected(expired, "not valid now");
    }

    @Test
    void notYetValidCertificateIsRejected() throws Exception {
        X509Certificate future = TestCertificates.valid(host)
                .validity(Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(2)))
                .certificate();
        assertRejected(future, "not valid now");
    }

    @Test
    void certificateWithoutTheLibp2pExtensionIsRejected() throws Exception {
        assertRejected(TestCertificates.valid(host).withoutLibp2pExtension().certificate(),
                "lacks the libp2p public key extension (1.3.6.1.4.1.53594.1.1)");
    }

    @Test
    void unknownCriticalExtensionIsRejected() throws Exception {
        X509Certificate certificate = TestCertificates.valid(host)
                .extension("1.2.3.4.5", true, new byte[] {5, 0}).certificate();
        assertRejected(certificate, "critical extensions we do not understand [1.2.3.4.5]");
    }

    @Test
    void unknownNonCriticalExtensionIsIgnored() throws Exception {
        X509Certificate certificate = TestCertificates.valid(host)
                .extension("1.2.3.4.5", false, new byte[] {5, 0}).certificate();
        assertEquals(host.publicKey(), Libp2pCertificate.verify(new X509Certificate[] {certificate}));
    }

    @Test
    void criticalLibp2pExtensionIsAcceptedAsJsLibp2pMarksIt() throws Exception {
        X509Certificate certificate = TestCertificates.valid(host).libp2pExtensionCritical().certificate();
        assertEquals(host.publicKey(), Libp2pCertificate.verify(new X509Certificate[] {certificate}));
    }

    /**
     * js-libp2p's and rust-libp2p's certificates have an empty issuer and subject (libp2p/specs issue 635), which
     * the JDK's X.509 parser refuses ("Empty issuer DN not allowed"); ours, Bouncy Castle's, accepts them.
     */
    @Test
    void certificateWithAnEmptyIssuerAsJsAndRustLibp2pMakeIsAccepted() throws Exception {
        X509Certificate certificate = TestCertificates.valid(host).emptyNames().libp2pExtensionCritical()
                .certificate();
        assertEquals(host.publicKey(), Libp2pCertificate.verify(new X509Certificate[] {certificate}));
        assertThrows(CertificateException.class, () -> java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(certificate.getEncoded())));
    }

    @Test
    void criticalKeyUsageWithoutDigitalSignatureIsRejected() throws Exception {
        assertRejected(TestCertificates.valid(host).keyUsage(KeyUsage.keyEncipherment, true).certificate(),
                "key usage does not allow digital signatures");
        X509Certificate signing = TestCertificates.valid(host).keyUsage(KeyUsage.digitalSignature, true).certificate();
        assertEquals(host.publicKey(), Libp2pCertificate.verify(new X509Certificate[] {signing}));
    }

    @Test
    void certificateSignedByAnotherKeyIsRejected() throws Exception {
        X509Certificate certificate = TestCertificates.valid(host)
                .signedBy(Libp2pCertificate.newCertificateKey()).certificate();
        assertRejected(certificate, "self-signature is invalid");
    }

    @Test
    void subjectUniqueIdIsRejected() throws Exception {
        assertRejected(TestCertificates.valid(host).subjectUniqueId().certificate(), "unique id");
    }

    @Test
    void extensionThatIsNotASignedKeyIsRejected() throws Exception {
        byte[] oneOctetString = {0x30, 0x03, 0x04, 0x01, 0x00};
        assertRejected(TestCertificates.valid(host).libp2pExtensionValue(oneOctetString).certificate(),
                "is not a DER SignedKey");
    }

    @Test
    void extensionWithAnInvalidHostKeyIsRejected() throws Exception {
        byte[] value = new SignedKey(new byte[] {0x08, 0x07, 0x12, 0x00}, new byte[] {1}).encode();
        assertRejected(TestCertificates.valid(host).libp2pExtensionValue(value).certificate(),
                "holds an invalid host key");
    }

    @Test
    void hostSignatureOverAnotherCertificateKeyIsRejected() throws Exception {
        byte[] otherKey = Libp2pCertificate.newCertificateKey().getPublic().getEncoded();
        byte[] value = Libp2pCertificate.signedKey(host, otherKey).encode();
        assertRejected(TestCertificates.valid(host).libp2pExtensionValue(value).certificate(),
                "host key signature over the certificate key is invalid");
    }

    @Test
    void signedKeyDecodingAcceptsDerOnly() {
        SignedKey key = new SignedKey(new byte[] {1, 2}, new byte[] {3});
        byte[] der = key.encode();
        assertArrayEquals(new byte[] {0x30, 0x07, 0x04, 0x02, 1, 2, 0x04, 0x01, 3}, der);
        assertArrayEquals(key.publicKey(), SignedKey.decode(der).publicKey());

        byte[] indefiniteLength = {0x30, (byte) 0x80, 0x04, 0x02, 1, 2, 0x04, 0x01, 3, 0x00, 0x00};
        byte[] trailing = {0x30, 0x07, 0x04, 0x02, 1, 2, 0x04, 0x01, 3, 0x00};
        byte[] threeFields = {0x30, 0x0a, 0x04, 0x02, 1, 2, 0x04, 0x01, 3, 0x04, 0x01, 4};
        byte[] bitString = {0x30, 0x08, 0x03, 0x03, 0, 1, 2, 0x04, 0x01, 3};
        assertNull(SignedKey.decode(indefiniteLength));
        assertNull(SignedKey.decode(trailing));
        assertNull(SignedKey.decode(threeFields));
        assertNull(SignedKey.decode(bitString));
        assertNull(SignedKey.decode(new byte[0]));
        assertFalse(SignedKey.decode(der) == null);
    }

    private static void assertRejected(X509Certificate certificate, String reason) {
        CertificateException e = assertThrows(CertificateException.class,
                () -> Libp2pCertificate.verify(new X509Certificate[] {certificate}));
        assertTrue(e.getMessage().startsWith("tls: certificate") || e.getMessage().startsWith("tls: "),
                e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
