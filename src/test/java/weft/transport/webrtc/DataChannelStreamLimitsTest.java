package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import weft.ResourceLimitException;
import weft.io.Scheduler;
import weft.mux.StreamResetException;
import weft.testing.ManualClock;
import weft.transport.webrtc.sctp.Association;

/**
 * The receive bound, the slow-reader reset, the FIN_ACK timeout and the write timeout of one data channel, on a
 * connection whose association never gets a peer: the test hands it messages as the association would deliver them,
 * and moves the channels' clock by hand.
 */
class DataChannelStreamLimitsTest {
    private static final int BOUND = 64 * 1024;
    private static final int PEER_STREAM = 2; // the peer is the DTLS client: even ids

    private final ManualClock clock = new ManualClock();
    private final DataChannelConfig config = DataChannelConfig.defaults().withScheduler(clock)
            .withStreamReceiveBuffer(BOUND);
    private final DataChannelConnection connection = lone(config, Association.Config.defaults());

    private static DataChannelConnection lone(DataChannelConfig config, Association.Config sctp) {
        DataChannelConnection connection = new DataChannelConnection(false, config);
        connection.attach(Association.server(sctp, Scheduler.system(), packet -> { }, connection));
        return connection;
    }

    private DataChannelStream openedByPeer() throws IOException {
        connection.onMessage(PEER_STREAM, Dcep.PPID_DCEP, Dcep.LIBP2P_OPEN.encode());
        return (DataChannelStream) connection.acceptStream();
    }

    private void deliver(byte[] data) {
        for (int at = 0; at < data.length; at += MessageFrame.MAX_DATA) {
            byte[] part = java.util.Arrays.copyOfRange(data, at, Math.min(data.length, at + MessageFrame.MAX_DATA));
            connection.onMessage(PEER_STREAM, Dcep.PPID_BINARY, MessageFrame.data(part).encode());
        }
    }

    private void deliverFlag(MessageFrame.Flag flag) {
        connection.onMessage(PEER_STREAM, Dcep.PPID_BINARY, MessageFrame.flag(flag).encode());
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] readExactly(DataChannelStream stream, int size) throws IOException {
        byte[] out = new byte[size];
        int at = 0;
        while (at < size) {
            int n = stream.read(out, at, size - at);
            assertTrue(n > 0, "end of stream after " + at + " of " + size + " bytes");
            at += n;
        }
        return out;
    }

    @Test
    void arrivalsBeyondTheBoundWaitWithoutBeingDropped() throws Exception {
        DataChannelStream stream = openedByPeer();
        byte[] data = random(3 * BOUND, 1);
        deliver(data);
        assertTrue(stream.waitingBytes() > 0, "some messages wait for room");
        assertTrue(stream.input().available() <= BOUND, "buffered " + stream.input().available());
        assertArrayEquals(data, readExactly(stream, data.length));
        assertEquals(0, stream.waitingBytes());
    }

    @Test
    void aReaderThatTakesNothingForTheSlowReaderTimeoutLosesItsStreamWithATypedError() throws Exception {
        DataChannelStream stream = openedByPeer();
        deliver(random(2 * BOUND, 2));
        clock.advance(config.slowReaderTimeout().minusMillis(1));
        assertTrue(stream.waitingBytes() > 0, "not reset before the timeout");
        clock.advance(Duration.ofMillis(1));
        StreamResetException e = assertThrows(StreamResetException.class, () -> stream.read(new byte[1], 0, 1));
        assertFalse(e.remote(), "reset by us");
        ResourceLimitException cause = assertInstanceOf(ResourceLimitException.class, e.getCause());
        assertTrue(cause.getMessage().startsWith("webrtc: stream 2 receive buffer full"), cause.getMessage());
        assertEquals(0, stream.waitingBytes(), "what waited was dropped");
        assertTrue(stream.isChannelClosed(), "the channel is closed too");
        assertThrows(StreamResetException.class, () -> stream.write(new byte[1], 0, 1));
    }

    @Test
    void aReaderThatKeepsTakingBytesIsNeverResetHoweverLongItTakes() throws Exception {
        DataChannelStream stream = openedByPeer();
        byte[] data = random(4 * BOUND, 3);
        deliver(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] chunk = new byte[1000];
        while (got.size() < data.length) {
            clock.advance(config.slowReaderTimeout().minusMillis(1)); // just short of it, every time
            int n = stream.read(chunk, 0, chunk.length);
            got.write(chunk, 0, n);
        }
        assertArrayEquals(data, got.toByteArray());
    }

