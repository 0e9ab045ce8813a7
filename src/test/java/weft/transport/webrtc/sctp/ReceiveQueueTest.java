package weft.transport.webrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiveQueueTest {
    private static Chunk.Data data(int tsn, boolean b, boolean e, int stream, byte... payload) {
        return new Chunk.Data(false, b, e, tsn, stream, 0, 51, payload);
    }

    @Test
    void outOfOrderChunksAreReportedAsGapBlocksRelativeToTheCumulativeAck() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(100, 10_000, 10_000);
        queue.accept(data(100, true, true, 0, (byte) 1));
        queue.accept(data(102, true, true, 0, (byte) 3));
        queue.accept(data(103, true, true, 0, (byte) 4));
        queue.accept(data(106, true, true, 0, (byte) 7));
        Chunk.Sack sack = queue.sack();
        assertEquals(100, sack.cumulativeTsnAck());
        assertEquals(List.of(new Chunk.GapBlock(2, 3), new Chunk.GapBlock(6, 6)), sack.gaps());
        assertEquals(10_000 - 4, sack.arwnd());
    }

    @Test
    void duplicatesAreReportedOnceInTheNextSack() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(-1, 10_000, 10_000); // TSNs wrap from 0xffffffff to 0
        assertEquals(ReceiveQueue.Outcome.NEW, queue.accept(data(-1, true, true, 0, (byte) 1)));
        assertEquals(ReceiveQueue.Outcome.NEW, queue.accept(data(0, true, true, 0, (byte) 1)));
        assertEquals(ReceiveQueue.Outcome.DUPLICATE, queue.accept(data(-1, true, true, 0, (byte) 1)));
        Chunk.Sack sack = queue.sack();
        assertEquals(0, sack.cumulativeTsnAck());
        assertEquals(List.of(-1), sack.duplicates());
        assertEquals(List.of(), queue.sack().duplicates());
    }

    @Test
    void fragmentsAreJoinedIntoOneMessageOnlyWhenTheLastArrives() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(1, 10_000, 10_000);
        queue.accept(data(3, false, true, 5, (byte) 3));
        queue.accept(data(1, true, false, 5, (byte) 1));
        assertEquals(List.of(), queue.takeMessages());
        queue.accept(data(2, false, false, 5, (byte) 2));
        List<ReceiveQueue.Message> messages = queue.takeMessages();
        assertEquals(1, messages.size());
        assertArrayEquals(new byte[] {1, 2, 3}, messages.get(0).payload());
    }

    @Test
    void chunksBeyondTheWindowAreDroppedUntilTheReaderConsumes() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(1, 4, 4);
        queue.accept(data(1, true, true, 0, new byte[4]));
        assertEquals(ReceiveQueue.Outcome.DROPPED, queue.accept(data(2, true, true, 0, new byte[1])));
        queue.consumed(4);
        assertEquals(ReceiveQueue.Outcome.NEW, queue.accept(data(2, true, true, 0, new byte[1])));
    }

    @Test
    void aMessageLargerThanTheLimitEndsTheAssociation() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(1, 100, 3);
        queue.accept(data(1, true, false, 0, new byte[2]));
        assertThrows(SctpException.class, () -> queue.accept(data(2, false, true, 0, new byte[2])));
    }

    @Test
    void aMiddleFragmentWithoutABeginningIsAViolation() {
        ReceiveQueue queue = new ReceiveQueue(1, 100, 100);
        assertThrows(SctpException.class, () -> queue.accept(data(1, false, true, 0, (byte) 1)));
    }
}
