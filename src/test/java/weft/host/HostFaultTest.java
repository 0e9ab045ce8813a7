package weft.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static weft.host.Rogue.ACK;
import static weft.host.Rogue.DATA;
import static weft.host.Rogue.GO_AWAY;
import static weft.host.Rogue.PING;
import static weft.host.Rogue.SYN;
import static weft.host.Rogue.WINDOW_UPDATE;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import weft.ConnectionClosedException;
import weft.ProtocolViolationException;
import weft.connection.Connection;
import weft.multiformats.Multiaddr;
import weft.multistream.MultistreamSelect;
import weft.mux.ErrorCode;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;
import weft.mux.yamux.YamuxConfig;
import weft.mux.yamux.YamuxSession;
import weft.protocol.echo.Echo;
import weft.security.SecureConnection;
import weft.testing.Background;
import weft.testing.FaultyConnection;
import weft.testing.FaultyConnection.Fault;
import weft.testing.WeftThreads;

/**
 * Peers that vanish, stall, or break yamux rules against a real {@link Host} over TCP. For each: the affected
 * connection or stream fails with the documented exception, every blocked call is released, a concurrent good
 * client keeps working, and the server's threads and stream maps return to where they were.
 */
class HostFaultTest {
    private static final List<Multiaddr> LOOPBACK = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
    private static final String SINK = "/test/sink/1.0.0";
    private static final String SOURCE = "/test/source/1.0.0";
    private static final int SOURCE_BYTES = 4 << 20;

    /** What each sink stream saw: the CRC of every byte it read and how many, or the exception. */
    record Outcome(long bytes, long crc, IOException failure) {}

    private final LinkedBlockingQueue<Outcome> sinkOutcomes = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Outcome> sourceOutcomes = new LinkedBlockingQueue<>();
    private final Host server;
    private final GoodClient good;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private int baselineThreads;

    HostFaultTest() throws IOException {
        server = Host.start(HostConfig.defaults().withListenAddresses(LOOPBACK).withEcho(true)
                .withUpgradeTimeout(Duration.ofMillis(500))
                .withLimits(Limits.defaults().withNegotiationTimeout(Duration.ofSeconds(1)))
                // a peer that stops answering is found by keep-alive: ping after 300 ms of silence, 1 s for the pong
                .withYamux(YamuxConfig.defaults().withKeepAlive(true, Duration.ofMillis(300))
                        .withConnectionWriteTimeout(Duration.ofSeconds(1))));
        server.setStreamHandler(SINK, (stream, connection) -> sinkOutcomes.add(drain(stream)));
        server.setStreamHandler(SOURCE, (stream, connection) -> sourceOutcomes.add(fill(stream)));
        good = new GoodClient(server);
    }

    private static Outcome drain(MuxedStream stream) {
        CRC32 crc = new CRC32();
        long n = 0;
        byte[] buf = new byte[32 * 1024];
        try {
            int r;
            while ((r = stream.read(buf, 0, buf.length)) >= 0) {
                crc.update(buf, 0, r);
                n += r;
            }
            stream.close();
            return new Outcome(n, crc.getValue(), null);
        } catch (IOException e) {
            return new Outcome(n, crc.getValue(), e);
        }
    }

    private static Outcome fill(MuxedStream stream) {
        byte[] data = data(SOURCE_BYTES, 3);
        try {
            stream.write(data, 0, data.length);
            stream.close();
            return new Outcome(data.length, crc(data), null);
        } catch (IOException e) {
            return new Outcome(0, 0, e);
        }
    }

    static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        good.close();
        server.close();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    /** Takes the thread baseline once the good client has done its first round. */
    private void baseline() throws IOException {
        good.check();
        WeftThreads.await("the good client's first round is served", () -> serverStreams() == 0);
        baselineThreads = WeftThreads.count();
    }

