package weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code weft echo|ping} against a {@code /udp/N/webrtc-direct/certhash/...} multiaddr: the host dials it. */
class CliWebRtcDirectTest extends CliDialTest {
    CliWebRtcDirectTest() throws IOException {
        super("/ip4/127.0.0.1/udp/0/webrtc-direct");
    }

    @Test
    void echoDialsAWebRtcDirectAddress() {
        assertTrue(address().contains("/webrtc-direct/certhash/"), address());
        assertEquals(0, run("echo", "--dial", address(), "hello webrtc"), err.toString());
        assertEquals("hello webrtc", out.toString().strip());
    }

    @Test
    void pingDialsAWebRtcDirectAddress() {
        assertEquals(0, run("ping", address(), "-n", "2"), err.toString());
        assertEquals(2, out.toString().lines().count(), out.toString());
    }
}
