package weft.mux.yamux;

import weft.mux.MuxerConformanceTest;
import weft.mux.StreamMuxer;

/** Yamux, with go-yamux's default settings, passes the muxer conformance suite. */
class YamuxConformanceTest extends MuxerConformanceTest {
    @Override
    protected StreamMuxer muxer() {
        return new Yamux();
    }
}
