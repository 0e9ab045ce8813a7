package weft.mux.mplex;

import weft.mux.MuxerConformanceTest;
import weft.mux.StreamMuxer;

/** mplex, with its default settings, passes the muxer conformance suite that yamux passes. */
class MplexConformanceTest extends MuxerConformanceTest {
    @Override
    protected StreamMuxer muxer() {
        return new Mplex();
    }
}