    /** The fault is over: the server is back to the baseline and the good client still works. */
    private void assertServerRecovered() throws IOException {
        WeftThreads.await("only the good client's connection is left", () -> server.connections().size() == 1);
        WeftThreads.await("the server's streams are gone", () -> serverStreams() == 0);
        WeftThreads.awaitAtMost(baselineThreads);
        good.check();
    }

    private int serverStreams() {
        int n = 0;
        for (Connection c : server.connections()) {
            n += ((YamuxSession) c.muxedConnection()).streamCount();
        }
        return n;
    }

    private FaultyConnection faulty(int writesBeforeFault, Fault fault) throws IOException {
        return closeLater(FaultyConnection.connect(Rogue.port(server), writesBeforeFault, fault));
    }

    // ---- the handshake

    /**
     * Step 0: connected, sent nothing. 1: sent multistream and /noise, stops before Noise message 1. 2: sent Noise
     * message 1, stops before message 3. 3: without early muxer negotiation, Noise done, stops before proposing
     * yamux.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void aPeerStallingInAnyHandshakeStepIsCutOffByTheUpgradeDeadlineAndTheListenerKeepsAccepting(int step)
            throws Exception {
        baseline();
        FaultyConnection raw = faulty(step, Fault.STALL);
        Background<Connection> dialer = Background.start(
                () -> Rogue.upgrader(weft.crypto.PrivateKey.generate(), step < 3, YamuxConfig.defaults())
                        .upgradeOutbound(raw, server.peerId()));
        WeftThreads.await("the rogue reached its stall", () -> raw.writes() > step);
        assertServerHangsUp(raw.input());
        raw.close();
        assertThrows(IOException.class, dialer::join);
        assertServerRecovered();
        try (Host late = Host.start(HostConfig.defaults())) {
            byte[] hi = "the listener still accepts".getBytes();
            Echo.echo(late.newStream(server.addresses().get(0), Echo.PROTOCOL_ID), hi);
        }
    }

    /** The server closed: end of stream, or a reset when it closed with our bytes unread. */
    private static void assertServerHangsUp(InputStream in) throws IOException {
        try {
            in.readAllBytes();
        } catch (SocketException reset) {
            // "Connection reset": closed with unread input, as good as a FIN here
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void aPeerResettingAtAnyHandshakeStepCostsTheServerNothing(int step) throws Exception {
        baseline();
        FaultyConnection raw = faulty(step, Fault.RESET);
        assertThrows(IOException.class, () -> Rogue.upgrader(weft.crypto.PrivateKey.generate(), step < 3,
                YamuxConfig.defaults()).upgradeOutbound(raw, server.peerId()));
        assertServerRecovered();
    }

    // ---- vanishing mid-transfer

    @Test
    void aPeerResettingInTheMiddleOfAnUploadFailsTheServersReadNeverAShortStream() throws Exception {
        baseline();
        FaultyConnection raw = faulty(Integer.MAX_VALUE, Fault.STALL);
        Connection rogue = Rogue.connect(server, raw, YamuxConfig.defaults().withKeepAlive(false, Duration.ofDays(1)));
        MuxedStream upload = rogue.openStream();
        MultistreamSelect.select(upload, List.of(SINK));
        byte[] chunk = data(64 * 1024, 1);
        for (int i = 0; i < 8; i++) {
            upload.write(chunk, 0, chunk.length);
        }
        raw.resetNow();
        Outcome seen = sinkOutcomes.poll(30, TimeUnit.SECONDS);
        assertNotNull(seen, "the sink handler ended");
        assertInstanceOf(ConnectionClosedException.class, seen.failure(), "the reader saw the reset");
        assertTrue(seen.bytes() <= 8 * chunk.length);
        assertEquals(crcOfRepeated(chunk, seen.bytes()), seen.crc(), "every byte read is a byte sent");
        assertThrows(IOException.class, () -> upload.write(chunk, 0, chunk.length));
        assertServerRecovered();
    }

    private static long crcOfRepeated(byte[] chunk, long n) {
        CRC32 c = new CRC32();
        for (long done = 0; done < n; ) {
            int len = (int) Math.min(chunk.length, n - done);
            c.update(chunk, 0, len);
            done += len;
        }
        return c.getValue();
    }

    @Test
    void aPeerResettingInTheMiddleOfADownloadFailsTheServersWrite() throws Exception {
        baseline();
        FaultyConnection raw = faulty(Integer.MAX_VALUE, Fault.STALL);
        Connection rogue = Rogue.connect(server, raw, YamuxConfig.defaults().withKeepAlive(false, Duration.ofDays(1)));
        MuxedStream download = rogue.openStream();
        MultistreamSelect.select(download, List.of(SOURCE));
        byte[] got = download.input().readNBytes(300 * 1024);
        assertEquals(crc(java.util.Arrays.copyOf(data(SOURCE_BYTES, 3), got.length)), crc(got));
        raw.resetNow();
        Outcome seen = sourceOutcomes.poll(30, TimeUnit.SECONDS);
        assertNotNull(seen, "the source handler ended");
        assertInstanceOf(ConnectionClosedException.class, seen.failure(), "the writer saw the reset");
        // Bytes that arrived before the reset stay readable (bounded by the window we granted); after them the
        // read must fail, never end cleanly: a clean EOF would be a silently short download.
        assertThrows(IOException.class, () -> {
            byte[] buf = new byte[64 * 1024];
            while (download.input().read(buf) >= 0) {
                // drain what was buffered before the reset
            }
            fail("the download ended with EOF although the server never finished it");
        });
        assertServerRecovered();
    }

    @Test
    void aPeerThatStopsReadingIsDroppedByKeepAliveAndItsBlockedStreamsAreReleased() throws Exception {
        baseline();
        FaultyConnection raw = faulty(Integer.MAX_VALUE, Fault.STALL);
        Connection rogue = Rogue.connect(server, raw, YamuxConfig.defaults().withKeepAlive(false, Duration.ofDays(1)));
        MuxedStream download = rogue.openStream();
        MultistreamSelect.select(download, List.of(SOURCE));
        raw.stopReading(); // alive, but reads nothing more: the server's writes block on the window, pings go unanswered
        Outcome seen = sourceOutcomes.poll(30, TimeUnit.SECONDS);
        assertNotNull(seen, "the blocked source handler was released");
        ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, seen.failure());
        assertTrue(e.getMessage().contains("keep-alive"), e.getMessage());
        WeftThreads.await("the server dropped the silent peer", () -> server.connections().size() == 1);
        raw.close(); // the rogue's own session threads, stuck in its stalled read, end with it
        assertServerRecovered();
    }

    /**
     * A peer that completes the upgrade (Noise with yamux selected inside it) and then does nothing at all: opens
     * nothing, accepts nothing, sends nothing, not even a pong. The server's keep-alive finds it (a PING after
     * 300 ms of silence here, 30 s by default; no pong within the connection write timeout, 1 s here, 10 s by
     * default) and ends the connection; a read blocked on a stream the server opened to it is released.
     */
    @Test
    void aPeerSilentRightAfterMuxerSelectionIsDroppedByKeepAliveAndBlockedCallsAreReleased() throws Exception {
        baseline();
        FaultyConnection raw = faulty(Integer.MAX_VALUE, Fault.STALL);
        SecureConnection silent = Rogue.secure(server, raw); // the muxer is chosen; from now on, silence
        WeftThreads.await("the server adopted the connection",
                () -> server.connection(silent.localPeer()).isPresent());
        Connection toSilent = server.connection(silent.localPeer()).orElseThrow();
        MuxedStream opened = toSilent.openStream(); // its SYN is never acknowledged
        Background<Integer> blockedRead = Background.start(() -> opened.read(new byte[1], 0, 1));
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, blockedRead::join);
        assertTrue(e.getMessage().contains("keep-alive"), e.getMessage());
        assertThrows(ConnectionClosedException.class, toSilent::openStream);
        WeftThreads.await("the server dropped the silent peer", () -> server.connections().size() == 1);
        raw.close();
        assertServerRecovered();
    }

