package weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;

/** {@code weft echo|ping} against a {@code /udp/N/webrtc-direct/certhash/...} multiaddr: the host dials it. */
class CliWebRtcDirectTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Host server;

    CliWebRtcDirectTest() throws IOException {
        server = Host.start(HostConfig.defaults().withEcho(true)
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/udp/0/webrtc-direct"))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String address() {
        return server.addresses().get(0).toString();
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
