package weft.mux.mplex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static weft.testing.ScriptedMplexPeer.CLOSE_RECEIVER;
import static weft.testing.ScriptedMplexPeer.MESSAGE_RECEIVER;
import static weft.testing.ScriptedMplexPeer.NEW_STREAM;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.io.DuplexStream;
import weft.mux.MuxedStream;
import weft.testing.ManualClock;
import weft.testing.MemoryPipe;
import weft.testing.ScriptedMplexPeer;
import weft.testing.TraceRecorder;

/**
 * Golden test: an mplex session against a {@link ScriptedMplexPeer} traces exactly these lines, one per frame with
 * its flag (whose spelling says which side opened the stream), stream id and length.
 */
class MplexTraceTest {
    private final TraceRecorder recorder = new TraceRecorder();
    private MplexSession session;
    private ScriptedMplexPeer peer;

    @AfterEach
    void tearDown() throws Exception {
        session.close();
        peer.close();
    }

    @Test
    void streamsEitherSideOpenedTraceEveryFrame() throws Exception {
        MemoryPipe.Pair pair = MemoryPipe.pair(1 << 20);
        peer = new ScriptedMplexPeer(pair.b());
        DuplexStream traced = DuplexStream.traced(pair.a(), recorder.trace("c1",
                TraceRecorder.ticking(Duration.ofMillis(1))));
        session = new Mplex(MplexConfig.defaults().withScheduler(new ManualClock())).start(traced, true);

        MuxedStream ours = session.openStream();
        ours.write("hi".getBytes(StandardCharsets.US_ASCII), 0, 2);
        peer.takeFrame();
        peer.takeFrame();
        peer.sendFrame(ours.id(), MESSAGE_RECEIVER, "yo".getBytes(StandardCharsets.US_ASCII));
        assertEquals(2, ours.input().readNBytes(2).length);
        peer.sendFrame(ours.id(), CLOSE_RECEIVER);
        assertEquals(-1, ours.input().read());
        ours.closeWrite();
        peer.takeFrame();

        peer.sendFrame(5, NEW_STREAM, "5".getBytes(StandardCharsets.US_ASCII));
        MuxedStream theirs = session.acceptStream();
        theirs.reset();
        peer.takeFrame();

        assertEquals(List.of(
                "+0.000ms c1 → mplex NEW_STREAM stream=0 length=1",
                "+1.000ms c1 → mplex MESSAGE_INITIATOR stream=0 length=2",
                "+2.000ms c1 ← mplex MESSAGE_RECEIVER stream=0 length=2",
                "+3.000ms c1 ← mplex CLOSE_RECEIVER stream=0 length=0",
                "+4.000ms c1 → mplex CLOSE_INITIATOR stream=0 length=0",
                "+5.000ms c1 ← mplex NEW_STREAM stream=5 length=1",
                "+6.000ms c1 → mplex RESET_RECEIVER stream=5 length=0"), recorder.lines());
    }
}