    // ---- yamux rules broken on a live connection

    enum Violation {
        WINDOW_OVERFLOW, WRONG_PARITY, DUPLICATE_SYN, UNREQUESTED_PONG
    }

    @ParameterizedTest
    @EnumSource(Violation.class)
    void aYamuxRuleViolationClosesOnlyThatConnectionWithGoAwayProtocolError(Violation violation) throws Exception {
        baseline();
        FaultyConnection raw = faulty(Integer.MAX_VALUE, Fault.STALL);
        SecureConnection secure = Rogue.secure(server, raw);
        OutputStream out = secure.output();
        Background<Void> overflow = null;
        switch (violation) {
            case WINDOW_OVERFLOW -> {
                Rogue.send(out, WINDOW_UPDATE, SYN, 1, 0, null);
                // The server gives up at the frame's header, maybe while we still write its payload: write it from
                // another thread. The server drains what we send before it closes (a lingering close), so this write
                // completes: a RST would fail it, and the failed write would close our Noise session unread.
                overflow = Background.start(() -> {
                    Rogue.send(out, DATA, 0, 1, 256 * 1024 + 1, new byte[256 * 1024 + 1]);
                    return null;
                });
            }
            case WRONG_PARITY -> Rogue.send(out, WINDOW_UPDATE, SYN, 2, 0, null); // we dialed: ours are odd
            case DUPLICATE_SYN -> {
                Rogue.send(out, WINDOW_UPDATE, SYN, 1, 0, null);
                Rogue.send(out, WINDOW_UPDATE, SYN, 1, 0, null);
            }
            case UNREQUESTED_PONG -> Rogue.send(out, PING, ACK, 0, 12345, null);
        }
        Rogue.Frame goAway = Rogue.readUntil(secure.input(), GO_AWAY, 0);
        assertNotNull(goAway, "GO_AWAY before the end");
        assertEquals(1, goAway.length(), "protocol error");
        assertNull(Rogue.read(secure.input()), "then the connection ends (FIN after the GO_AWAY, not a reset)");
        if (overflow != null) {
            overflow.join(); // every byte we sent was taken
        }
        assertServerRecovered();
    }

