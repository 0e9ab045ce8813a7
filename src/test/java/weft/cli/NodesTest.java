package weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;
import weft.transport.webrtc.WebRtcDirectTransport;

class NodesTest {
    private static final List<Multiaddr> WEBRTC = List.of(Multiaddr.parse("/ip4/127.0.0.1/udp/0/webrtc-direct"));

    @TempDir
    Path dir;

    private static Multiaddr webRtcAddress(HostConfig config) throws Exception {
        try (Host host = Host.start(config)) {
            return host.addresses().stream().filter(WebRtcDirectTransport::isWebRtcDirect).findFirst().orElseThrow();
        }
    }

    @Test
    void aWebRtcListenerWithAKeyFileKeepsItsCertificateBesideItAndItsCerthashAcrossRuns() throws Exception {
        Path key = dir.resolve("node.key");
        Multiaddr first = webRtcAddress(Nodes.config(key, WEBRTC, new StackOptions()));
        assertTrue(Files.exists(dir.resolve("node.key.webrtc")));
        Multiaddr second = webRtcAddress(Nodes.config(key, WEBRTC, new StackOptions()));
        assertEquals(first.valueOf("certhash"), second.valueOf("certhash"));
        assertEquals(first.peerId(), second.peerId());
    }

    @Test
    void noCertificateFileWithoutAWebRtcListenerOrWithoutAKeyFile() throws Exception {
        Path key = dir.resolve("node.key");
        HostConfig tcp = Nodes.config(key, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), new StackOptions());
        assertNull(tcp.webRtcCertificate());
        assertFalse(Files.exists(dir.resolve("node.key.webrtc")));
        assertNull(Nodes.config(null, WEBRTC, new StackOptions()).webRtcCertificate());
    }
}
