package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import weft.multiformats.Multiaddr;
import weft.multiformats.MultiformatException;

class FingerprintTest {
    private static final HexFormat HEX = HexFormat.of();

    /** rust-libp2p misc/webrtc-utils transport.rs, parse_valid_address_with_certhash_and_p2p. */
    private static final String CERTHASH = "uEiDikp5KVUgkLta1EjUN-IKbHk-dUBg8VzKgf5nXxLK46w";
    private static final String DIGEST = "e2929e4a5548242ed6b512350df8829b1e4f9d50183c5732a07f99d7c4b2b8eb";

    @Test
    void certhashDecodesToTheSha256DigestOfTheRustVector() {
        assertArrayEquals(HEX.parseHex(DIGEST), Fingerprint.fromCerthash(CERTHASH).digest());
    }

    @Test
    void digestEncodesToTheCerthashOfTheRustVector() {
        assertEquals(CERTHASH, Fingerprint.ofDigest(HEX.parseHex(DIGEST)).certhash());
    }

    @Test
    void certhashInsideAWebrtcDirectMultiaddrRoundTrips() {
        Multiaddr address = Multiaddr.parse("/ip4/127.0.0.1/udp/39901/webrtc-direct/certhash/" + CERTHASH
                + "/p2p/12D3KooWNpDk9w6WrEEcdsEH1y47W71S36yFjw4sd3j7omzgCSMS");
        assertEquals(CERTHASH, address.valueOf("certhash").orElseThrow());
        assertEquals(Fingerprint.ofDigest(HEX.parseHex(DIGEST)),
                Fingerprint.fromCerthash(address.valueOf("certhash").orElseThrow()));
    }

    /** rust-libp2p misc/webrtc-utils fingerprint.rs, sdp_format. */
    @Test
    void sdpFormIsUpperCaseHexPairsJoinedByColons() {
        Fingerprint fingerprint = Fingerprint.ofDigest(
                HEX.parseHex("7DE3D83F81A680592A471E6B6ABB0747ABD35385A8093FDFE112C1EEBB6CC6AC"));
        assertEquals("7D:E3:D8:3F:81:A6:80:59:2A:47:1E:6B:6A:BB:07:47:AB:D3:53:85:A8:09:3F:DF:E1:12:C1:EE:BB:6C:C6:AC",
                fingerprint.sdp());
    }

    @Test
    void certificateFingerprintIsTheSha256OfItsDerBytes() {
        // sha-256("abc"), FIPS 180-2 appendix B.1
        assertEquals(Fingerprint.ofDigest(HEX.parseHex(
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")),
                Fingerprint.ofCertificate("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void certhashOfAnotherHashFunctionIsRejected() {
        String identityHash = weft.multiformats.Multibase.BASE64URL.encode(new byte[] {0x00, 0x02, 1, 2});
        assertThrows(MultiformatException.class, () -> Fingerprint.fromCerthash(identityHash));
    }
}
