package weft.mux.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.testing.ScriptedPeer.ACK;
import static weft.testing.ScriptedPeer.DATA;
import static weft.testing.ScriptedPeer.FIN;
import static weft.testing.ScriptedPeer.GO_AWAY;
import static weft.testing.ScriptedPeer.PING;
import static weft.testing.ScriptedPeer.RST;
import static weft.testing.ScriptedPeer.SYN;
import static weft.testing.ScriptedPeer.WINDOW_UPDATE;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.ConnectionClosedException;
import weft.mux.MuxedStream;
import weft.mux.StreamClosedException;
import weft.mux.StreamResetException;
import weft.testing.ManualClock;
import weft.testing.MemoryPipe;
import weft.testing.ScriptedPeer;
import weft.testing.ScriptedPeer.RawFrame;

/**
 * A yamux session under test against a {@link ScriptedPeer} over a {@link MemoryPipe}, on a manual clock. RTT pings
 * and keep-alive are off unless a test turns them on, so the first frame out is the one under test.
 */
abstract class ScriptedYamuxTestBase {
    static final int KIB = 1024;

    final ManualClock clock = new ManualClock();
    YamuxSession session;
    ScriptedPeer peer;

    static YamuxConfig quiet(ManualClock clock) {
        return YamuxConfig.defaults().withScheduler(clock).withKeepAlive(false, Duration.ofSeconds(30))
                .withMeasureRttInterval(Duration.ZERO);
    }

    YamuxSession start(boolean dialer) {
        return start(dialer, quiet(clock));
    }

    MemoryPipe.End sessionEnd;

    YamuxSession start(boolean dialer, YamuxConfig config) {
        MemoryPipe.Pair pair = MemoryPipe.pair(1 << 20);
        sessionEnd = pair.a();
        peer = new ScriptedPeer(pair.b());
        session = new Yamux(config).start(pair.a(), dialer);
        return session;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (session != null) {
            session.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The peer opens stream {@code id} and the session accepts it (and ACKs). */
    MuxedStream acceptFromPeer(long id) throws Exception {
        peer.sendFrame(WINDOW_UPDATE, SYN, id, 0);
        MuxedStream s = session.acceptStream();
        peer.expectFrame("00 01 0002 " + String.format("%08x", id) + " 00000000");
        return s;
    }

    /** The session opens a stream and the peer ACKs it. */
    MuxedStream openAcked() throws Exception {
        MuxedStream s = session.openStream();
        peer.expectFrame("00 01 0001 " + String.format("%08x", s.id()) + " 00000000");
        peer.sendFrame(WINDOW_UPDATE, ACK, s.id(), 0);
        return s;
    }

}
