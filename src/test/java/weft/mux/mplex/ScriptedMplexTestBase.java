package weft.mux.mplex;

import static weft.testing.ScriptedMplexPeer.NEW_STREAM;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import weft.mux.MuxedStream;
import weft.testing.ManualClock;
import weft.testing.MemoryPipe;
import weft.testing.ScriptedMplexPeer;

/** An mplex session under test against a {@link ScriptedMplexPeer} over a {@link MemoryPipe}, on a manual clock. */
abstract class ScriptedMplexTestBase {
    static final int KIB = 1024;
    static final HexFormat HEX = HexFormat.of();

    final ManualClock clock = new ManualClock();
    MplexSession session;
    ScriptedMplexPeer peer;
    MemoryPipe.End sessionEnd;

    MplexConfig config() {
        return MplexConfig.defaults().withScheduler(clock);
    }

    MplexSession start(boolean dialer) {
        return start(dialer, config());
    }

    MplexSession start(boolean dialer, MplexConfig config) {
        MemoryPipe.Pair pair = MemoryPipe.pair(1 << 20);
        sessionEnd = pair.a();
        peer = new ScriptedMplexPeer(pair.b());
        session = new Mplex(config).start(pair.a(), dialer);
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

    static String hex(String s) {
        return HEX.formatHex(bytes(s));
    }

    /** The peer opens stream {@code id} (empty name) and the session accepts it. */
    MuxedStream acceptFromPeer(long id) throws Exception {
        peer.sendFrame(id, NEW_STREAM);
        return session.acceptStream();
    }

    /**
     * A barrier: the peer opens a probe stream, the application accepts and resets it, and its ResetReceiver must be
     * the next control frame. So every frame the reader handled before the probe has been handled, and every control
     * frame it queued (refusals, overflow resets) has been taken already.
     */
    void sync(long probeId) throws Exception {
        acceptFromPeer(probeId).reset();
        peer.expectFrame(HEX.formatHex(ScriptedMplexPeer.frame(probeId, ScriptedMplexPeer.RESET_RECEIVER,
                new byte[0])));
    }
}
