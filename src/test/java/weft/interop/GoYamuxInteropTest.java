package weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.mux.MuxedConnection;
import weft.mux.yamux.Yamux;

/**
 * weft's yamux against Go's hashicorp/yamux over plain TCP, in both directions: weft dials a Go listener (weft
 * opens the streams, Go's side runs {@code yamuxpeer listen}), and Go dials a weft listener (Go opens the streams,
 * weft's side runs {@link ScenarioAcceptor}). Each scenario is the same wire conversation both ways; the stream
 * protocol is described in {@code src/test/interop/go/yamuxpeer/main.go}.
 *
 * <p>The Go side is Debian's snapshot of hashicorp/yamux (0.0+git20190923) with its {@code DefaultConfig}: a fixed
 * 256 KiB window per stream (no auto-tuning), accept backlog 256. It sends DATA frames as large as its whole send
 * window, SYN/ACK/FIN as WINDOW_UPDATE frames, and no GO_AWAY on close; it has no half-close (its {@code Close}
 * sends FIN) and no stream reset, so the Go peer writes go-yamux v5's RST frame itself (WINDOW_UPDATE|RST,
 * Length = error code).
 *
 * <p>Each side checks what it receives byte for byte; the opener finally asks the acceptor for its verdict
 * ({@code status}); the Go side also fails if hashicorp logged a protocol error (an {@code [ERR]} line other than an
 * I/O failure: unexpected FIN, receive window exceeded, ACK for an unknown stream...). Go's output
 * (with the transfer rates) is logged; on a failure it is logged as an error next to the failure.
 */
