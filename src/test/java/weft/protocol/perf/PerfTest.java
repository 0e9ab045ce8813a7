package weft.protocol.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import weft.ProtocolViolationException;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;
import weft.testing.Background;
import weft.testing.StreamPair;

class PerfTest {
    private final StreamPair pair = StreamPair.create(64 * 1024);
    private final MuxedStream client = pair.left();
    private final MuxedStream server = pair.right();

    @Test
    void uploadAndDownloadByteCountsMatchWhatWasAskedFor() throws Exception {
        Background<Long> serving = Background.start(() -> Perf.serve(server));
        Perf.Result result = Perf.run(client, 1 << 20, 3 << 20, Perf.Progress.NONE);
        assertEquals(1 << 20, result.uploadedBytes());
        assertEquals(3 << 20, result.downloadedBytes());
        assertEquals(1 << 20, serving.join());
    }

    @Test
    void sizesThatAreNotAMultipleOfTheBlockArriveExactly() throws Exception {
        Background<Long> serving = Background.start(() -> Perf.serve(server));
        Perf.Result result = Perf.run(client, 100_001, 65_537, Perf.Progress.NONE);
        assertEquals(100_001, result.uploadedBytes());
        assertEquals(65_537, result.downloadedBytes());
        assertEquals(100_001, serving.join());
    }

    @Test
    void theClientStartsWithTheDownloadSizeAsAU64BigEndian() throws Exception {
        Background<byte[]> peer = Background.start(() -> {
            byte[] header = server.input().readNBytes(8);
            server.input().readAllBytes();
            server.write(new byte[258], 0, 258);
            server.close();
            return header;
        });
        Perf.run(client, 5, 258, Perf.Progress.NONE);
        assertEquals(258, ByteBuffer.wrap(peer.join()).getLong());
    }

    @Test
    void fewerBytesThanAskedForIsAProtocolViolation() throws Exception {
        Background<Void> stingy = Background.start(() -> {
            server.input().readAllBytes();
            server.write(new byte[10], 0, 10);
            server.close();
            return null;
        });
        ProtocolViolationException e =
                assertThrows(ProtocolViolationException.class, () -> Perf.run(client, 0, 11, Perf.Progress.NONE));
        assertEquals("perf: asked for 11 bytes, received 10", e.getMessage());
        stingy.join();
    }

    @Test
    void progressReportsRunningTotalsEndingWithTheFullCounts() throws Exception {
        Background<Long> serving = Background.start(() -> Perf.serve(server));
        AtomicLong up = new AtomicLong();
        AtomicLong down = new AtomicLong();
        Perf.run(client, 200_000, 300_000, (u, d) -> {
            assertTrue(u >= up.get() && d >= down.get(), "totals only grow");
            up.set(u);
            down.set(d);
        });
        assertEquals(200_000, up.get());
        assertEquals(300_000, down.get());
        serving.join();
    }

    @Test
    void aStreamEndingInsideTheSizeMakesTheServerThrowEof() throws Exception {
        client.write(new byte[3], 0, 3);
        client.closeWrite();
        EOFException e = assertThrows(EOFException.class, () -> Perf.serve(server));
        assertEquals("perf: stream ended inside the u64 size (3 of 8 bytes)", e.getMessage());
    }

    @Test
    void theTimerVariantAsksForTwoToThe64MinusOneAndResetsWhenDone() throws Exception {
        Background<Long> serving = Background.start(() -> Perf.serve(server));
        client.write(ByteBuffer.allocate(8).putLong(-1L).array(), 0, 8);
        client.closeWrite();
        client.input().readNBytes(1 << 20);
        client.reset();
        StreamResetException e = assertThrows(StreamResetException.class, serving::join);
        assertTrue(e.remote());
    }
}
