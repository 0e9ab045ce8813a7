package weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;

/** {@code --trace}, {@code --trace-json} and {@code --trace-all} on echo, ping and perf. */
class TraceOptionsTest {
    /** The human line: time, connection, arrow, layer, fields (weft.trace.TraceEvent). */
    private static final Pattern LINE = Pattern.compile("\\+\\d+\\.\\d{3}ms c\\d+ [→←·] [a-z]+( .*)?");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static Host server() throws IOException {
        return Host.start(HostConfig.defaults().withEcho(true).withPerf(true)
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
    }

    private List<String> traceLines() {
        return err.toString().lines().toList();
    }

    @Test
    void echoWithTracePrintsEveryLayersEventsOnStderrInTheFixedFormat() throws Exception {
        try (Host server = server()) {
            assertEquals(0, run("echo", "--dial", server.addresses().get(0).toString(), "--trace", "hi"),
                    err.toString());
        }
        assertEquals("hi", out.toString().strip());
        List<String> lines = traceLines();
        for (String line : lines) {
            assertTrue(LINE.matcher(line).matches(), line);
        }
        String all = String.join("\n", lines);
        assertTrue(all.contains("→ multistream /noise"), all);
        assertTrue(all.contains("→ noise handshake 1/3 tokens=e length=32"), all);
        assertTrue(all.contains("· noise secured peer=" + "12D3KooW"), all);
        assertTrue(Pattern.compile("→ multistream /echo/1\\.0\\.0 stream=\\d+").matcher(all).find(), all);
        assertTrue(all.contains("· yamux closed"), all);
        assertEquals(1, lines.stream().map(l -> l.split(" ")[1]).distinct().count(), "one connection: " + all);
    }

    @Test
    void echoOverQuicWithTracePrintsTheQuicConnectionTlsAndStreamLines() throws Exception {
        try (Host server = Host.start(HostConfig.defaults().withEcho(true)
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/udp/0/quic-v1"))))) {
            assertEquals(0, run("echo", "--dial", server.addresses().get(0).toString(), "--trace", "hi"),
                    err.toString());
        }
        assertEquals("hi", out.toString().strip());
        List<String> lines = traceLines();
        for (String line : lines) {
            assertTrue(LINE.matcher(line).matches(), line);
        }
        String all = String.join("\n", lines);
        assertTrue(Pattern.compile("· connection outbound local=/ip4/127\\.0\\.0\\.1/udp/\\d+/quic-v1 remote=")
                .matcher(all).find(), all);
        assertTrue(all.contains("· tls secured version=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256 alpn=libp2p peer="), all);
        assertTrue(Pattern.compile("→ quic STREAM opened stream=\\d+").matcher(all).find(), all);
        assertTrue(Pattern.compile("→ multistream /echo/1\\.0\\.0 stream=\\d+").matcher(all).find(), all);
        assertTrue(Pattern.compile("→ quic DATA stream=\\d+ length=\\d+").matcher(all).find(), all);
        assertTrue(Pattern.compile("← quic FIN stream=\\d+").matcher(all).find(), all);
        assertTrue(all.contains("· quic closed reason="), all);
        assertEquals(1, lines.stream().map(l -> l.split(" ")[1]).distinct().count(), "one connection: " + all);
    }

    @Test
    void pingWithTraceJsonWritesOneJsonObjectPerLineIncludingEachRtt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trace.jsonl");
        try (Host server = server()) {
            assertEquals(0, run("ping", server.addresses().get(0).toString(), "-n", "2", "--trace-json",
                    file.toString()), err.toString());
        }
        List<String> lines = Files.readAllLines(file);
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertTrue(line.startsWith("{\"t_ms\":") && line.endsWith("}") && line.contains("\"conn\":\"c"), line);
        }
        assertEquals(2, lines.stream().filter(l -> l.contains("\"layer\":\"ping\",\"stream\":")
                && l.contains("\"event\":\"pong\",\"rtt\":")).count(), String.join("\n", lines));
        assertEquals("", err.toString(), "no human lines without --trace");
    }

    @Test
    void perfSummarizesDataFramesUnlessTraceAll() {
        assertEquals(0, run("perf", "--upload-bytes", "1048576", "--download-bytes", "1048576", "--trace"),
                err.toString());
        String summarized = err.toString();
        assertTrue(summarized.contains("(summarized over"), summarized);
        assertTrue(summarized.contains("· perf uploaded stream="), summarized);
        long dataLines = summarized.lines().filter(l -> l.contains(" yamux DATA ")).count();

        err.getBuffer().setLength(0);
        assertEquals(0, run("perf", "--upload-bytes", "1048576", "--download-bytes", "1048576", "--trace",
                "--trace-all"), err.toString());
        String all = err.toString();
        assertFalse(all.contains("summarized"), all);
        assertTrue(all.lines().filter(l -> l.contains(" yamux DATA ")).count() > dataLines, summarized);
    }
}
