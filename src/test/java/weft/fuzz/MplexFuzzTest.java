package weft.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import weft.mux.mplex.Mplex;
import weft.mux.mplex.MplexConfig;
import weft.mux.mplex.MplexSession;
import weft.testing.ManualClock;

/**
 * An mplex session fed an arbitrary frame stream by its peer ({@link MuxerFuzzRun} says what must hold; as dialer
 * the application has opened stream 0, which the peer's receiver frames reach): the cause of its end is end of
 * stream, an {@code MplexProtocolException}, or a {@code ResourceLimitException} for too many refused streams, and
 * no stream is left in its maps. The clock is manual, so the refusal rate limit depends on the bytes alone.
 */
class MplexFuzzTest {
    @FuzzTest
    void listenerSession(byte[] frames) throws Exception {
        run(frames, false);
    }

    @FuzzTest
    void dialerSession(byte[] frames) throws Exception {
        run(frames, true);
    }

    private static void run(byte[] frames, boolean dialer) throws Exception {
        MplexConfig config = MplexConfig.defaults().withScheduler(new ManualClock());
        MuxerFuzzRun.run(frames, dialer, new Mplex(config), session -> ((MplexSession) session).streamCount());
    }
}
