package weft.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import weft.mux.yamux.Yamux;
import weft.mux.yamux.YamuxConfig;
import weft.mux.yamux.YamuxSession;
import weft.testing.ManualClock;

/**
 * A yamux session fed an arbitrary frame stream by its peer ({@link MuxerFuzzRun} says what must hold): the cause
 * of its end is end of stream or a {@code YamuxProtocolException}, and no stream is left in its map. Keep-alive
 * and RTT pings are off and the clock is manual, so a run depends on the bytes alone.
 */
class YamuxFuzzTest {
    @FuzzTest
    void listenerSession(byte[] frames) throws Exception {
        run(frames, false);
    }

    @FuzzTest
    void dialerSession(byte[] frames) throws Exception {
        run(frames, true);
    }

    private static void run(byte[] frames, boolean dialer) throws Exception {
        YamuxConfig config = YamuxConfig.defaults().withScheduler(new ManualClock())
                .withKeepAlive(false, Duration.ofSeconds(30)).withMeasureRttInterval(Duration.ZERO);
        MuxerFuzzRun.run(frames, dialer, new Yamux(config), session -> ((YamuxSession) session).streamCount());
    }
}