    @Test
    void aFullStreamDoesNotHoldBackTheMessagesOfAnother() throws Exception {
        DataChannelStream full = openedByPeer();
        deliver(random(2 * BOUND, 4));
        connection.onMessage(4, Dcep.PPID_DCEP, Dcep.LIBP2P_OPEN.encode());
        DataChannelStream other = (DataChannelStream) connection.acceptStream();
        connection.onMessage(4, Dcep.PPID_BINARY, MessageFrame.data(new byte[] {7}).encode());
        assertTrue(full.waitingBytes() > 0);
        assertEquals(7, other.input().read());
    }

    @Test
    void aFinBehindWaitingDataEndsTheStreamAfterThatData() throws Exception {
        DataChannelStream stream = openedByPeer();
        byte[] data = random(2 * BOUND, 5);
        deliver(data);
        deliverFlag(MessageFrame.Flag.FIN);
        assertArrayEquals(data, stream.input().readAllBytes());
    }

    @Test
    void aChannelResetByThePeerBehindWaitingDataDoesNotCutTheStreamShort() throws Exception {
        DataChannelStream stream = openedByPeer();
        byte[] data = random(2 * BOUND, 6);
        deliver(data);
        deliverFlag(MessageFrame.Flag.FIN);
        connection.onIncomingStreamReset(PEER_STREAM); // RFC 8831 6.7: the peer closes the channel after its FIN
        assertArrayEquals(data, stream.input().readAllBytes());
    }

    @Test
    void closingDiscardsWhatWaitedButStillActsOnItsFinAck() throws Exception {
        DataChannelStream stream = openedByPeer();
        deliver(random(2 * BOUND, 7));
        deliverFlag(MessageFrame.Flag.FIN_ACK); // waits behind the data
        stream.close(); // FIN, STOP_SENDING: what waited is decoded now, its data dropped
        assertEquals(0, stream.waitingBytes());
        assertTrue(stream.isChannelClosed(), "FIN_ACK seen and reading stopped: the channel closes");
        assertEquals(0, clock.pendingTasks(), "no timer left behind");
    }

    @Test
    void withoutAFinAckTheChannelClosesOnceTheFinAckTimeoutPasses() throws Exception {
        DataChannelStream stream = openedByPeer();
        stream.close();
        assertFalse(stream.isChannelClosed(), "waiting for the peer's FIN_ACK");
        clock.advance(config.finAckTimeout().minusMillis(1));
        assertFalse(stream.isChannelClosed());
        clock.advance(Duration.ofMillis(1));
        assertTrue(stream.isChannelClosed(), "a peer that never acks cannot keep the channel");
    }

    @Test
    void aFinAckInTimeClosesTheChannelAtOnceAndStopsTheTimer() throws Exception {
        DataChannelStream stream = openedByPeer();
        stream.close();
        assertEquals(1, clock.pendingTasks());
        deliverFlag(MessageFrame.Flag.FIN_ACK);
        assertTrue(stream.isChannelClosed());
        assertEquals(0, clock.pendingTasks());
    }

    @Test
    void aHalfClosedStreamKeepsReadingAfterTheFinAckTimeout() throws Exception {
        DataChannelStream stream = openedByPeer();
        stream.closeWrite();
        clock.advance(config.finAckTimeout());
        assertFalse(stream.isChannelClosed(), "the peer may still send: the read half is open");
        deliver(new byte[] {1, 2, 3});
        deliverFlag(MessageFrame.Flag.FIN);
        assertArrayEquals(new byte[] {1, 2, 3}, stream.input().readAllBytes());
        assertTrue(stream.isChannelClosed(), "both halves done");
    }

    @Test
    void aWriteThatFindsNoSendBufferRoomThrowsSocketTimeoutExceptionOnceTheWriteTimeoutPasses() throws Exception {
        // a send buffer of 32 KiB that never drains: the association has no peer
        DataChannelConnection stuck = lone(config, new Association.Config(1 << 20, 32 * 1024, 64 * 1024, 1192,
                Duration.ofSeconds(30)));
        DataChannelStream stream = (DataChannelStream) stuck.openStream();
        stream.setWriteTimeout(Duration.ofMillis(50));
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> stream.write(new byte[256 * 1024], 0, 256 * 1024));
        assertTrue(e.getMessage().startsWith("sctp: write timed out waiting for send buffer room"), e.getMessage());
    }

    @Test
    void aWriterBlockedOnTheSendBufferCanBeInterrupted() throws Exception {
        DataChannelConnection stuck = lone(config, new Association.Config(1 << 20, 32 * 1024, 64 * 1024, 1192,
                Duration.ofSeconds(30)));
        DataChannelStream stream = (DataChannelStream) stuck.openStream();
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                stream.write(new byte[256 * 1024], 0, 256 * 1024);
                result.complete(null);
            } catch (Throwable t) {
                result.complete(t);
            }
        });
        while (writer.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        writer.interrupt();
        assertInstanceOf(InterruptedIOException.class, result.get());
    }
}
