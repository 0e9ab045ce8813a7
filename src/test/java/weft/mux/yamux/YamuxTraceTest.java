package weft.mux.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static weft.testing.ScriptedPeer.ACK;
import static weft.testing.ScriptedPeer.FIN;
import static weft.testing.ScriptedPeer.SYN;
import static weft.testing.ScriptedPeer.WINDOW_UPDATE;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import weft.mux.MuxedStream;
import weft.testing.ManualClock;
import weft.testing.ScriptedPeer;
import weft.testing.ScriptedPeer.RawFrame;
import weft.testing.ScriptedYamux;
import weft.testing.TraceRecorder;

/**
 * Golden test: a yamux session against a {@link ScriptedPeer}, on a manual clock, traces exactly these lines: every
 * frame each way with its flags, stream, length field and the stream's window after it, an RTT sample, and the end.
 * Each step waits for the previous one to be visible (a read returns, a frame arrives), so the order is fixed.
 */
class YamuxTraceTest {
    @AutoClose
    private final ScriptedYamux yamux = new ScriptedYamux();
    private final ManualClock clock = yamux.clock();
    private final TraceRecorder recorder = yamux.recorder();

    @Test
    void aStreamsLifeAndAnRttPingTraceEveryFrameWithItsWindow() throws Exception {
        YamuxSession session = yamux.start(Duration.ofSeconds(30), true);
        ScriptedPeer peer = yamux.peer();

        RawFrame ping = peer.takeFrame(); // the first RTT ping goes out at once
        clock.advance(Duration.ofMillis(2));
        peer.pong(ping);
        peer.sync(); // the session answered our ping after it took the pong

        clock.advance(Duration.ofMillis(1));
        MuxedStream stream = session.openStream();
        peer.takeFrame();

        clock.advance(Duration.ofMillis(1));
        peer.sendFrame(WINDOW_UPDATE, ACK, 1, 0);
        peer.sendData(0, 1, "world".getBytes(StandardCharsets.US_ASCII));
        assertEquals("world", new String(stream.input().readNBytes(5), StandardCharsets.US_ASCII));

        clock.advance(Duration.ofMillis(1));
        stream.write("hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
        stream.closeWrite();
        peer.takeFrame();
        peer.takeFrame();

        clock.advance(Duration.ofMillis(1));
        peer.sendFrame(WINDOW_UPDATE, FIN, 1, 0);
        assertEquals(-1, stream.input().read());

        clock.advance(Duration.ofMillis(1));
        session.close();

        assertEquals(List.of(
                "+0.000ms c1 → yamux PING SYN opaque=0",
                "+2.000ms c1 ← yamux PING ACK opaque=0",
                "+2.000ms c1 · yamux RTT sample=2.000ms smoothed=2.000ms",
                "+2.000ms c1 ← yamux PING SYN opaque=1879048192",
                "+2.000ms c1 → yamux PING ACK opaque=1879048192",
                "+3.000ms c1 → yamux WINDOW_UPDATE SYN stream=1 delta=0 (recv window 262144)",
                "+4.000ms c1 ← yamux WINDOW_UPDATE ACK stream=1 delta=0 (send window 262144)",
                "+4.000ms c1 ← yamux DATA stream=1 length=5 (recv window 262139)",
                "+5.000ms c1 → yamux DATA stream=1 length=5 (send window 262139)",
                "+5.000ms c1 → yamux WINDOW_UPDATE FIN stream=1 delta=0 (recv window 262139)",
                "+6.000ms c1 ← yamux WINDOW_UPDATE FIN stream=1 delta=0 (send window 262139)",
                "+7.000ms c1 → yamux GO_AWAY code=0 (meaning normal)",
                "+7.000ms c1 · yamux closed reason=\"yamux: session closed locally\""), recorder.lines());
    }

    @Test
    void aDataFrameWithoutFlagsIsBulkAndOneWithFlagsIsNot() throws Exception {
        YamuxSession session = yamux.start(Duration.ZERO, false);
        ScriptedPeer peer = yamux.peer();
        peer.sendData(SYN, 1, new byte[3]);
        MuxedStream stream = session.acceptStream();
        peer.takeFrame(); // our ACK
        peer.sendData(0, 1, new byte[4]);
        assertEquals(7, stream.input().readNBytes(7).length);
        assertEquals(List.of(-1L, -1L, 4L), recorder.events().stream().map(e -> e.bulk()).toList());
    }
}
