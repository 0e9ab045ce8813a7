package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.io.Scheduler;
import weft.mux.StreamResetException;
import weft.testing.ManualClock;
import weft.transport.webrtc.sctp.Association;

/**
 * The send side of one data channel: its own bound of bytes queued and not yet sent
 * ({@link DataChannelConfig#streamSendBuffer()}), and a writer that waits for room and learns at once that its stream
 * was reset. The association never gets a peer, so nothing it queues ever leaves: every stream's data is stuck, as
 * behind a peer's shut window. A test that hangs here is a writer that was never woken.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DataChannelSendBufferTest {
    private static final int PEER_STREAM = 2; // the peer is the DTLS client: even ids
    private static final int BIG = 1 << 20;

    private final DataChannelConfig config = DataChannelConfig.defaults().withScheduler(new ManualClock());
    private final DataChannelConnection connection = new DataChannelConnection(false, config);
    private final Association sctp = lone(connection, Association.Config.defaults());

    private static Association lone(DataChannelConnection connection, Association.Config sctpConfig) {
        Association association = Association.server(sctpConfig, Scheduler.system(), packet -> { }, connection);
        connection.attach(association);
        return association;
    }

    private DataChannelStream openedByPeer() throws IOException {
        connection.onMessage(PEER_STREAM, Dcep.PPID_DCEP, Dcep.LIBP2P_OPEN.encode());
        return (DataChannelStream) connection.acceptStream();
    }

    /** Writes {@code size} bytes on a virtual thread; returns once it waits for room. The future has what it threw. */
    private CompletableFuture<Throwable> blockedWriter(DataChannelStream stream, int size) {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                stream.write(new byte[size], 0, size);
                result.complete(null);
            } catch (Throwable t) {
                result.complete(t);
            }
        });
        // waiting for room: its bound is full and the thread parked (not on the association's lock, which is free)
        while (sctp.bufferedAmount((int) stream.id()) + MessageFrame.MAX_ENCODED <= config.streamSendBuffer()
                || writer.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
            Thread.yield();
        }
        return result;
    }

    @Test
    void aStreamWhoseDataCannotMoveQueuesNoMoreThanItsOwnBoundAndOtherStreamsStillWrite() throws Exception {
        DataChannelStream stuck = (DataChannelStream) connection.openStream();
        CompletableFuture<Throwable> stuckWriter = blockedWriter(stuck, BIG);
        assertTrue(sctp.bufferedAmount((int) stuck.id()) <= config.streamSendBuffer(),
                "queued " + sctp.bufferedAmount((int) stuck.id()));

        DataChannelStream other = (DataChannelStream) connection.openStream();
        other.setWriteTimeout(Duration.ofSeconds(20)); // before the bound: it waited behind the stuck stream's 1 MiB
        other.write(new byte[2 * MessageFrame.MAX_DATA], 0, 2 * MessageFrame.MAX_DATA);
        assertFalse(stuckWriter.isDone(), "the stuck stream still waits");
    }

    @Test
    void theAssociationsSendBufferStillBoundsAllStreamsTogether() throws Exception {
        DataChannelConnection small = new DataChannelConnection(false, config);
        lone(small, new Association.Config(1 << 20, 2 * config.streamSendBuffer(), 64 * 1024, 1192,
                Duration.ofSeconds(30)));
        for (int i = 0; i < 2; i++) { // two streams, each up to its bound: the shared buffer is full
            DataChannelStream stream = (DataChannelStream) small.openStream();
            stream.write(new byte[2 * MessageFrame.MAX_DATA], 0, 2 * MessageFrame.MAX_DATA);
        }
        DataChannelStream third = (DataChannelStream) small.openStream();
        third.setWriteTimeout(Duration.ofMillis(50));
        byte[] data = new byte[MessageFrame.MAX_DATA];
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> third.write(data, 0, data.length));
        assertTrue(e.getMessage().startsWith("sctp: write timed out waiting for send buffer room"), e.getMessage());
    }

    @Test
    void aWriterWaitingForRoomGetsStreamResetExceptionAsSoonAsItsStreamIsReset() throws Exception {
        DataChannelStream stream = (DataChannelStream) connection.openStream();
        CompletableFuture<Throwable> writer = blockedWriter(stream, BIG); // no write timeout: it would wait forever
        stream.reset();
        StreamResetException e = assertInstanceOf(StreamResetException.class, writer.get());
        assertFalse(e.remote(), "reset by us");
        assertEquals(stream.id(), e.streamId());
    }

    @Test
    void aWriterWaitingForRoomGetsStreamResetExceptionWhenThePeerResetsTheStream() throws Exception {
        DataChannelStream stream = openedByPeer();
        CompletableFuture<Throwable> writer = blockedWriter(stream, BIG);
        connection.onMessage(PEER_STREAM, Dcep.PPID_BINARY, MessageFrame.flag(MessageFrame.Flag.RESET_STREAM).encode());
        StreamResetException e = assertInstanceOf(StreamResetException.class, writer.get());
        assertTrue(e.remote(), "reset by the peer");
    }

    @Test
    void aWriterWaitingForRoomQueuesNothingOnceOurSideOfTheChannelIsClosed() throws Exception {
        DataChannelStream stream = openedByPeer();
        CompletableFuture<Throwable> writer = blockedWriter(stream, BIG);
        connection.onMessage(PEER_STREAM, Dcep.PPID_BINARY, MessageFrame.flag(MessageFrame.Flag.FIN).encode());
        int queued = sctp.bufferedAmount(PEER_STREAM); // the writer's data and our FIN_ACK
        connection.onIncomingStreamReset(PEER_STREAM); // the peer closes the channel; we reset our outgoing stream
        assertTrue(stream.isChannelClosed());
        StreamResetException e = assertInstanceOf(StreamResetException.class, writer.get());
        assertTrue(e.remote(), "the peer closed the channel while we were writing");
        assertEquals(queued, sctp.bufferedAmount(PEER_STREAM), "nothing queued after the outgoing reset");
        assertThrows(StreamResetException.class, () -> stream.write(new byte[1], 0, 1));
        stream.reset(); // and no RESET_STREAM either: the channel is closed
        assertEquals(queued, sctp.bufferedAmount(PEER_STREAM));
    }

    /**
     * Channel 0 after Noise, slowed down: our close passed its first check, then the peer's FIN and STOP_SENDING
     * arrived and closed our side of the channel before our FIN was queued. The channel ended cleanly (the peer
     * reads no more, we read its FIN), so close must not throw the "reset by remote" of a channel closed under a
     * writer. It did: the Noise handshake that had just succeeded failed on one side only, and the listener dropped
     * a connection the dialer already used (HostWebRtcDirectTest failed now and then on a loaded machine).
     */
    @Test
    void aCloseWhoseFinWaitsWhileThePeerFinishesAndStopsReadingReturnsQuietly() throws Exception {
        DataChannelConnection exact = new DataChannelConnection(false, config);
        Association association = lone(exact, Association.Config.defaults());
        exact.onMessage(PEER_STREAM, Dcep.PPID_DCEP, Dcep.LIBP2P_OPEN.encode());
        DataChannelStream stream = (DataChannelStream) exact.acceptStream();
        while (association.bufferedAmount(PEER_STREAM) < config.streamSendBuffer()) { // fill the bound exactly
            int room = config.streamSendBuffer() - association.bufferedAmount(PEER_STREAM);
            int size = Math.min(MessageFrame.MAX_DATA, room);
            while (MessageFrame.data(new byte[size]).encode().length > room) {
                size--;
            }
            stream.write(new byte[size], 0, size);
        }
        CompletableFuture<Throwable> closer = new CompletableFuture<>();
        Thread closing = Thread.ofVirtual().start(() -> {
            try {
                stream.closeWrite();
                closer.complete(null);
            } catch (Throwable t) {
                closer.complete(t);
            }
        });
        while (closing.getState() != Thread.State.WAITING) { // its FIN waits for room, past the first check
            Thread.onSpinWait();
            Thread.yield();
        }
        int queued = association.bufferedAmount(PEER_STREAM);
        exact.onMessage(PEER_STREAM, Dcep.PPID_BINARY, MessageFrame.flag(MessageFrame.Flag.FIN).encode());
        exact.onMessage(PEER_STREAM, Dcep.PPID_BINARY, MessageFrame.flag(MessageFrame.Flag.STOP_SENDING).encode());
        assertTrue(stream.isChannelClosed(), "both halves done: our side of the channel is closed");
        assertEquals(null, closer.get(), "the channel closed cleanly under the waiting FIN");
        assertEquals(queued + MessageFrame.flag(MessageFrame.Flag.FIN_ACK).encode().length,
                association.bufferedAmount(PEER_STREAM), "our FIN_ACK, and no FIN after the outgoing reset");
        stream.close(); // nothing left to do, quietly
    }
}
