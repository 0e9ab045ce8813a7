package weft.mux.yamux;

import java.time.Duration;
import weft.mux.MuxerStateProperties;
import weft.mux.StreamMuxer;
import weft.testing.ManualClock;

/** Yamux streams follow the shared stream state model; pings and keep-alive off, on a manual clock. */
class YamuxStateProperties extends MuxerStateProperties {
    @Override
    protected StreamMuxer muxer() {
        return new Yamux(YamuxConfig.defaults().withScheduler(new ManualClock())
                .withKeepAlive(false, Duration.ofSeconds(30)).withMeasureRttInterval(Duration.ZERO));
    }
}
