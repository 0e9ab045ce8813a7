package weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.host.ConnectionListener;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static Host echoServer() throws IOException {
        return Host.start(HostConfig.defaults().withEcho(true).withPerf(true)
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
    }

    @Test
    void echoDialPrintsTheEchoedText() throws Exception {
        try (Host server = echoServer()) {
            assertEquals(0, run("echo", "--dial", server.addresses().get(0).toString(), "hello weft"), err.toString());
            assertEquals("hello weft", out.toString().strip());
        }
    }

    @Test
    void pingPrintsOneLinePerPing() throws Exception {
        try (Host server = echoServer()) {
            assertEquals(0, run("ping", server.addresses().get(0).toString(), "-n", "3"), err.toString());
            List<String> lines = out.toString().lines().toList();
            assertEquals(3, lines.size(), out.toString());
            assertTrue(lines.get(2).matches("ping 3: [0-9.]+ ms"), lines.get(2));
        }
    }

    @Test
    void perfWithoutAddressesRunsServerAndClientInProcessAndReportsBothDirections() {
        assertEquals(0, run("perf", "--upload-bytes", "1048576", "--download-bytes", "2097152"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("upload: 1048576 bytes in "), text);
        assertTrue(text.contains("download: 2097152 bytes in "), text);
    }

    @Test
    void perfDialWithJsonEndsWithTheRunnersFinalLine() throws Exception {
        try (Host server = echoServer()) {
            assertEquals(0, run("perf", "--dial", server.addresses().get(0).toString(), "--upload-bytes", "1000",
                    "--download-bytes", "2000", "--json"), err.toString());
            List<String> lines = out.toString().lines().toList();
            String last = lines.get(lines.size() - 1);
            assertTrue(last.matches("\\{\"type\":\"final\",\"timeSeconds\":[0-9.]+,\"uploadBytes\":1000,\"downloadBytes\":2000}"),
                    last);
        }
    }

    @Test
    void aMalformedMultiaddrIsAUsageErrorWithExitCode2() {
        assertEquals(2, run("ping", "/ip4/999.1.1.1/tcp/1"));
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("weft: ") && lines.get(0).contains("'999.1.1.1'"), lines.get(0));
    }

    @Test
    void aRefusedDialExitsWith1AndOneLineOnStderr() throws Exception {
        Multiaddr gone;
        try (Host server = echoServer()) {
            gone = server.addresses().get(0);
        }
        assertEquals(1, run("ping", gone.toString(), "-n", "1"));
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("weft: tcp: dial " + gone), lines.get(0));
    }

    @Test
    void aProtocolThePeerDoesNotSpeakExitsWith1() throws Exception {
        try (Host server = Host.start(HostConfig.defaults()
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))))) {
            assertEquals(1, run("echo", "--dial", server.addresses().get(0).toString()));
            assertEquals("weft: multistream: peer supports none of [/echo/1.0.0] (1 offered)", err.toString().strip());
        }
    }

    /** The connections {@code server} accepts, as they are adopted. */
    private static LinkedBlockingQueue<Connection> acceptedBy(Host server) {
        LinkedBlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
        server.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(Connection connection) {
                accepted.add(connection);
            }
        });
        return accepted;
    }

    @Test
    void echoDialSpeaksTheChosenSecurityAndMuxerAndLeavesBouncyCastlesInfoLinesOut() throws Exception {
        try (Host server = Host.start(HostConfig.defaults().withEcho(true)
                .withSecurity(HostConfig.Security.TLS).withMuxers(HostConfig.Muxer.MPLEX)
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws"))))) {
            LinkedBlockingQueue<Connection> accepted = acceptedBy(server);
            assertEquals(0, run("echo", "--dial", server.addresses().get(0).toString(), "--security", "tls",
                    "--muxer", "mplex", "over tls"), err.toString());
            assertEquals("over tls", out.toString().strip());
            Connection connection = accepted.take();
            assertEquals("/tls/1.0.0", connection.securityProtocol());
            assertEquals("/mplex/6.7.0", connection.muxerProtocol());
            assertFalse(java.util.logging.Logger.getLogger("org.bouncycastle.jsse.provider")
                    .isLoggable(java.util.logging.Level.INFO));
        }
    }

    @Test
    void securityAndMuxerListsAreTriedInOrderUntilThePeerSpeaksOne() throws Exception {
        try (Host server = echoServer()) { // Noise then TLS, yamux: the defaults
            LinkedBlockingQueue<Connection> accepted = acceptedBy(server);
            assertEquals(0, run("echo", "--dial", server.addresses().get(0).toString(), "--security", "TLS,noise",
                    "--muxer", "mplex", "--muxer", "yamux", "x"), err.toString());
            Connection connection = accepted.take();
            assertEquals("/tls/1.0.0", connection.securityProtocol());
            assertEquals("/yamux/1.0.0", connection.muxerProtocol());
        }
    }

    @Test
    void aSecurityProtocolThePeerLacksExitsWith1() throws Exception {
        try (Host server = Host.start(HostConfig.defaults().withSecurity(HostConfig.Security.NOISE)
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))))) {
            assertEquals(1, run("ping", server.addresses().get(0).toString(), "--security", "tls"));
            assertEquals("weft: multistream: peer supports none of [/tls/1.0.0] (1 offered)", err.toString().strip());
        }
    }

    @Test
    void anUnknownMuxerIsAUsageErrorWithExitCode2() {
        assertEquals(2, run("ping", "/ip4/127.0.0.1/tcp/1", "--muxer", "spdy"));
        assertTrue(err.toString().startsWith("weft: ") && err.toString().contains("spdy"), err.toString());
    }
}
