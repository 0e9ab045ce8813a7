package weft.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

class Secp256k1KeyTest {
    private static final BigInteger N = Secp256k1PublicKey.DOMAIN.getN();
    private static final BigInteger P = Secp256k1PublicKey.DOMAIN.getCurve().getField().getCharacteristic();
    private static final byte[] MESSAGE = "Libp2p is the _best_!".getBytes(StandardCharsets.UTF_8);

    @Test
    void generatedKeysRoundTripAndSign() {
        PrivateKey key = PrivateKey.generate(KeyType.SECP256K1);
        assertEquals(KeyType.SECP256K1, key.type());
        assertEquals(key, PrivateKey.unmarshal(key.marshal()));
        assertEquals(37, key.publicKey().marshal().length);
        assertTrue(key.peerId().toBase58().startsWith("16Uiu2HA"));
        assertTrue(key.publicKey().verify(MESSAGE, key.sign(MESSAGE)));
    }

    @Test
    void signaturesAreDeterministicAndLowS() {
        PrivateKey key = PrivateKey.generate(KeyType.SECP256K1);
        for (int i = 0; i < 32; i++) {
            byte[] data = ("message " + i).getBytes(StandardCharsets.UTF_8);
            byte[] sig = key.sign(data);
            assertArrayEquals(sig, key.sign(data));
            BigInteger s = Der.decodeSignature(sig)[1];
            assertTrue(s.compareTo(N.shiftRight(1)) <= 0, "high S in signature " + i);
        }
    }

    @Test
    void highSSignaturesStillVerifyAsGoAccepts() {
        PrivateKey key = PrivateKey.generate(KeyType.SECP256K1);
        BigInteger[] rs = Der.decodeSignature(key.sign(MESSAGE));
        byte[] highS = Der.encodeSignature(rs[0], N.subtract(rs[1]));
        assertTrue(key.publicKey().verify(MESSAGE, highS));
    }

    @Test
    void malformedSignaturesAreFalse() {
        PrivateKey key = PrivateKey.generate(KeyType.SECP256K1);
        PublicKey pub = key.publicKey();
        byte[] sig = key.sign(MESSAGE);
        BigInteger[] rs = Der.decodeSignature(sig);
        assertFalse(pub.verify(MESSAGE, new byte[0]));
        assertFalse(pub.verify(MESSAGE, Arrays.copyOf(sig, sig.length - 1)));
        assertFalse(pub.verify(MESSAGE, Arrays.copyOf(sig, sig.length + 1)));
        assertFalse(pub.verify(MESSAGE, Der.encodeSignature(BigInteger.ZERO, rs[1])));
        assertFalse(pub.verify(MESSAGE, Der.encodeSignature(rs[0], rs[1].add(N))));
        assertFalse(pub.verify(MESSAGE, Der.encodeSignature(rs[0].negate(), rs[1])));
        byte[] longFormLength = new byte[sig.length + 1]; // 30 81 LL ...: BER, not DER
        longFormLength[0] = 0x30;
        longFormLength[1] = (byte) 0x81;
        System.arraycopy(sig, 1, longFormLength, 2, sig.length - 1);
        assertFalse(pub.verify(MESSAGE, longFormLength));
    }

    @Test
    void uncompressedPublicKeysAreRejected() {
        byte[] uncompressed = Secp256k1PublicKey.DOMAIN.getG().getEncoded(false);
        assertThrows(KeyFormatException.class, () -> Secp256k1PublicKey.decode(uncompressed));
    }

    @Test
    void publicKeysOffTheCurveAreRejected() {
        byte[] xTooLarge = new byte[33];
        xTooLarge[0] = 0x02;
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, P), 0, xTooLarge, 1, 32);
        assertThrows(KeyFormatException.class, () -> Secp256k1PublicKey.decode(xTooLarge));

        byte[] noSuchPoint = new byte[33];
        noSuchPoint[0] = 0x02;
        for (int x = 1; ; x++) { // about half of all x have no y on the curve; find the first
            noSuchPoint[32] = (byte) x;
            BigInteger rhs = BigInteger.valueOf(x).pow(3).add(BigInteger.valueOf(7)).mod(P);
            if (rhs.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(P.subtract(BigInteger.ONE))) {
                break;
            }
        }
        assertThrows(KeyFormatException.class, () -> Secp256k1PublicKey.decode(noSuchPoint));
    }

    @Test
    void wrongPrefixOrLengthIsRejected() {
        byte[] key = PrivateKey.generate(KeyType.SECP256K1).publicKey().raw();
        key[0] = 0x05;
        assertThrows(KeyFormatException.class, () -> Secp256k1PublicKey.decode(key));
        assertThrows(KeyFormatException.class, () -> Secp256k1PublicKey.decode(new byte[0]));
        assertThrows(KeyFormatException.class, () -> Secp256k1PublicKey.decode(new byte[32]));
    }

    @Test
    void privateScalarsOutsideOneToNMinusOneAreRejected() {
        assertThrows(KeyFormatException.class, () -> Secp256k1PrivateKey.decode(new byte[32]));
        assertThrows(KeyFormatException.class,
                () -> Secp256k1PrivateKey.decode(BigIntegers.asUnsignedByteArray(32, N)));
        assertThrows(KeyFormatException.class, () -> Secp256k1PrivateKey.decode(new byte[31]));
        assertThrows(KeyFormatException.class, () -> Secp256k1PrivateKey.decode(new byte[33]));
        PrivateKey max = Secp256k1PrivateKey.decode(BigIntegers.asUnsignedByteArray(32, N.subtract(BigInteger.ONE)));
        assertTrue(max.publicKey().verify(MESSAGE, max.sign(MESSAGE)));
    }

    @Test
    void rfc6979NonceMatchesAKnownSecp256k1Vector() {
        // A widely published RFC 6979 secp256k1/SHA-256 vector (python-ecdsa, bitcoinjs): key 1, message "Satoshi
        // Nakamoto" -> r = 934b1ea1..., s = 2442ce9d... (already low S).
        PrivateKey key = Secp256k1PrivateKey.decode(BigIntegers.asUnsignedByteArray(32, BigInteger.ONE));
        BigInteger[] rs = Der.decodeSignature(key.sign("Satoshi Nakamoto".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(new BigInteger("934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8", 16), rs[0]);
        assertEquals(new BigInteger("2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5", 16), rs[1]);
        assertEquals("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108"
                + "a8fd17b448a68554199c47d08ffb10d4b8",
                HexFormat.of().formatHex(Secp256k1PublicKey.DOMAIN.getG().getEncoded(false)));
    }
}
