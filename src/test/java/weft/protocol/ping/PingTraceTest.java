package weft.protocol.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static weft.testing.ScriptedPeer.ACK;
import static weft.testing.ScriptedPeer.WINDOW_UPDATE;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import weft.mux.MuxedStream;
import weft.mux.yamux.YamuxSession;
import weft.testing.Background;
import weft.testing.ManualClock;
import weft.testing.ScriptedPeer;
import weft.testing.ScriptedPeer.RawFrame;
import weft.testing.ScriptedYamux;
import weft.testing.TraceRecorder;

/**
 * Golden test: one ping over a yamux stream to a {@link ScriptedPeer} that echoes after 2 ms of the manual clock
 * traces the frames each way and then the RTT the ping measured.
 */
class PingTraceTest {
    @AutoClose
    private final ScriptedYamux yamux = new ScriptedYamux();
    private final ManualClock clock = yamux.clock();
    private final TraceRecorder recorder = yamux.recorder();

    @Test
    void aPingTracesItsFramesAndItsRoundTripTime() throws Exception {
        YamuxSession session = yamux.start(Duration.ZERO, true);
        ScriptedPeer peer = yamux.peer();
        MuxedStream stream = session.openStream();
        Background<Duration> ping = Background.start(() -> Ping.ping(stream, new Random(1), clock::nanoTime));
        peer.takeFrame(); // WINDOW_UPDATE|SYN
        RawFrame payload = peer.takeFrame();
        clock.advance(Duration.ofMillis(2));
        peer.sendFrame(WINDOW_UPDATE, ACK, 1, 0);
        peer.sendData(0, 1, payload.payload());
        assertEquals(Duration.ofMillis(2), ping.join());

        assertEquals(List.of(
                "+0.000ms c1 → yamux WINDOW_UPDATE SYN stream=1 delta=0 (recv window 262144)",
                "+0.000ms c1 → yamux DATA stream=1 length=32 (send window 262112)",
                "+2.000ms c1 ← yamux WINDOW_UPDATE ACK stream=1 delta=0 (send window 262112)",
                "+2.000ms c1 ← yamux DATA stream=1 length=32 (recv window 262112)",
                "+2.000ms c1 · ping pong stream=1 rtt=2.000ms"), recorder.lines());
    }
}
