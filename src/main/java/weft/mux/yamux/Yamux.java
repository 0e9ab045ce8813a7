package weft.mux.yamux;

import java.util.Objects;
import weft.io.DuplexStream;
import weft.mux.StreamMuxer;

/**
 * The yamux stream multiplexer, {@code /yamux/1.0.0} (libp2p specs {@code yamux/README.md}, a copy of hashicorp's
 * {@code spec.md}), configured like go-yamux. {@code new Yamux().start(channel, dialer)} starts a
 * {@link YamuxSession} over a secured channel.
 */
public final class Yamux implements StreamMuxer {
    /** The multistream-select protocol id. */
    public static final String PROTOCOL_ID = "/yamux/1.0.0";

    private final YamuxConfig config;

    /** go-yamux's default settings ({@link YamuxConfig#defaults()}). */
    public Yamux() {
        this(YamuxConfig.defaults());
    }

    public Yamux(YamuxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public YamuxConfig config() {
        return config;
    }

    @Override
    public String protocolId() {
        return PROTOCOL_ID;
    }

    /**
     * Starts a session: its reader and writer threads run from now on, and it sends the first RTT ping.
     *
     * @param dialer true on the side that dialed the connection: it opens odd stream ids
     */
    @Override
    public YamuxSession start(DuplexStream channel, boolean dialer) {
        return new YamuxSession(Objects.requireNonNull(channel, "channel"), dialer, config);
    }
}
