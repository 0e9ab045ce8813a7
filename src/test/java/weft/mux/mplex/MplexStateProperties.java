package weft.mux.mplex;

import weft.mux.MuxerStateProperties;
import weft.mux.StreamMuxer;
import weft.testing.ManualClock;

/** mplex streams follow the shared stream state model (the flags differ, the states do not). */
class MplexStateProperties extends MuxerStateProperties {
    @Override
    protected StreamMuxer muxer() {
        return new Mplex(MplexConfig.defaults().withScheduler(new ManualClock()));
    }
}
