package weft.multistream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.ProtocolViolationException;
import weft.io.DuplexStream;

class MultistreamSelectTest {
    // Byte examples from the facts sheet §4 (multistream-select README framing).
    private static final byte[] HEADER = hex("132f6d756c746973747265616d2f312e302e300a");
    private static final byte[] NOISE = hex("072f6e6f6973650a");
    private static final byte[] TLS = hex("0b2f746c732f312e302e300a");
    private static final byte[] YAMUX = hex("0d2f79616d75782f312e302e300a");
    private static final byte[] NA = hex("036e610a");
    private static final byte[] LS = hex("036c730a");

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void dialerSendsHeaderAndProposalInOneFlushedWrite() throws IOException {
        ScriptedStream peer = new ScriptedStream(concat(HEADER, NOISE));
        assertEquals("/noise", MultistreamSelect.select(peer, List.of("/noise")));
        assertEquals(1, peer.writes().size());
        assertArrayEquals(concat(HEADER, NOISE), peer.writes().get(0));
        assertEquals(1, peer.flushes());
    }

    @Test
    void dialerTriesTheNextProtocolAfterNa() throws IOException {
        ScriptedStream peer = new ScriptedStream(concat(HEADER, NA, NOISE));
        assertEquals("/noise", MultistreamSelect.select(peer, "/tls/1.0.0", "/noise"));
        assertArrayEquals(concat(HEADER, TLS), peer.writes().get(0));
        assertArrayEquals(NOISE, peer.writes().get(1));
    }

    @Test
    void dialerThrowsProtocolNotSupportedListingWhatItOffered() {
        ScriptedStream peer = new ScriptedStream(concat(HEADER, NA, NA));
        ProtocolNotSupportedException e = assertThrows(ProtocolNotSupportedException.class,
                () -> MultistreamSelect.select(peer, List.of("/tls/1.0.0", "/noise")));
        assertEquals(List.of("/tls/1.0.0", "/noise"), e.offered());
    }

    @Test
    void dialerRejectsAPeerThatDoesNotSpeakMultistream() {
        ScriptedStream peer = new ScriptedStream(concat(message("/multistream/2.0.0"), NOISE));
        assertThrows(ProtocolViolationException.class, () -> MultistreamSelect.select(peer, List.of("/noise")));
    }

    @Test
    void dialerRejectsAnAnswerThatIsNeitherEchoNorNa() {
        ScriptedStream peer = new ScriptedStream(concat(HEADER, YAMUX));
        assertThrows(ProtocolViolationException.class, () -> MultistreamSelect.select(peer, List.of("/noise")));
    }

    @Test
    void dialerThrowsEofWhenTheListenerHangsUp() {
        ScriptedStream peer = new ScriptedStream(HEADER);
        assertThrows(EOFException.class, () -> MultistreamSelect.select(peer, List.of("/noise")));
    }

    @Test
    void dialerRefusesToProposeAnIdLongerThan1023Bytes() {
        ScriptedStream peer = new ScriptedStream(new byte[0]);
        String tooLong = "/" + "x".repeat(1023);
        assertThrows(IllegalArgumentException.class, () -> MultistreamSelect.select(peer, List.of(tooLong)));
        assertThrows(IllegalArgumentException.class, () -> MultistreamSelect.select(peer, List.of()));
        assertTrue(peer.writes().isEmpty());
    }

    @Test
    void listenerEchoesTheProposalAndLeavesPipelinedBytesInTheStream() throws IOException {
        byte[] noiseMessage1 = "first noise message".getBytes(StandardCharsets.US_ASCII);
        ScriptedStream dialer = new ScriptedStream(concat(HEADER, NOISE, noiseMessage1));
        assertEquals("/noise", MultistreamSelect.handle(dialer, Set.of("/noise")));
        assertArrayEquals(concat(HEADER, NOISE), dialer.written());
        assertArrayEquals(noiseMessage1, dialer.input().readAllBytes());
    }

    @Test
    void listenerAnswersNaUntilItSupportsAProposal() throws IOException {
        ScriptedStream dialer = new ScriptedStream(concat(HEADER, TLS, NOISE));
        assertEquals("/noise", MultistreamSelect.handle(dialer, Set.of("/noise")));
        assertArrayEquals(concat(HEADER, NA), dialer.writes().get(0));
        assertArrayEquals(NOISE, dialer.writes().get(1));
        assertEquals(2, dialer.writes().size());
    }

    @Test
    void listenerSendsHeaderAndFirstAnswerInOneWriteWhenTheProposalWasPipelined() throws IOException {
        ScriptedStream dialer = new ScriptedStream(concat(HEADER, NOISE));
        MultistreamSelect.handle(dialer, Set.of("/noise"));
        assertEquals(1, dialer.writes().size());
        assertArrayEquals(concat(HEADER, NOISE), dialer.writes().get(0));
    }

