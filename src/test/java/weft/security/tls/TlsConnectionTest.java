package weft.security.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.security.tls.TlsPeers.await;
import static weft.security.tls.TlsPeers.inBackground;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.ConnectionClosedException;
import weft.ProtocolViolationException;
import weft.crypto.PrivateKey;
import weft.io.DuplexStream;
import weft.security.SecureConnection;
import weft.testing.MemoryPipe;

@Timeout(60) // a guard against hangs only; nothing here asserts on time
class TlsConnectionTest {
    private static final PrivateKey ALICE = PrivateKey.generate();
    private static final PrivateKey BOB = PrivateKey.generate();

    /** A client over {@code clientEnd} and a server over the pipe's right end, both finished. */
    private static TlsPeers.Pair pair(MemoryPipe pipe, DuplexStream clientEnd) throws Exception {
        CompletableFuture<SecureConnection> server =
                inBackground(() -> new TlsSecureChannel(BOB).secureInbound(pipe.right()));
        SecureConnection client = new TlsSecureChannel(ALICE).secureOutbound(clientEnd, BOB.peerId());
        return new TlsPeers.Pair(client, await(server));
    }

    private static TlsPeers.Pair pair() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        return pair(pipe, pipe.left());
    }

    @Test
    void sixteenMebibytesRoundTripByteExact() throws Exception {
        TlsPeers.Pair pair = pair();
        byte[] data = new byte[16 * 1024 * 1024];
        new Random(16).nextBytes(data);

        CompletableFuture<Void> writer = inBackground(() -> {
            for (int off = 0; off < data.length; off += 1024 * 1024 + 7) {
                pair.client().output().write(data, off, Math.min(1024 * 1024 + 7, data.length - off));
            }
            pair.client().close();
            return null;
        });
        byte[] received = pair.server().input().readAllBytes();
        await(writer);

        assertEquals(data.length, received.length);
        assertTrue(Arrays.equals(data, received), "16 MiB arrived altered");
    }

    @Test
    void bothDirectionsFlowAtOnce() throws Exception {
        TlsPeers.Pair pair = pair();
        byte[] up = new byte[1024 * 1024 + 11];
        byte[] down = new byte[1024 * 1024 + 5];
        new Random(1).nextBytes(up);
        new Random(2).nextBytes(down);

        CompletableFuture<Void> clientWriter = inBackground(() -> {
            pair.client().output().write(up);
            return null;
        });
        CompletableFuture<Void> serverWriter = inBackground(() -> {
            pair.server().output().write(down);
            return null;
        });
        CompletableFuture<byte[]> serverReader = inBackground(() -> pair.server().input().readNBytes(up.length));
        byte[] clientReceived = pair.client().input().readNBytes(down.length);
        await(clientWriter);
        await(serverWriter);

        assertArrayEquals(down, clientReceived);
        assertArrayEquals(up, await(serverReader));
    }

    @Test
    void smallWritesAndOneByteReadsKeepTheirOrder() throws Exception {
        TlsPeers.Pair pair = pair();
        for (int i = 0; i < 100; i++) {
            pair.client().output().write(i);
        }
        pair.client().output().write(new byte[0]); // sends nothing
        for (int i = 0; i < 100; i++) {
            assertEquals(i, pair.server().input().read());
        }
    }

    @Test
    void closeSendsCloseNotifyAndThePeerReadsEndOfStream() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        Recording recording = new Recording(pipe.left());
        TlsPeers.Pair pair = pair(pipe, recording);
        int before = recording.written.size();

        pair.client().close();

        byte[] last = Arrays.copyOfRange(recording.written.toByteArray(), before, recording.written.size());
        // RFC 8446 §5.2: one encrypted record, which looks like application data (17 03 03 length) and holds the
        // close_notify alert; nothing after it
        assertEquals("170303", HexFormat.of().formatHex(last, 0, 3));
        assertEquals(5 + ((last[3] & 0xFF) << 8 | (last[4] & 0xFF)), last.length);
        assertEquals(-1, pair.server().input().read());
        assertThrows(ConnectionClosedException.class, () -> pair.client().input().read());
        assertThrows(ConnectionClosedException.class, () -> pair.client().output().write(1));
        pair.client().close(); // idempotent
    }

    /**
     * go disables session tickets; so do we: the server's only write is its one flight (ServerHello ... Finished),
     * with no NewSessionTicket after the client's Finished.
     */
    @Test
    void serverSendsOneFlightAndNoSessionTicket() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        Recording server = new Recording(pipe.right());
        CompletableFuture<SecureConnection> inbound =
                inBackground(() -> new TlsSecureChannel(BOB).secureInbound(server));
        SecureConnection client = new TlsSecureChannel(ALICE).secureOutbound(pipe.left(), BOB.peerId());
        await(inbound);

        assertEquals(1, server.writes);
        client.output().write(7); // and the client has nothing post-handshake to consume before data
        assertEquals(7, await(inbound).input().read());
    }

    @Test
    void tamperedRecordIsAProtocolViolationAndClosesTheConnection() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        Recording recording = new Recording(pipe.left());
        TlsPeers.Pair pair = pair(pipe, recording);

        recording.corruptNextWrite = true;
        pair.client().output().write(new byte[100]);

        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> pair.server().input().read());
        assertTrue(e.getMessage().startsWith("tls: "), e.getMessage());
        assertThrows(ConnectionClosedException.class, () -> pair.server().input().read());
    }

    @Test
    void streamThatEndsInsideARecordIsAnEofException() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        TlsPeers.Pair pair = pair(pipe, pipe.left());

        pipe.left().output().write(new byte[] {0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3}); // 3 of 64 bytes
        pipe.left().output().close();

        EOFException e = assertThrows(EOFException.class, () -> pair.server().input().read());
        assertTrue(e.getMessage().contains("inside a record"), e.getMessage());
    }

    @Test
    void streamThatEndsBetweenRecordsReadsAsEndOfStream() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        TlsPeers.Pair pair = pair(pipe, pipe.left());
        pair.client().output().write(new byte[] {42});

        pipe.left().output().close(); // no close_notify

        assertEquals(42, pair.server().input().read());
        assertEquals(-1, pair.server().input().read());
    }

    @Test
    void earlyMuxerAndIdentitiesAreReportedByTheConnection() throws Exception {
        MemoryPipe pipe = MemoryPipe.create(TlsPeers.PIPE_CAPACITY);
        CompletableFuture<SecureConnection> server = inBackground(() ->
                new TlsSecureChannel(BOB).withMuxers(List.of("/yamux/1.0.0")).secureInbound(pipe.right()));
        SecureConnection client = new TlsSecureChannel(ALICE).withMuxers(List.of("/yamux/1.0.0"))
                .secureOutbound(pipe.left(), null);

        assertEquals(BOB.peerId(), client.remotePeer());
        assertEquals(ALICE.peerId(), await(server).remotePeer());
        assertTrue(client.toString().contains(BOB.peerId().toString()));
        assertInstanceOf(TlsConnection.class, client);
    }

    /** Passes a stream through, keeping a copy of what is written; can corrupt one write. */
    private static final class Recording implements DuplexStream {
        private final DuplexStream inner;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile boolean corruptNextWrite;
        volatile int writes;
        private final OutputStream output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                byte[] copy = Arrays.copyOfRange(b, off, off + len);
                if (corruptNextWrite && len > 10) {
                    corruptNextWrite = false;
                    copy[len - 1] ^= 1; // the last byte of the tag
                }
                written.write(copy);
                writes++;
                inner.output().write(copy);
            }
        };

        Recording(DuplexStream inner) {
            this.inner = inner;
        }

        @Override
        public InputStream input() {
            return inner.input();
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
