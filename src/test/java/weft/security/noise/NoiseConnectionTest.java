package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.security.noise.NoisePeers.framed;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.ConnectionClosedException;
import weft.ProtocolViolationException;
import weft.io.DuplexStream;
import weft.testing.MemoryPipe;

/** The transport phase on its own: two {@link NoiseConnection}s keyed directly, no handshake. */
@Timeout(30)
class NoiseConnectionTest {
    private static final byte[] KEY_A = filled(0x11);
    private static final byte[] KEY_B = filled(0x22);

    /** A connected pair over a pipe: left sends with key A and receives with key B; right the other way. */
    static NoiseConnection[] pair(int pipeCapacity) {
        MemoryPipe pipe = MemoryPipe.create(pipeCapacity);
        return new NoiseConnection[] {connection(pipe.left(), KEY_A, KEY_B), connection(pipe.right(), KEY_B, KEY_A)};
    }

    static NoiseConnection connection(DuplexStream stream, byte[] sendKey, byte[] receiveKey) {
        return new NoiseConnection(stream, cipher(sendKey), cipher(receiveKey), null, null, null, Optional.empty());
    }

    private static CipherState cipher(byte[] key) {
        CipherState cs = new CipherState();
        cs.initializeKey(key);
        return cs;
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    /** What a connection writes for {@code writes}, each flushed, captured from its output. */
    private static byte[] wire(byte[]... writes) throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        NoiseConnection sender = connection(stream(InputStream.nullInputStream(), captured), KEY_A, KEY_B);
        for (byte[] data : writes) {
            sender.write(data, 0, data.length);
            sender.flush();
        }
        return captured.toByteArray();
    }

    private static DuplexStream stream(InputStream in, OutputStream out) {
        return new DuplexStream() {
            @Override
            public InputStream input() {
                return in;
            }

            @Override
            public OutputStream output() {
                return out;
            }

            @Override
            public void close() throws IOException {
                in.close();
                out.close();
            }
        };
    }

    private static NoiseConnection receiverOf(byte[] wire) {
        return connection(NoisePeers.scripted(wire), KEY_B, KEY_A);
    }

    @Test
    void writesAreSplitIntoMessagesOfAtMost65519PlaintextBytes() throws IOException {
        byte[] wire = wire(new byte[65519 * 2 + 1]);

        assertEquals(3 * 2 + 65519 * 2 + 1 + 3 * 16, wire.length);
        assertEquals(65535, (wire[0] & 0xFF) << 8 | (wire[1] & 0xFF));
        assertEquals(65535, (wire[65537] & 0xFF) << 8 | (wire[65538] & 0xFF));
        assertEquals(17, (wire[2 * 65537] & 0xFF) << 8 | (wire[2 * 65537 + 1] & 0xFF));
    }

    @Test
    void aConnectionWhoseSendNonceIsUsedUpRefusesToWrite() {
        CipherState exhausted = cipher(KEY_A);
        exhausted.setNonce(-1L); // 2^64-1
        NoiseConnection sender = new NoiseConnection(stream(InputStream.nullInputStream(), new ByteArrayOutputStream()),
                exhausted, cipher(KEY_B), null, null, null, Optional.empty());
        assertThrows(NonceExhaustedException.class, () -> sender.write(new byte[100], 0, 100));
        assertThrows(ConnectionClosedException.class, () -> sender.write(new byte[1], 0, 1));
    }

    @Test
    void aZeroLengthWriteSendsNothing() throws IOException {
        assertEquals(0, wire(new byte[0]).length);
    }

    @Test
    void readsDeliverBytesAcrossMessageBoundariesAndSkipEmptyMessages() throws IOException {
        CipherState sender = cipher(KEY_A);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (String part : new String[] {"hel", "", "lo wo", "", "", "rld"}) {
            byte[] plain = part.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] sealed = new byte[plain.length + 16];
            sender.encryptWithAd(null, plain, 0, plain.length, sealed, 0);
            wire.write(framed(sealed));
        }
        NoiseConnection receiver = receiverOf(wire.toByteArray());

