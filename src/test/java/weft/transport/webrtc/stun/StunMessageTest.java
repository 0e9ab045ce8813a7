package weft.transport.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StunMessageTest {
    @Test
    void rfc5769RequestDecodesWithItsAttributesAndPassesIntegrityAndFingerprint() throws Exception {
        StunMessage request = StunMessage.decode(Rfc5769.REQUEST, Rfc5769.REQUEST.length);
        assertEquals(StunMessage.BINDING_REQUEST, request.type());
        assertArrayEquals(Rfc5769.TRANSACTION_ID, request.transactionId());
        assertEquals("evtj:h6vY", request.username().orElseThrow());
        assertEquals("STUN test client", new String(
                request.attribute(StunMessage.SOFTWARE).orElseThrow().value(), StandardCharsets.UTF_8));
        assertEquals(0x6e0001ff, ByteBuffer.wrap(request.attribute(StunMessage.PRIORITY).orElseThrow().value()).getInt());
        assertTrue(request.attribute(StunMessage.ICE_CONTROLLED).isPresent());
        assertTrue(request.hasValidIntegrity(Rfc5769.PASSWORD));
        assertTrue(request.hasValidFingerprint());
    }

    @Test
    void rfc5769Ipv4ResponseCarriesTheXoredMappedAddress() throws Exception {
        StunMessage response = StunMessage.decode(Rfc5769.IPV4_RESPONSE, Rfc5769.IPV4_RESPONSE.length);
        assertEquals(StunMessage.BINDING_SUCCESS, response.type());
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853),
                response.xorMappedAddress().orElseThrow());
        assertTrue(response.hasValidIntegrity(Rfc5769.PASSWORD));
        assertTrue(response.hasValidFingerprint());
    }

    @Test
    void rfc5769Ipv6ResponseCarriesTheXoredMappedAddress() throws Exception {
        StunMessage response = StunMessage.decode(Rfc5769.IPV6_RESPONSE, Rfc5769.IPV6_RESPONSE.length);
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                response.xorMappedAddress().orElseThrow());
        assertTrue(response.hasValidIntegrity(Rfc5769.PASSWORD));
        assertTrue(response.hasValidFingerprint());
    }

    @Test
    void integrityAndFingerprintComputationsReproduceTheRfc5769RequestBytes() {
        byte[] request = Rfc5769.REQUEST;
        int integrityAt = 20 + 20 + 8 + 12 + 16;
        byte[] mac = StunMessage.hmacSha1(Rfc5769.PASSWORD, request, integrityAt, integrityAt + 24 - 20);
        assertArrayEquals(java.util.Arrays.copyOfRange(request, integrityAt + 4, integrityAt + 24), mac);
        int fingerprintAt = integrityAt + 24;
        assertEquals(ByteBuffer.wrap(request, fingerprintAt + 4, 4).getInt(),
                StunMessage.fingerprint(request, fingerprintAt, request.length - 20));
    }

    @Test
    void builderEncodesTheRfc5769Ipv4ResponseWhenItsPaddingIsZeros() throws Exception {
        // The vector pads SOFTWARE with a space; the same message padded with a zero must still verify and
        // carry the same address, and the builder's bytes must match the vector up to that padding byte.
        byte[] built = StunMessage.builder(StunMessage.BINDING_SUCCESS, Rfc5769.TRANSACTION_ID)
                .add(StunMessage.SOFTWARE, "test vector".getBytes(StandardCharsets.UTF_8))
                .addXorMappedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853))
                .encode(Rfc5769.PASSWORD, true);
        assertEquals(Rfc5769.IPV4_RESPONSE.length, built.length);
        assertArrayEquals(java.util.Arrays.copyOf(Rfc5769.IPV4_RESPONSE, 35), java.util.Arrays.copyOf(built, 35));
        assertArrayEquals(java.util.Arrays.copyOfRange(Rfc5769.IPV4_RESPONSE, 36, 52),
                java.util.Arrays.copyOfRange(built, 36, 52));
        StunMessage decoded = StunMessage.decode(built, built.length);
        assertTrue(decoded.hasValidIntegrity(Rfc5769.PASSWORD));
        assertTrue(decoded.hasValidFingerprint());
    }

    @Test
    void aFlippedBitFailsIntegrityAndFingerprint() throws Exception {
        byte[] tampered = Rfc5769.REQUEST.clone();
        tampered[30] ^= 1;
        StunMessage request = StunMessage.decode(tampered, tampered.length);
        assertFalse(request.hasValidIntegrity(Rfc5769.PASSWORD));
        assertFalse(request.hasValidFingerprint());
    }

    @Test
    void wrongPasswordFailsIntegrity() throws Exception {
        StunMessage request = StunMessage.decode(Rfc5769.REQUEST, Rfc5769.REQUEST.length);
        assertFalse(request.hasValidIntegrity("not the password".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void firstByteTellsStunFromDtlsAsRfc7983Says() {
        assertTrue(StunMessage.isStun(Rfc5769.REQUEST, Rfc5769.REQUEST.length));
        byte[] dtls = Rfc5769.REQUEST.clone();
        dtls[0] = 22; // DTLS handshake content type
        assertFalse(StunMessage.isStun(dtls, dtls.length));
        assertFalse(StunMessage.isStun(Rfc5769.REQUEST, 19));
    }

    @Test
    void lengthFieldThatDisagreesWithTheDatagramIsRejected() {
        StunException e = assertThrows(StunException.class,
                () -> StunMessage.decode(Rfc5769.REQUEST, Rfc5769.REQUEST.length - 4));
        assertTrue(e.getMessage().startsWith("stun: length field 88"), e.getMessage());
    }

    @Test
    void attributeRunningPastTheEndIsRejected() {
        byte[] broken = Rfc5769.REQUEST.clone();
        broken[20 + 2] = 0x7f; // SOFTWARE length
        assertThrows(StunException.class, () -> StunMessage.decode(broken, broken.length));
    }
}
