package weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import weft.connection.Connection;
import weft.host.Host;
import weft.host.HostConfig;
import weft.host.HostConfig.Muxer;
import weft.host.HostConfig.Security;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.protocol.ping.Ping;

/**
 * How weft and js-libp2p 3 (pinned in {@code src/test/interop/js/package-lock.json}) agree on a connection over
 * TCP, both directions: inlined muxer negotiation on and off on either side, in Noise (handshake extensions) and in
 * TLS (ALPN, where "off" offers only {@code libp2p}), and a dialer whose first choice the listener lacks. Each case
 * pings over the connection it got. What runs over the connection afterwards, in every transport, security and
 * muxer, is {@link JsMatrixInteropTest}'s. Needs Node and {@code npm ci --prefix src/test/interop/js}.
 */
@Tag("interop")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsInteropTest {
    /** The js peer's test protocol: whoever serves it reads one chunk, then resets the stream. */
    static final String RESET = "/weft-interop/reset/1.0.0";

    /** Per security protocol: js listeners and weft hosts with early muxer negotiation on and off. */
    private static final Map<Security, JsPeer> jsEarly = new EnumMap<>(Security.class);
    private static final Map<Security, JsPeer> jsPlain = new EnumMap<>(Security.class);
    private static final Map<Security, Host> weftEarly = new EnumMap<>(Security.class);
    private static final Map<Security, Host> weftPlain = new EnumMap<>(Security.class);

    @BeforeAll
    static void startPeers() throws IOException {
        for (Security security : Security.values()) {
            String name = security.name().toLowerCase(Locale.ROOT);
            jsEarly.put(security, JsPeer.listen(name + "-early", List.of("--security", name)));
            jsPlain.put(security, JsPeer.listen(name + "-no-early", List.of("--security", name, "--no-early-muxer")));
            weftEarly.put(security, weftHost(security, true));
            weftPlain.put(security, weftHost(security, false));
        }
    }

    private static Host weftHost(Security security, boolean earlyMuxer) throws IOException {
        return Host.start(HostConfig.defaults()
                .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                .withSecurity(security)
                .withEarlyMuxerNegotiation(earlyMuxer));
    }

    @AfterAll
    static void stopPeers() throws Exception {
        List<AutoCloseable> all = new ArrayList<>();
        all.addAll(jsEarly.values());
        all.addAll(jsPlain.values());
        all.addAll(weftEarly.values());
        all.addAll(weftPlain.values());
        for (AutoCloseable c : all) {
            c.close();
        }
    }

    static Stream<Arguments> securityAndEarlyOnEitherSide() {
        List<Arguments> all = new ArrayList<>();
        for (Security security : Security.values()) {
            for (boolean dialerEarly : new boolean[] {true, false}) {
                for (boolean listenerEarly : new boolean[] {true, false}) {
                    all.add(Arguments.of(security, dialerEarly, listenerEarly));
                }
            }
        }
        return all.stream();
    }

    private static void pingFiveTimes(Host weft, Connection conn) throws IOException {
        MuxedStream stream = weft.newStream(conn, Ping.PROTOCOL_ID);
        for (int i = 0; i < 5; i++) {
            assertTrue(Ping.ping(stream).toNanos() > 0);
        }
        stream.closeWrite();
        assertEquals(-1, stream.input().read(), "js closes after our FIN");
    }

    private static String jsName(Security security) {
        return security.name().toLowerCase(Locale.ROOT);
    }

    // ---- weft dials js -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, weft early muxer {1}, js early muxer {2}")
    @MethodSource("securityAndEarlyOnEitherSide")
    void weftDialsJsAndAgreesOnYamuxInTheHandshakeOnlyWhenBothOfferIt(Security security, boolean weftEarlyMuxer,
            boolean jsEarlyMuxer) throws Exception {
        Host weft = (weftEarlyMuxer ? weftEarly : weftPlain).get(security);
        try (Connection conn = weft.connect((jsEarlyMuxer ? jsEarly : jsPlain).get(security).address())) {
            assertEquals(security.protocolId(), conn.securityProtocol());
            // @libp2p/tls 3.1.10 as the server answers the client's ALPN muxers even when told to skip early muxer
            // negotiation (its ALPNCallback ignores skipStreamMuxerNegotiation): over TLS, js cannot turn it off.
            boolean jsOffers = jsEarlyMuxer || security == Security.TLS;
            assertEquals(weftEarlyMuxer && jsOffers, conn.earlyMuxerNegotiation());
            assertEquals("/yamux/1.0.0", conn.muxerProtocol());
            pingFiveTimes(weft, conn);
        }
    }

    @ParameterizedTest(name = "{0} first")
    @EnumSource(Security.class)
    void weftDialsJsPreferringWhatJsLacksAndFallsBackToWhatItSpeaks(Security preferred) throws Exception {
        Security other = preferred == Security.NOISE ? Security.TLS : Security.NOISE;
        try (Host weft = Host.start(HostConfig.defaults().withSecurity(preferred, other)
                        .withMuxers(Muxer.MPLEX, Muxer.YAMUX));
                Connection conn = weft.connect(jsEarly.get(other).address())) {
            assertEquals(other.protocolId(), conn.securityProtocol());
            assertEquals("/yamux/1.0.0", conn.muxerProtocol());
            assertTrue(conn.earlyMuxerNegotiation());
            pingFiveTimes(weft, conn);
        }
    }

    // ---- js dials weft -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, js early muxer {1}, weft early muxer {2}")
    @MethodSource("securityAndEarlyOnEitherSide")
    void jsDialsWeftAndAgreesOnYamuxInTheHandshakeOnlyWhenBothOfferIt(Security security, boolean jsEarlyMuxer,
            boolean weftEarlyMuxer) throws Exception {
        Multiaddr weft = (weftEarlyMuxer ? weftEarly : weftPlain).get(security).addresses().get(0);
        JsPeer.Run run = JsPeer.dial(weft, jsEarlyMuxer, "ping", "--count", "5", "--security", jsName(security));
        assertTrue(run.ok(), run.toString());
        assertEquals(security.protocolId(), run.field("encryption"), run.json());
        assertEquals("/yamux/1.0.0", run.field("multiplexer"), run.json());
        assertEquals(jsEarlyMuxer && weftEarlyMuxer ? "/yamux/1.0.0" : null, run.field("earlyMuxer"), run.json());
    }

    @ParameterizedTest(name = "{0} first")
    @EnumSource(Security.class)
    void jsDialsWeftPreferringWhatWeftLacksAndFallsBackToWhatItSpeaks(Security preferred) throws Exception {
        Security other = preferred == Security.NOISE ? Security.TLS : Security.NOISE;
        Multiaddr weft = weftEarly.get(other).addresses().get(0);
        JsPeer.Run run = JsPeer.dial(weft, true, "ping", "--count", "5",
                "--security", jsName(preferred) + "," + jsName(other), "--muxer", "mplex,yamux");
        assertTrue(run.ok(), run.toString());
        assertEquals(other.protocolId(), run.field("encryption"), run.json());
        assertEquals("/yamux/1.0.0", run.field("multiplexer"), run.json());
        assertEquals("/yamux/1.0.0", run.field("earlyMuxer"), run.json());
    }
}
