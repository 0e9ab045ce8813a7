package weft.mux;

import java.io.IOException;
import weft.io.DuplexStream;

/** A stream multiplexer protocol (yamux, mplex): many streams over one secured connection. */
public interface StreamMuxer {
    /** The multistream protocol id, e.g. {@code /yamux/1.0.0}. */
    String protocolId();

    /**
     * Starts a session over {@code channel}. The session owns the channel from now on and starts its reader and
     * writer threads.
     *
     * @param dialer true on the side that dialed the underlying connection (yamux: odd stream ids)
     */
    MuxedConnection start(DuplexStream channel, boolean dialer) throws IOException;
}
