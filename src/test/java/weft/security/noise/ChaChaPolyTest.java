package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.ProtocolViolationException;

/**
 * weft's ChaCha20-Poly1305 ({@link WeftChaChaPoly}, {@link Poly1305}) against the test vectors of RFC 8439: §2.5.2
 * and Appendix A.3 for Poly1305, §2.8.2 and Appendix A.5 for the AEAD.
 */
class ChaChaPolyTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] poly1305(byte[] key, byte[] message) {
        Poly1305 poly = new Poly1305();
        poly.init(key, 0);
        poly.update(message, 0, message.length);
        byte[] tag = new byte[16];
        poly.finish(tag, 0);
        return tag;
    }

    @Test
    void poly1305MatchesRfc8439Section252() {
        byte[] key = HEX.parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] message = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(HEX.parseHex("a8061dc1305136c6c22b8baf0c0127a9"), poly1305(key, message));
    }

    /** RFC 8439 Appendix A.3 vectors #1 and #5 to #11: the zero key and the reduction and carry edge cases. */
    @ParameterizedTest(name = "A.3 #{0}")
    @CsvSource({
        "1, 0000000000000000000000000000000000000000000000000000000000000000, "
                + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000, "
                + "00000000000000000000000000000000",
        "5, 0200000000000000000000000000000000000000000000000000000000000000, ffffffffffffffffffffffffffffffff, "
                + "03000000000000000000000000000000",
        "6, 02000000000000000000000000000000ffffffffffffffffffffffffffffffff, 02000000000000000000000000000000, "
                + "03000000000000000000000000000000",
        "7, 0100000000000000000000000000000000000000000000000000000000000000, "
                + "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff11000000000000000000000000000000, "
                + "05000000000000000000000000000000",
        "8, 0100000000000000000000000000000000000000000000000000000000000000, "
                + "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe01010101010101010101010101010101, "
                + "00000000000000000000000000000000",
        "9, 0200000000000000000000000000000000000000000000000000000000000000, fdffffffffffffffffffffffffffffff, "
                + "faffffffffffffffffffffffffffffff",
        "10, 0100000000000000040000000000000000000000000000000000000000000000, "
                + "e33594d7505e43b900000000000000003394d7505e4379cd01000000000000000000000000000000000000000000000001000000000000000000000000000000, "
                + "14000000000000005500000000000000",
        "11, 0100000000000000040000000000000000000000000000000000000000000000, "
                + "e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000, "
                + "13000000000000000000000000000000",
    })
    void poly1305MatchesRfc8439AppendixA3(int number, String key, String message, String tag) {
        assertArrayEquals(HEX.parseHex(tag), poly1305(HEX.parseHex(key), HEX.parseHex(message)), "vector " + number);
    }

    @Test
    void poly1305GivesTheSameTagWhateverTheUpdateSizes() {
        byte[] key = HEX.parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] message = new byte[1000];
        Arrays.fill(message, (byte) 0xa5);
        byte[] whole = poly1305(key, message);
        for (int step : new int[] {1, 3, 15, 16, 17, 100}) {
            Poly1305 poly = new Poly1305();
            poly.init(key, 0);
            for (int off = 0; off < message.length; off += step) {
                poly.update(message, off, Math.min(step, message.length - off));
            }
            byte[] tag = new byte[16];
            poly.finish(tag, 0);
            assertArrayEquals(whole, tag, "step " + step);
        }
    }

    private static final byte[] KEY_282 = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    private static final byte[] NONCE_282 = HEX.parseHex("070000004041424344454647");
    private static final byte[] AD_282 = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    private static final byte[] PLAIN_282 = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
            + "the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEALED_282 = HEX.parseHex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58"
            + "fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
            + "1ae10b594f09e26a7e902ecbd0600691");

    @Test
    void sealMatchesRfc8439Section282() {
        WeftChaChaPoly aead = new WeftChaChaPoly();
        aead.init(KEY_282, 0);
        byte[] out = new byte[PLAIN_282.length + 16];
        assertEquals(out.length, aead.seal(NONCE_282, AD_282, PLAIN_282, 0, PLAIN_282.length, out, 0));
        assertArrayEquals(SEALED_282, out);
    }

    @Test
    void openMatchesRfc8439Section282() throws AEADBadTagException {
        WeftChaChaPoly aead = new WeftChaChaPoly();
        aead.init(KEY_282, 0);
        byte[] out = new byte[PLAIN_282.length];
        assertEquals(out.length, aead.open(NONCE_282, AD_282, SEALED_282, 0, SEALED_282.length, out, 0));
        assertArrayEquals(PLAIN_282, out);
    }

    @Test
    void openMatchesRfc8439AppendixA5() throws AEADBadTagException {
        byte[] key = HEX.parseHex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
        byte[] nonce = HEX.parseHex("000000000102030405060708");
        byte[] ad = HEX.parseHex("f33388860000000000004e91");
        byte[] sealed = HEX.parseHex("64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
                + "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf332f830e710b97ce98c8a84abd0b9481"
                + "14ad176e008d33bd60f982b1ff37c8559797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
                + "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523eaf4534d7f83fa1155b0047718cbc546a"
                + "0d072b04b3564eea1b422273f548271a0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
                + "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29a6ad5cb4022b02709b"
                + "eead9d67890cbb22392336fea1851f38");
        String expected = "Internet-Drafts are draft documents valid for a maximum of six months and may be updated, "
                + "replaced, or obsoleted by other documents at any time. It is inappropriate to use Internet-Drafts "
                + "as reference material or to cite them other than as /\u201cwork in progress./\u201d";
        WeftChaChaPoly aead = new WeftChaChaPoly();
        aead.init(key, 0);
        byte[] out = new byte[sealed.length - 16];
        aead.open(nonce, ad, sealed, 0, sealed.length, out, 0);
        assertEquals(expected, new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void openRejectsAFlippedTagBitAndWritesNothing() {
        WeftChaChaPoly aead = new WeftChaChaPoly();
        aead.init(KEY_282, 0);
        byte[] forged = SEALED_282.clone();
        forged[forged.length - 1] ^= 0x01;
        byte[] out = new byte[PLAIN_282.length];
        assertThrows(AEADBadTagException.class, () -> aead.open(NONCE_282, AD_282, forged, 0, forged.length, out, 0));
        assertArrayEquals(new byte[PLAIN_282.length], out);
    }

    @Test
    void cipherStateTurnsATamperedCiphertextIntoAProtocolViolationAndKeepsItsNonce() throws Exception {
        byte[] key = KEY_282;
        CipherState sender = new CipherState(new WeftChaChaPoly());
        CipherState receiver = new CipherState(new WeftChaChaPoly());
        sender.initializeKey(key);
        receiver.initializeKey(key);
        byte[] sealed = new byte[PLAIN_282.length + 16];
        sender.encryptWithAd(null, PLAIN_282, 0, PLAIN_282.length, sealed, 0);
        sealed[7] ^= 0x40;
        byte[] out = new byte[PLAIN_282.length];
        assertThrows(ProtocolViolationException.class,
                () -> receiver.decryptWithAd(null, sealed, 0, sealed.length, out, 0));
        assertEquals(0, receiver.nonce());
        sealed[7] ^= 0x40;
        assertEquals(PLAIN_282.length, receiver.decryptWithAd(null, sealed, 0, sealed.length, out, 0));
        assertArrayEquals(PLAIN_282, out);
    }

    @Test
    void aShortMessageIsABadTagNotAnIndexError() {
        WeftChaChaPoly aead = new WeftChaChaPoly();
        aead.init(KEY_282, 0);
        assertThrows(AEADBadTagException.class, () -> aead.open(0, null, new byte[15], 0, 15, new byte[0], 0));
    }
}