    @Test
    void listenerSendsItsHeaderAtOnceWhenTheDialerHasNotProposedYet() throws IOException {
        ScriptedStream dialer = new ScriptedStream(concat(HEADER, NOISE)) {
            private final InputStream slow = new FilterInputStream(super.input()) {
                @Override
                public int available() {
                    return 0; // as if the proposal had not arrived yet
                }
            };

            @Override
            public InputStream input() {
                return slow;
            }
        };
        MultistreamSelect.handle(dialer, Set.of("/noise"));
        assertArrayEquals(HEADER, dialer.writes().get(0));
        assertArrayEquals(NOISE, dialer.writes().get(1));
    }

    @Test
    void listenerAnswersLsWithEachProtocolNestedInOneMessage() throws IOException {
        ScriptedStream dialer = new ScriptedStream(concat(HEADER, LS, NOISE));
        MultistreamSelect.handle(dialer, List.of("/noise", "/yamux/1.0.0"));
        // body: /noise (8 bytes) + /yamux/1.0.0 (14 bytes) + the final newline = 23 = 0x17
        byte[] list = concat(hex("17"), NOISE, YAMUX, hex("0a"));
        assertArrayEquals(concat(HEADER, list, NOISE), dialer.written());
    }

    @Test
    void listenerWithARuleAnswersLsWithNa() throws IOException {
        ScriptedStream dialer = new ScriptedStream(concat(HEADER, LS, message("/ipfs/ping/1.0.0")));
        String chosen = MultistreamSelect.handle(dialer, p -> p.startsWith("/ipfs/ping/"));
        assertEquals("/ipfs/ping/1.0.0", chosen);
        assertArrayEquals(concat(HEADER, NA, message("/ipfs/ping/1.0.0")), dialer.written());
    }

    @Test
    void listenerAcceptsAMessageOfExactly1024Bytes() throws IOException {
        String longest = "/" + "x".repeat(1022);
        ScriptedStream dialer = new ScriptedStream(concat(HEADER, message(longest)));
        assertEquals(longest, MultistreamSelect.handle(dialer, Set.of(longest)));
    }

