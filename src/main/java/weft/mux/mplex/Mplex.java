package weft.mux.mplex;

import java.util.Objects;
import weft.io.DuplexStream;
import weft.mux.StreamMuxer;

/**
 * The mplex stream multiplexer, {@code /mplex/6.7.0} (libp2p specs {@code mplex/README.md}; deprecated there in
 * favour of yamux, still spoken by many deployed js and rust peers). {@code new Mplex().start(channel, dialer)}
 * starts an {@link MplexSession} over a secured channel.
 *
 * <p>The protocol id is not in the mplex spec: it is the one go-mplex, js {@code @libp2p/mplex} and rust-libp2p
 * {@code DEFAULT_MPLEX_PROTOCOL_NAME} all announce.
 */
public final class Mplex implements StreamMuxer {
    /** The multistream-select protocol id. */
    public static final String PROTOCOL_ID = "/mplex/6.7.0";

    private final MplexConfig config;

    /** The default settings ({@link MplexConfig#defaults()}). */
    public Mplex() {
        this(MplexConfig.defaults());
    }

    public Mplex(MplexConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public MplexConfig config() {
        return config;
    }

    @Override
    public String protocolId() {
        return PROTOCOL_ID;
    }

    /**
     * Starts a session: its reader and writer threads run from now on. mplex sends nothing until a stream opens.
     *
     * @param dialer true on the side that dialed the connection (mplex only uses it in logs: the flags, not the
     *     session role, tell the two sides' streams apart)
     */
    @Override
    public MplexSession start(DuplexStream channel, boolean dialer) {
        return new MplexSession(Objects.requireNonNull(channel, "channel"), dialer, config);
    }
}
