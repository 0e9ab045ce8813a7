package weft.transport.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IceLiteResponderTest {
    private static final String UFRAG = "libp2p+webrtc+v1/0fc8b3f0e2c94d6aa7b1f4d1c2b3a4e5";
    private static final byte[] TX = HexFormat.of().parseHex("0102030405060708090a0b0c");

    private static InetSocketAddress browser() throws Exception {
        return new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 54321);
    }

    /** A check as a browser sends it: PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, USERNAME, integrity, fingerprint. */
    static byte[] check(String username, String password) {
        return StunMessage.builder(StunMessage.BINDING_REQUEST, TX)
                .add(StunMessage.USERNAME, username.getBytes(StandardCharsets.UTF_8))
                .add(StunMessage.PRIORITY, ByteBuffer.allocate(4).putInt(0x6e0001ff).array())
                .add(StunMessage.ICE_CONTROLLING, new byte[8])
                .add(StunMessage.USE_CANDIDATE, new byte[0])
                .encode(password.getBytes(StandardCharsets.UTF_8), true);
    }

    private static StunMessage decode(byte[] bytes) throws StunException {
        return StunMessage.decode(bytes, bytes.length);
    }

    @Test
    void validCheckGetsASuccessResponseWithTheSourceAddressSignedByTheUfrag() throws Exception {
        IceLiteResponder.Answer answer = IceLiteResponder.answer(
                decode(check(UFRAG + ":" + UFRAG, UFRAG)), browser()).orElseThrow();
        assertEquals(UFRAG, answer.ufrag());
        assertTrue(answer.useCandidate());
        StunMessage response = decode(answer.response());
        assertEquals(StunMessage.BINDING_SUCCESS, response.type());
        assertEquals(HexFormat.of().formatHex(TX), HexFormat.of().formatHex(response.transactionId()));
        assertEquals(browser(), response.xorMappedAddress().orElseThrow());
        assertTrue(response.hasValidIntegrity(UFRAG.getBytes(StandardCharsets.UTF_8)));
        assertTrue(response.hasValidFingerprint());
    }

    @Test
    void answerIsNeverLargerThanTheRequest() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 9);
        String shortest = IceLiteResponder.UFRAG_PREFIX + "x";
        byte[] request = check(shortest + ":" + shortest, shortest);
        byte[] response = IceLiteResponder.answer(decode(request), v6).orElseThrow().response();
        assertTrue(response.length <= request.length, response.length + " > " + request.length);
    }

    @Test
    void checkKeyedWithAnotherPasswordGetsNoAnswer() {
        StunException e = assertThrows(StunException.class, () -> IceLiteResponder.answer(
                decode(check(UFRAG + ":" + UFRAG, "guess")), browser()));
        assertTrue(e.getMessage().contains("message-integrity"), e.getMessage());
    }

    @Test
    void ufragWithoutTheLibp2pPrefixGetsNoAnswer() {
        assertThrows(StunException.class, () -> IceLiteResponder.answer(
                decode(check("abcd:abcd", "abcd")), browser()));
    }

    @Test
    void checkWithoutFingerprintGetsNoAnswer() {
        byte[] noFingerprint = StunMessage.builder(StunMessage.BINDING_REQUEST, TX)
                .add(StunMessage.USERNAME, (UFRAG + ":" + UFRAG).getBytes(StandardCharsets.UTF_8))
                .encode(UFRAG.getBytes(StandardCharsets.UTF_8), false);
        assertThrows(StunException.class, () -> IceLiteResponder.answer(decode(noFingerprint), browser()));
    }

    @Test
    void bindingIndicationIsAcceptedWithoutAnswer() throws Exception {
        byte[] indication = StunMessage.builder(StunMessage.BINDING_INDICATION, TX).encode(null, true);
        assertTrue(IceLiteResponder.answer(decode(indication), browser()).isEmpty());
    }

    @Test
    void responsesAreNotAnswered() {
        assertThrows(StunException.class, () -> IceLiteResponder.answer(decode(Rfc5769.IPV4_RESPONSE), browser()));
    }
}
