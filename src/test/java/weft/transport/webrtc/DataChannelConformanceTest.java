package weft.transport.webrtc;

import weft.mux.MuxerConformanceTest;
import weft.mux.StreamMuxer;

/** WebRTC data channels over SCTP pass the same suite as yamux and mplex. */
class DataChannelConformanceTest extends MuxerConformanceTest {
    @Override
    protected StreamMuxer muxer() {
        return new SctpOverStream();
    }
}