    @Test
    void dataOnAnUnknownStreamIsDroppedAndTheConnectionLivesOn() throws Exception {
        baseline();
        FaultyConnection raw = faulty(Integer.MAX_VALUE, Fault.STALL);
        SecureConnection secure = Rogue.secure(server, raw);
        // The session answers before the host has registered the connection: wait for that first.
        WeftThreads.await("the server adopted the connection",
                () -> server.connection(secure.localPeer()).isPresent());
        Rogue.send(secure.output(), DATA, 0, 99, 10, new byte[10]);
        Rogue.send(secure.output(), PING, SYN, 0, 4242, null);
        Rogue.Frame pong = Rogue.readUntil(secure.input(), PING, ACK);
        assertNotNull(pong);
        assertEquals(4242, pong.length());
        assertTrue(server.connection(secure.localPeer()).isPresent(), "the connection is still up");
        raw.close();
        assertServerRecovered();
    }

    // ---- floods

    @Test
    void aStreamFloodIsCutAtTheStreamLimitWithResourceLimitExceededAndTheRestTimeOutInNegotiation()
            throws Exception {
        server.close();
        Host limited = closeLater(Host.start(HostConfig.defaults().withListenAddresses(LOOPBACK).withEcho(true)
                .withLimits(Limits.defaults().withNegotiationTimeout(Duration.ofSeconds(2)))
                .withYamux(YamuxConfig.defaults().withMaxIncomingStreams(32))));
        try (GoodClient other = new GoodClient(limited)) {
            FaultyConnection raw = closeLater(FaultyConnection.connect(Rogue.port(limited), Integer.MAX_VALUE,
                    Fault.STALL));
            Connection rogue = Rogue.connect(limited, raw, YamuxConfig.defaults());
            List<MuxedStream> flood = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                flood.add(rogue.openStream()); // SYN and nothing more: no multistream proposal
            }
            ConcurrentHashMap<Integer, AtomicInteger> codes = new ConcurrentHashMap<>();
            for (MuxedStream s : flood) {
                StreamResetException e = assertThrows(StreamResetException.class, () -> s.input().read());
                codes.computeIfAbsent(e.errorCode(), c -> new AtomicInteger()).incrementAndGet();
            }
            assertEquals(java.util.Set.of(ErrorCode.PROTOCOL_NEGOTIATION_FAILED, ErrorCode.RESOURCE_LIMIT_EXCEEDED),
                    codes.keySet(), codes.toString());
            other.check();
            rogue.close();
        }
    }

    @Test
    void aPingFloodIsAnsweredAtMostUpToThePingBacklogAndTheConnectionLivesOn() throws Exception {
        baseline();
        FaultyConnection raw = faulty(Integer.MAX_VALUE, Fault.STALL);
        SecureConnection secure = Rogue.secure(server, raw);
        ByteArrayOutputStream flood = new ByteArrayOutputStream();
        int pings = 20_000;
        for (int i = 0; i < pings; i++) {
            Rogue.send(flood, PING, SYN, 0, i, null);
        }
        secure.output().write(flood.toByteArray());
        good.check(); // while the flood is being handled
        // Now read it all back. A marker ping tells when the server has caught up; a marker can itself be dropped
        // while the pong backlog is full, so every keep-alive PING the server sends us (we answer it like a good
        // peer) is a cue to send a new one.
        int pongs = 0;
        int marker = -1;
        Rogue.send(secure.output(), PING, SYN, 0, marker, null);
        while (true) {
            Rogue.Frame f = Rogue.read(secure.input());
            assertNotNull(f, "the connection ended");
            if (f.type() == PING && f.flags() == SYN) {
                Rogue.send(secure.output(), PING, ACK, 0, f.length(), null);
                Rogue.send(secure.output(), PING, SYN, 0, --marker, null);
            } else if (f.type() == PING && f.flags() == ACK) {
                if (f.length() < 0) {
                    break;
                }
                pongs++;
            }
        }
        assertTrue(pongs <= pings, pongs + " pongs");
        assertEquals(2, server.connections().size(), "the flooding connection is still up");
        raw.close();
        assertServerRecovered();
    }

    // ---- GO_AWAY against opens

    @Test
    void goAwayRacingWithOpensFailsOrCompletesEachExchangeExactlyAndNothingHangs() throws Exception {
        baseline();
        Host racer = closeLater(Host.start(HostConfig.defaults()));
        Multiaddr address = server.addresses().get(0);
        racer.connect(address);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Background<Void>> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            long seed = t;
            threads.add(Background.start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < 40; i++) {
                    byte[] message = new byte[1 + random.nextInt(64 * 1024)];
                    random.nextBytes(message);
                    try {
                        Echo.echo(racer.newStream(address, Echo.PROTOCOL_ID), message); // exact, or it throws
                        done.incrementAndGet();
                    } catch (ProtocolViolationException corrupt) {
                        throw corrupt; // a short or different echo: never allowed
                    } catch (IOException expected) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (int round = 0; round < 5; round++) {
            int before = done.get() + failed.get();
            WeftThreads.await("exchanges are running", () -> done.get() + failed.get() > before);
            server.connection(racer.peerId()).ifPresent(c -> {
                try {
                    c.close(); // GO_AWAY while the racer opens streams
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        for (Background<Void> t : threads) {
            t.join();
        }
        assertEquals(240, done.get() + failed.get());
        racer.close();
        assertServerRecovered();
    }
}
