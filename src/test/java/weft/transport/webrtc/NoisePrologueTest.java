package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NoisePrologueTest {
    private static final HexFormat HEX = HexFormat.of();

    /** webrtc-direct.md, Test vectors, "Both client and server use SHA-256". */
    @Test
    void prologueMatchesTheSpecVectorClientFingerprintFirst() {
        Fingerprint client = Fingerprint.ofDigest(
                HEX.parseHex("3e79af40d6059617a0d83b83a52ce73b0c1f37a72c6043ad2969e2351bdca870"));
        Fingerprint server = Fingerprint.ofDigest(
                HEX.parseHex("30fc9f469c207419dfdd0aab5f27a86c973c94e40548db9375cca2e915973b99"));
        byte[] expected = HEX.parseHex("6c69627032702d7765627274632d6e6f6973653a"
                + "12203e79af40d6059617a0d83b83a52ce73b0c1f37a72c6043ad2969e2351bdca870"
                + "122030fc9f469c207419dfdd0aab5f27a86c973c94e40548db9375cca2e915973b99");
        assertArrayEquals(expected, NoisePrologue.of(client, server));
    }
}
