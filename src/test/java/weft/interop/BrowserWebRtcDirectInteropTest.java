package weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.crypto.PeerId;
import weft.host.ConnectionListener;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;
import weft.protocol.identify.IdentifyMessage;

/**
 * A real browser reaches weft: Debian's headless Chromium runs a page with js-libp2p 3.3.11 and
 * {@code @libp2p/webrtc} 6.0.33 (bundled by esbuild, the browser's own {@code RTCPeerConnection} underneath: its ICE
 * agent, DTLS and usrsctp), which dials a weft {@link Host} at its {@code /udp/N/webrtc-direct/certhash/...} address,
 * identifies it, echoes streams in parallel and pings. The driver is {@code src/test/interop/js-browser/drive.mjs}
 * (playwright-core); {@code .ci/install} installs Chromium and the npm packages.
 *
 * <p>Each echo payload is the xorshift32 sequence {@code app.js} generates from a seed; this test computes the same
 * bytes and checks the SHA-256 of what came back to the browser, so a reordered, dropped or doubled byte on either
 * direction of any data channel fails it.
 *
 * <p>Runs wherever {@code /usr/bin/chromium} exists; elsewhere it is skipped, saying so.
 */
@Tag("interop")
@Tag("browser")
class BrowserWebRtcDirectInteropTest {
    private static final Path DIR = Path.of("src", "test", "interop", "js-browser");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long RUN_LIMIT_SECONDS = 90;
    private static final String AGENT = "weft/interop-browser";

    private Host host;
    private Multiaddr address;
    /** What each peer told weft in identify, by peer. */
    private final Map<PeerId, CompletableFuture<IdentifyMessage>> identified = new ConcurrentHashMap<>();

    @BeforeAll
    static void chromiumAndPackagesAreThere() {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "browser interop skipped: no " + CHROMIUM + " (.ci/install installs Debian's chromium)");
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            throw new IllegalStateException("interop: run `npm ci --prefix " + DIR + "` first, as .ci/install does");
        }
    }

    @BeforeEach
    void listen() throws IOException {
        host = Host.start(HostConfig.defaults()
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/udp/0/webrtc-direct")))
                .withAgentVersion(AGENT).withEcho(true).withPerf(true));
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void identified(Connection connection, IdentifyMessage message) {
                identifyOf(connection.remotePeer()).complete(message);
            }
        });
        address = host.addresses().get(0);
    }

    @AfterEach
    void close() {
        host.close();
    }

    private CompletableFuture<IdentifyMessage> identifyOf(PeerId peer) {
        return identified.computeIfAbsent(peer, p -> new CompletableFuture<>());
    }

    private JsPeer.Run drive(String scenario, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "drive.mjs", address.toString(), scenario));
        command.addAll(List.of(options));
        return JsPeer.run(DIR, command, RUN_LIMIT_SECONDS);
    }

    /** app.js's echo payload: xorshift32 (shifts 13, 17, 5) from seed + index + 1, one low byte per step. */
    static byte[] payload(int seed, int index, int size) {
        byte[] out = new byte[size];
        int x = seed + index + 1;
        for (int k = 0; k < size; k++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            out[k] = (byte) x;
        }
        return out;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The run reports, for each echo stream of a round, exactly the bytes we expect back. */
    private static void assertEchoed(JsPeer.Run run, int seed, int... sizes) throws NoSuchAlgorithmException {
        for (int i = 0; i < sizes.length; i++) {
            String expected = "{\"stream\":" + i + ",\"sent\":" + sizes[i] + ",\"received\":" + sizes[i]
                    + ",\"equal\":true,\"sha256\":\"" + sha256(payload(seed, i, sizes[i])) + "\"}";
            assertTrue(run.json().contains(expected), "echo stream " + i + ": expected " + expected + " in\n" + run);
        }
    }

    @Test
    void chromiumDialsWeftEchoesParallelStreamsPingsAndIdentifies() throws Exception {
        int seed = 1234;
        int[] sizes = {1, 13, 1000, 16 * 1024, 100 * 1024}; // 16 KiB: one full webrtc message; 100 KiB: many
        JsPeer.Run run = drive("page", "--echo", "1,13,1000,16384,102400", "--seed", String.valueOf(seed), "--pings", "3");

        assertTrue(run.ok(), run.toString());
        assertEquals(List.of(host.peerId().toBase58()), run.strings("remotePeer"), run.toString());
        assertEchoed(run, seed, sizes);
        assertTrue(run.json().matches(".*\"rttsMillis\":\\[[0-9.]+,[0-9.]+,[0-9.]+].*"), run.toString());
        // the browser identified weft ...
        assertEquals(List.of(AGENT), run.strings("agentVersion"), run.toString());
        // ... and weft identified the browser: js-libp2p's browser agent carries navigator.userAgent
        PeerId browser = PeerId.parse(run.strings("localPeer").get(0));
        IdentifyMessage theirs = identifyOf(browser).get(10, TimeUnit.SECONDS);
        String agent = theirs.agentVersion();
        assertTrue(agent.startsWith("js-libp2p/3.3.11 browser/") && agent.contains("HeadlessChrome/"), agent);
    }

    /**
     * The seed of issue 10 with a browser: page A downloads from weft (so weft is sending to A when it dies), page B
     * echoes, then A's renderer is killed; weft's next datagrams to A's closed port draw ICMP port-unreachable. B
     * still echoes on its connection, and a new page C connects and echoes.
     */
    @Test
    void aCrashedTabEndsOnlyItsOwnConnectionAndTheListenerServesTheNextPage() throws Exception {
        int seed = 77;
        JsPeer.Run run = drive("crash", "--echo", "100,102400,5000", "--seed", String.valueOf(seed));

        assertTrue(run.ok(), run.toString());
        List<String> pages = run.strings("localPeer"); // A, B, C
        assertEquals(3, pages.size(), run.toString());
        assertEquals(3, pages.stream().distinct().count(), run.toString());
        assertEchoed(run, seed, 100, 102400, 5000); // B before the crash
        assertEchoed(run, seed + 100, 100, 102400, 5000); // B after it
        assertEchoed(run, seed + 200, 100, 102400, 5000); // C
        assertTrue(host.connection(PeerId.parse(pages.get(2))).isPresent(), "weft lost C's connection");
    }
}