    @Test
    void listenerRejectsAMessageLongerThan1024BytesBeforeReadingIt() {
        ScriptedStream dialer = new ScriptedStream(concat(HEADER, hex("8108"), new byte[1025]));
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> MultistreamSelect.handle(dialer, Set.of("/noise")));
        assertEquals("multistream: message too long (1025 > 1024 bytes)", e.getMessage());
    }

    @Test
    void listenerRejectsMalformedMessages() {
        for (byte[] bad : List.of(hex("00"), hex("036e6161"), hex("8000"), hex("02c30a"))) {
            ScriptedStream dialer = new ScriptedStream(concat(HEADER, bad));
            assertThrows(ProtocolViolationException.class, () -> MultistreamSelect.handle(dialer, Set.of("/noise")));
        }
    }

    @Test
    void listenerRejectsADialerThatSkipsTheHeader() {
        ScriptedStream dialer = new ScriptedStream(concat(NOISE, HEADER));
        assertThrows(ProtocolViolationException.class, () -> MultistreamSelect.handle(dialer, Set.of("/noise")));
    }

    @Test
    void listenerThrowsEofWhenTheDialerGivesUpOrTruncates() {
        for (byte[] script : List.of(new byte[0], HEADER, concat(HEADER, NA), concat(HEADER, hex("0b2f746c")))) {
            ScriptedStream dialer = new ScriptedStream(script);
            assertThrows(EOFException.class, () -> MultistreamSelect.handle(dialer, Set.of("/noise")));
        }
    }

    @Test
    void lazyDialerSendsHeaderProposalAndDataInOneWriteThenChecksTheEchoOnFirstRead() throws IOException {
        ScriptedStream peer = new ScriptedStream(concat(HEADER, message("/echo/1.0.0"), "pong".getBytes()));
        DuplexStream stream = MultistreamSelect.selectLazily(peer, "/echo/1.0.0");
        stream.output().write("ping".getBytes());
        stream.output().write("!".getBytes());
        assertEquals(2, peer.writes().size());
        assertArrayEquals(concat(HEADER, message("/echo/1.0.0"), "ping".getBytes()), peer.writes().get(0));
        assertEquals(0, stream.input().available());
        assertArrayEquals("pong".getBytes(), stream.input().readAllBytes());
    }

    @Test
    void lazyDialerReadingFirstSendsTheHandshakeBeforeWaiting() throws IOException {
        ScriptedStream peer = new ScriptedStream(concat(HEADER, message("/ipfs/id/1.0.0"), hex("00")));
        DuplexStream stream = MultistreamSelect.selectLazily(peer, "/ipfs/id/1.0.0");
        assertEquals(0, stream.input().read());
        assertArrayEquals(concat(HEADER, message("/ipfs/id/1.0.0")), peer.written());
        assertEquals(1, peer.flushes());
        stream.output().write(7);
        assertArrayEquals(concat(HEADER, message("/ipfs/id/1.0.0"), hex("07")), peer.written());
    }

    @Test
    void lazyDialerSurfacesNaOnEveryRead() throws IOException {
        ScriptedStream peer = new ScriptedStream(concat(HEADER, NA));
        DuplexStream stream = MultistreamSelect.selectLazily(peer, "/echo/1.0.0");
        stream.output().write(1);
        ProtocolNotSupportedException first =
                assertThrows(ProtocolNotSupportedException.class, () -> stream.input().read());
        assertEquals(List.of("/echo/1.0.0"), first.offered());
        IOException second = assertThrows(IOException.class, () -> stream.input().read(new byte[4]));
        assertSame(first, second);
    }

    @Test
    void lazyDialerRejectsAWrongEcho() {
        ScriptedStream peer = new ScriptedStream(concat(HEADER, NOISE));
        DuplexStream stream = MultistreamSelect.selectLazily(peer, "/echo/1.0.0");
        assertThrows(ProtocolViolationException.class, () -> stream.input().read());
    }

    @Test
    void lazyDialerSendsTheHandshakeOnCloseWhenNothingWasWritten() throws IOException {
        ScriptedStream peer = new ScriptedStream(new byte[0]);
        DuplexStream stream = MultistreamSelect.selectLazily(peer, "/echo/1.0.0");
        stream.close();
        assertArrayEquals(concat(HEADER, message("/echo/1.0.0")), peer.written());
        assertTrue(peer.closed);
    }

    @Test
    void dialerAndListenerAgreeOverAConnection() throws Exception {
        PipedDuplex[] ends = PipedDuplex.pair();
        Future<String> listener = threads.submit(() -> MultistreamSelect.handle(ends[1], Set.of("/noise")));
        assertEquals("/noise", MultistreamSelect.select(ends[0], List.of("/tls/1.0.0", "/noise")));
        assertEquals("/noise", listener.get());
    }

    @Test
    void lazyDialerAndListenerExchangeDataOverAConnection() throws Exception {
        PipedDuplex[] ends = PipedDuplex.pair();
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();
        threads.submit(() -> {
            MultistreamSelect.handle(ends[1], Set.of("/echo/1.0.0"));
            byte[] data = ends[1].input().readNBytes(5);
            ends[1].output().write(data);
            ends[1].output().flush();
            echoed.complete(data);
            return null;
        });
        DuplexStream stream = MultistreamSelect.selectLazily(ends[0], "/echo/1.0.0");
        stream.output().write("hello".getBytes());
        stream.output().flush();
        assertArrayEquals("hello".getBytes(), stream.input().readNBytes(5));
        assertArrayEquals("hello".getBytes(), echoed.get());
    }

    @Test
    void lazyDialerReadingAndWritingFromTwoThreadsSendsTheHandshakeExactlyOnce() throws Exception {
        PipedDuplex[] ends = PipedDuplex.pair();
        Future<byte[]> listener = threads.submit(() -> {
            MultistreamSelect.handle(ends[1], Set.of("/echo/1.0.0"));
            byte[] data = ends[1].input().readNBytes(5); // a second header would show up here
            ends[1].output().write(data);
            ends[1].output().flush();
            return data;
        });
        DuplexStream stream = MultistreamSelect.selectLazily(ends[0], "/echo/1.0.0");
        Future<byte[]> reader = threads.submit(() -> stream.input().readNBytes(5));
        stream.output().write("hello".getBytes());
        stream.output().flush();
        assertArrayEquals("hello".getBytes(), listener.get());
        assertArrayEquals("hello".getBytes(), reader.get());
    }

    @Test
    void lsListsTheListenersProtocols() throws Exception {
        PipedDuplex[] ends = PipedDuplex.pair();
        threads.submit(() -> MultistreamSelect.handle(ends[1], List.of("/noise", "/tls/1.0.0")));
        assertEquals(List.of("/noise", "/tls/1.0.0"), MultistreamSelect.list(ends[0]));
    }

    @Test
    void lsOnAListenerThatAnswersNaThrowsProtocolNotSupported() {
        ScriptedStream peer = new ScriptedStream(concat(HEADER, NA));
        assertThrows(ProtocolNotSupportedException.class, () -> MultistreamSelect.list(peer));
        assertArrayEquals(concat(HEADER, LS), peer.written());
    }

    static byte[] message(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(weft.multiformats.UnsignedVarint.encode(body.length + 1));
        out.writeBytes(body);
        out.write('\n');
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