@Tag("interop")
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GoYamuxInteropTest {
    private static final Logger log = LoggerFactory.getLogger(GoYamuxInteropTest.class);
    private static final long BULK = 256L << 20; // the "256 MiB transfer", in each direction
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private GoYamuxPeer go;
    private MuxedConnection session;
    private ScenarioAcceptor acceptor;

    @RegisterExtension
    final AfterTestExecutionCallback logGoOutputOnFailure = context -> {
        if (context.getExecutionException().isPresent() && go != null) {
            log.error("{} failed; the Go peer said:\n{}", context.getDisplayName(), go.output());
        }
    };

    /** Builds the Go peer once (if needed); skips each test, saying why, when Go is not installed. */
    @BeforeEach
    void goPeerIsBuilt() throws Exception {
        GoYamuxPeer.binary();
    }

    @AfterEach
    void stopBothSides() throws Exception {
        try {
            if (session != null) {
                session.close(); // a no-op if the test closed it already
            }
        } finally {
            if (acceptor != null) {
                acceptor.close();
            }
            if (go != null) {
                go.close(); // kills the process if it still runs
            }
        }
    }

    @Nested
    class WeftDialsGoListener {
        @Test
        void goEchoesOneHundredParallelStreams() throws Exception {
            weftDials(session -> {
                long bytes = ScenarioOpener.echo(session, 100);
                log.info("weft -> go: 100 parallel echo streams, {} bytes each way", bytes);
            });
        }

        @Test
        void goEchoes256MiBOnOneStreamWhileWeftStillWrites() throws Exception {
            weftDials(session -> {
                long start = System.nanoTime();
                ScenarioOpener.echoOne(session, 9, BULK);
                log.info("weft -> go: {} bytes echoed on one stream: {} each way", BULK, rate(BULK, start));
            });
        }

        @Test
        void goReadsAll256MiBAndAnswersAfterWeftHalfClosed() throws Exception {
            weftDials(session -> {
                long start = System.nanoTime();
                ScenarioOpener.sink(session, BULK);
                log.info("weft -> go: {} bytes weft to go: {}", BULK, rate(BULK, start));
            });
        }

        @Test
        void weftReadsAll256MiBGoSendsByteForByte() throws Exception {
            weftDials(session -> {
                long start = System.nanoTime();
                ScenarioOpener.source(session, BULK, 42);
                log.info("weft -> go: {} bytes go to weft: {}", BULK, rate(BULK, start));
            });
        }

        @Test
        void goClosesFirstAndStillReadsWhatWeftWritesAfterwards() throws Exception {
            weftDials(session -> ScenarioOpener.finFirst(session, 300_000, 500_000, 7));
        }

        @Test
        void goResetFailsWeftReadAndWriteWithStreamResetException() throws Exception {
            weftDials(session -> {
                ScenarioOpener.resetByAcceptor(session, 0);
                ScenarioOpener.resetByAcceptor(session, 0x1001);
            });
        }

        @Test
        void weftResetFailsGoReadAndWrite() throws Exception {
            weftDials(ScenarioOpener::resetByOpener);
        }

        @Test
        void goGoAwayStopsWeftOpeningStreamsWhileTheOpenStreamFinishes() throws Exception {
            go = GoYamuxPeer.listen();
            session = new Yamux().start(new SocketDuplexStream(new Socket(LOOPBACK, go.port(STARTUP))), true);
            String refused = ScenarioOpener.goAway(session);
            session.close();
            assertGoExitsCleanly("open after GO_AWAY failed with \"" + refused + "\"");
        }

        @Test
        void goHangingUpWakesWeftReadAcceptAndOpenWithConnectionClosedException() throws Exception {
            go = GoYamuxPeer.listen();
            session = new Yamux().start(new SocketDuplexStream(new Socket(LOOPBACK, go.port(STARTUP))), true);
            ScenarioOpener.hangup(session);
            assertGoExitsCleanly("go listener hung up");
        }
    }

    @Nested
    class GoDialsWeftListener {
        @Test
        void weftEchoesOneHundredParallelStreams() throws Exception {
            goDials("echo100");
        }

        @Test
        void weftEchoes256MiBOnOneStreamWhileGoStillWrites() throws Exception {
            goDials("echobig");
        }

        @Test
        void weftReadsAll256MiBAndAnswersAfterGoClosed() throws Exception {
            goDials("sink");
        }

        @Test
        void goReadsAll256MiBWeftSendsByteForByte() throws Exception {
            goDials("source");
        }

        @Test
        void weftHalfClosesFirstAndStillReadsWhatGoWritesAfterwards() throws Exception {
            goDials("finfirst");
        }

        @Test
        void weftResetFailsGoReadAndWrite() throws Exception {
            goDials("reset");
        }

        @Test
        void goResetFailsWeftReadAndWriteWithStreamResetException() throws Exception {
            goDials("awaitreset");
        }

        @Test
        void weftHangingUpEndsGoStreamsAndSession() throws Exception {
            goDials("hangup");
        }
    }

    interface Scenario {
        void run(MuxedConnection session) throws Exception;
    }

    /** weft dials {@code yamuxpeer listen}, runs the scenario as opener, then checks Go's verdict and exit. */
    private void weftDials(Scenario scenario) throws Exception {
        go = GoYamuxPeer.listen();
        int port = go.port(STARTUP);
        session = new Yamux().start(new SocketDuplexStream(new Socket(LOOPBACK, port)), true);
        scenario.run(session);
        String status = ScenarioOpener.status(session);
        session.close();
        assertGoExitsCleanly("go listener says " + status);
    }

    private void assertGoExitsCleanly(String what) throws InterruptedException {
        int exit = go.awaitExit(STARTUP);
        log.info("{}; its output:\n{}", what, go.output());
        assertEquals(0, exit, "go listener exit status (non-zero: a stream failed or yamux logged a protocol error)\n"
                + go.output());
    }

    /** {@code yamuxpeer dial} connects to a weft listener and drives the scenario; weft runs the acceptor. */
    private void goDials(String scenario) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            server.setSoTimeout((int) STARTUP.toMillis());
            go = GoYamuxPeer.dial(server.getLocalPort(), scenario);
            Socket socket = server.accept();
            session = new Yamux().start(new SocketDuplexStream(socket), false);
        }
        acceptor = ScenarioAcceptor.serve(session);
        int exit = go.awaitExit(Duration.ofMinutes(2));
        log.info("go dialer ran {}; its output:\n{}", scenario, go.output());
        assertEquals(0, exit, "go dialer exit status\n" + go.output());
        List<String> stdout = go.stdout();
        assertTrue(stdout.stream().anyMatch(line -> line.startsWith("OK " + scenario + " ")), "go says\n" + stdout);
        if (!scenario.equals("hangup")) {
            assertTrue(stdout.stream().anyMatch(line -> line.startsWith("OK status ")), "go says\n" + stdout);
        }
        assertTrue(acceptor.awaitIdle(0, STARTUP), "weft's stream handlers still running");
        assertEquals(List.of(), acceptor.failures(), "weft's stream handlers");
        // Go is gone (hashicorp closes the TCP connection without GO_AWAY): weft's accept must not hang.
        assertInstanceOf(ConnectionClosedException.class, acceptor.acceptEnded(STARTUP), "how accept ended");
    }

    private static String rate(long bytes, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return String.format("%.2f s, %.0f MiB/s", seconds, bytes / 1048576.0 / seconds);
    }
}