        byte[] buffer = new byte[4];
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int n;
        while ((n = receiver.read(buffer, 0, buffer.length)) >= 0) {
            assertTrue(n > 0);
            got.write(buffer, 0, n);
        }
        assertEquals("hello world", got.toString(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aMessageThatFailsAuthenticationThrowsProtocolViolationAndTheConnectionIsUnusable() throws IOException {
        byte[] wire = wire("first".getBytes(), "second".getBytes());
        wire[wire.length - 3] ^= 0x40; // in the second message's tag
        NoiseConnection receiver = receiverOf(wire);

        assertArrayEquals("first".getBytes(), receiver.input().readNBytes(5));
        assertThrows(ProtocolViolationException.class, () -> receiver.read(new byte[10], 0, 10));
        ConnectionClosedException after =
                assertThrows(ConnectionClosedException.class, () -> receiver.read(new byte[10], 0, 10));
        assertTrue(after.getCause() instanceof ProtocolViolationException);
        assertThrows(ConnectionClosedException.class, () -> receiver.write(new byte[1], 0, 1));
    }

    @Test
    void aMessageShorterThanItsTagIsAProtocolViolation() {
        NoiseConnection receiver = receiverOf(framed(new byte[15]));
        ProtocolViolationException e =
                assertThrows(ProtocolViolationException.class, () -> receiver.read(new byte[10], 0, 10));
        assertTrue(e.getMessage().contains("15 < 16"), e.getMessage());
    }

    @Test
    void aStreamEndingInsideAMessageOrLengthPrefixThrowsEofException() throws IOException {
        byte[] wire = wire("hello".getBytes());
        NoiseConnection truncated = receiverOf(Arrays.copyOf(wire, wire.length - 1));
        assertThrows(EOFException.class, () -> truncated.read(new byte[9], 0, 9));
        assertThrows(EOFException.class, () -> receiverOf(new byte[] {0}).read(new byte[9], 0, 9));
    }

    @Test
    void aCleanEndOfStreamBetweenMessagesReadsAsEof() throws IOException {
        NoiseConnection receiver = receiverOf(wire("x".getBytes()));
        assertEquals('x', receiver.input().read());
        assertEquals(-1, receiver.input().read());
    }

    @Test
    void aLargeMessageReadInSmallPiecesIsBufferedWhole() throws Exception {
        NoiseConnection[] pair = pair(1 << 20);
        byte[] data = new byte[65519];
        new java.util.Random(3).nextBytes(data);
        pair[0].write(data, 0, data.length);

        byte[] got = new byte[data.length];
        int off = 0;
        while (off < data.length) {
            int n = pair[1].read(got, off, Math.min(1000, data.length - off));
            assertTrue(n > 0);
            off += n;
            assertEquals(data.length - off, pair[1].input().available());
        }
        assertArrayEquals(data, got);
    }

    @Test
    void aReadBlockedWhenTheConnectionIsClosedFailsWithConnectionClosed() {
        NoiseConnection[] pair = pair(1024);
        java.util.concurrent.CompletableFuture<Integer> read =
                NoisePeers.inBackground(() -> pair[1].read(new byte[10], 0, 10));
        assertDoesNotThrow(pair[1]::close);
        Exception e = assertThrows(Exception.class, () -> NoisePeers.await(read));
        assertInstanceOf(ConnectionClosedException.class, e); // whether the read had started blocking or not
    }

    @Test
    void closeMakesLaterCallsFailWithConnectionClosed() throws IOException {
        NoiseConnection[] pair = pair(1024);
        pair[0].close();
        assertThrows(ConnectionClosedException.class, () -> pair[0].write(new byte[1], 0, 1));
        assertThrows(ConnectionClosedException.class, () -> pair[0].read(new byte[1], 0, 1));
        assertEquals(-1, pair[1].read(new byte[1], 0, 1));
    }

    /** The Noise messages on {@code wire}: each length prefix in turn. */
    private static int messageCount(byte[] wire) {
        int count = 0;
        for (int at = 0; at < wire.length; at += 2 + ((wire[at] & 0xFF) << 8 | (wire[at + 1] & 0xFF))) {
            count++;
        }
        return count;
    }

    /** Everything {@code wire} carries, read through a receiving connection until the end of the stream. */
    private static byte[] plaintextOf(byte[] wire) throws IOException {
        return receiverOf(wire).input().readAllBytes();
    }

    /** An output that records how many writes reached it (the socket writes a connection makes). */
    private static final class CountingOutput extends ByteArrayOutputStream {
        int writes;

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            super.write(b, off, len);
        }
    }

    @Test
    void aHeaderWriteIsSealedWithThePayloadThatFollowsInOneSocketWrite() throws IOException {
        byte[] header = filled(0x5A, 12);
        byte[] payload = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(payload);
        CountingOutput captured = new CountingOutput();
        NoiseConnection sender = connection(stream(InputStream.nullInputStream(), captured), KEY_A, KEY_B);

        sender.write(header, 0, header.length);
        assertEquals(0, captured.writes);
        sender.write(payload, 0, payload.length);
        sender.flush();

        byte[] wire = captured.toByteArray();
        // 12 + 65536 plaintext bytes fill two messages; sealed apart they took three (12, 65519, 17).
        assertEquals(2, messageCount(wire));
        assertEquals(1, captured.writes);
        assertEquals(2 * (2 + 16) + 12 + payload.length, wire.length);
        byte[] expected = Arrays.copyOf(header, 12 + payload.length);
        System.arraycopy(payload, 0, expected, 12, payload.length);
        assertArrayEquals(expected, plaintextOf(wire));
    }

    @Test
    void smallWritesAreHeldTogetherUntilFlushSendsThemAsOneMessage() throws IOException {
        CountingOutput captured = new CountingOutput();
        NoiseConnection sender = connection(stream(InputStream.nullInputStream(), captured), KEY_A, KEY_B);

        sender.write(filled(1, 12), 0, 12);
        sender.write(filled(2, 12), 0, 12);
        assertEquals(0, captured.size());
        sender.flush();

        byte[] wire = captured.toByteArray();
        assertEquals(1, messageCount(wire));
        assertEquals(2 + 24 + 16, wire.length);
        byte[] expected = new byte[24];
        Arrays.fill(expected, 0, 12, (byte) 1);
        Arrays.fill(expected, 12, 24, (byte) 2);
        assertArrayEquals(expected, plaintextOf(wire));
        sender.flush();
        assertEquals(wire.length, captured.size());
    }

    @Test
    void aWriteThatOverflowsTheHeldBytesCarriesThemInFrontOfItself() throws IOException {
        byte[] first = filled(3, NoiseConnection.HOLD_LIMIT);
        byte[] second = filled(4, 1);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        NoiseConnection sender = connection(stream(InputStream.nullInputStream(), captured), KEY_A, KEY_B);

        sender.write(first, 0, first.length);
        sender.write(second, 0, second.length);

        byte[] wire = captured.toByteArray();

        assertEquals(1, messageCount(wire));
        byte[] expected = Arrays.copyOf(first, first.length + 1);
        expected[first.length] = 4;
        assertArrayEquals(expected, plaintextOf(wire));
    }

    @Test
    void shutdownOutputAndCloseOfTheOutputSendHeldBytesFirst() throws IOException {
        CountingOutput captured = new CountingOutput();
        NoiseConnection sender = connection(stream(InputStream.nullInputStream(), captured), KEY_A, KEY_B);
        sender.write(filled(5, 3), 0, 3);
        sender.shutdownOutput();
        assertArrayEquals(filled(5, 3), plaintextOf(captured.toByteArray()));

        CountingOutput closed = new CountingOutput();
        NoiseConnection closing = connection(stream(InputStream.nullInputStream(), closed), KEY_A, KEY_B);
        closing.output().write(filled(6, 5));
        closing.output().close();
        assertArrayEquals(filled(6, 5), plaintextOf(closed.toByteArray()));
    }

    private static byte[] filled(int value, int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
