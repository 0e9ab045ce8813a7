package weft.transport.webrtc;

import weft.mux.MuxerConformanceTest;
import weft.mux.StreamMuxer;

/**
 * WebRTC data channels over SCTP pass the same suite as yamux and mplex. A stream nobody reads holds at most its
 * own receive bound; what arrives beyond waits, and after the slow-reader timeout the stream is reset, so the other
 * streams move on ({@link DataChannelConfig}). The unread-stream case waits out those 5 s only when the stuck stream
 * got to fill the shared window before the other one opened.
 */
class DataChannelConformanceTest extends MuxerConformanceTest {
    @Override
    protected StreamMuxer muxer() {
        return new SctpOverStream();
    }
}
