package weft.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import weft.connection.Connection;
import weft.host.HostConfig.Muxer;
import weft.host.HostConfig.Security;
import weft.multiformats.Multiaddr;
import weft.multistream.ProtocolNotSupportedException;
import weft.mux.MuxedStream;
import weft.protocol.echo.Echo;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;

/**
 * The host's connection stack as {@link HostConfig} describes it: every security protocol with every muxer,
 * with and without early muxer negotiation, and how a dialer's preferences meet a listener's.
 */
class HostStackTest {
    private static final List<Multiaddr> LOOPBACK = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));

    static Stream<Arguments> everyCombination() {
        List<Arguments> all = new ArrayList<>();
        for (Security security : Security.values()) {
            for (Muxer muxer : Muxer.values()) {
                for (boolean early : new boolean[] {true, false}) {
                    all.add(Arguments.of(security, muxer, early));
                }
            }
        }
        return all.stream();
    }

    private static Host listener(HostConfig config) throws IOException {
        return Host.start(config.withListenAddresses(LOOPBACK).withEcho(true).withPerf(true));
    }

    @ParameterizedTest(name = "{0} {1}, early muxer negotiation {2}")
    @MethodSource("everyCombination")
    void twoHostsPingEchoOnFiftyStreamsAndTransferOverEachSecurityAndMuxer(Security security, Muxer muxer,
            boolean early) throws Exception {
        HostConfig config = HostConfig.defaults().withSecurity(security).withMuxers(muxer)
                .withEarlyMuxerNegotiation(early);
        try (Host server = listener(config); Host client = Host.start(config)) {
            Connection connection = client.connect(server.addresses().get(0));
            assertEquals(security.protocolId(), connection.securityProtocol());
            assertEquals(muxer.protocolId(), connection.muxerProtocol());
            assertEquals(early, connection.earlyMuxerNegotiation());

            MuxedStream ping = client.newStream(connection, Ping.PROTOCOL_ID);
            assertFalse(Ping.ping(ping).isNegative());
            ping.closeWrite();

            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<byte[]> sent = new ArrayList<>();
                List<Future<byte[]>> echoed = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    byte[] payload = new byte[2048];
                    new Random(i).nextBytes(payload);
                    sent.add(payload);
                    echoed.add(threads.submit(
                            () -> Echo.echo(client.newStream(connection, Echo.PROTOCOL_ID), payload)));
                }
                for (int i = 0; i < sent.size(); i++) {
                    assertArrayEquals(sent.get(i), echoed.get(i).get());
                }
            }

            Perf.Result perf = Perf.run(client.newStream(connection, Perf.PROTOCOL_ID), 4 << 20, 4 << 20,
                    Perf.Progress.NONE);
            assertEquals(4 << 20, perf.downloadedBytes());
            IdentifyMessage identify = client.identifyOf(server.peerId()).orElseThrow();
            assertTrue(identify.protocols().contains(Echo.PROTOCOL_ID), identify.protocols().toString());
        }
    }

    @ParameterizedTest(name = "early muxer negotiation {0}")
    @ValueSource(booleans = {true, false})
    void aListenerWithTheDefaultsAcceptsTlsAndMplexWhenTheDialerSpeaksNothingElse(boolean early) throws Exception {
        HostConfig everything = HostConfig.defaults().withMuxers(Muxer.YAMUX, Muxer.MPLEX);
        try (Host server = listener(everything);
                Host client = Host.start(HostConfig.defaults().withSecurity(Security.TLS).withMuxers(Muxer.MPLEX)
                        .withEarlyMuxerNegotiation(early))) {
            Connection connection = client.connect(server.addresses().get(0));
            assertEquals("/tls/1.0.0", connection.securityProtocol());
            assertEquals("/mplex/6.7.0", connection.muxerProtocol());
            assertEquals(early, connection.earlyMuxerNegotiation());
            assertArrayEquals(new byte[] {1, 2, 3}, Echo.echo(client.newStream(connection, Echo.PROTOCOL_ID),
                    new byte[] {1, 2, 3}));
        }
    }

    @ParameterizedTest(name = "early muxer negotiation {0}")
    @ValueSource(booleans = {true, false})
    void aPreferredSecurityProtocolTheListenerLacksFallsBackToTheNextOne(boolean early) throws Exception {
        try (Host server = listener(HostConfig.defaults().withSecurity(Security.NOISE));
                Host client = Host.start(HostConfig.defaults().withSecurity(Security.TLS, Security.NOISE)
                        .withEarlyMuxerNegotiation(early))) {
            Connection connection = client.connect(server.addresses().get(0));
            assertEquals("/noise", connection.securityProtocol());
            assertEquals("/yamux/1.0.0", connection.muxerProtocol());
        }
    }

    static Stream<Arguments> securityAndEarly() {
        return Stream.of(Arguments.of(Security.NOISE, true), Arguments.of(Security.NOISE, false),
                Arguments.of(Security.TLS, true), Arguments.of(Security.TLS, false));
    }

    @ParameterizedTest(name = "{0}, early muxer negotiation {1}")
    @MethodSource("securityAndEarly")
    void aPreferredMuxerTheListenerLacksFallsBackToTheNextOne(Security security, boolean early) throws Exception {
        try (Host server = listener(HostConfig.defaults().withSecurity(security).withMuxers(Muxer.YAMUX)
                        .withEarlyMuxerNegotiation(early));
                Host client = Host.start(HostConfig.defaults().withSecurity(security)
                        .withMuxers(Muxer.MPLEX, Muxer.YAMUX).withEarlyMuxerNegotiation(early))) {
            Connection connection = client.connect(server.addresses().get(0));
            assertEquals("/yamux/1.0.0", connection.muxerProtocol());
            assertEquals(early, connection.earlyMuxerNegotiation());
            byte[] seven = {7};
            assertArrayEquals(seven, Echo.echo(client.newStream(connection, Echo.PROTOCOL_ID), seven));
        }
    }

    @ParameterizedTest(name = "{0}, only the dialer negotiates early: {1}")
    @MethodSource("securityAndEarly")
    void earlyMuxerNegotiationOnOneSideOnlyFallsBackToMultistreamSelect(Security security, boolean dialerEarly)
            throws Exception {
        try (Host server = listener(HostConfig.defaults().withSecurity(security).withMuxers(Muxer.MPLEX, Muxer.YAMUX)
                        .withEarlyMuxerNegotiation(!dialerEarly));
                Host client = Host.start(HostConfig.defaults().withSecurity(security)
                        .withMuxers(Muxer.YAMUX, Muxer.MPLEX).withEarlyMuxerNegotiation(dialerEarly))) {
            Connection connection = client.connect(server.addresses().get(0));
            assertFalse(connection.earlyMuxerNegotiation());
            assertEquals("/yamux/1.0.0", connection.muxerProtocol(), "the dialer's first choice, by multistream");
            byte[] seven = {7};
            assertArrayEquals(seven, Echo.echo(client.newStream(connection, Echo.PROTOCOL_ID), seven));
        }
    }

    @ParameterizedTest(name = "{0}, early muxer negotiation {1}")
    @MethodSource("securityAndEarly")
    void theListenerHonoursTheDialersMuxerOrder(Security security, boolean early) throws Exception {
        try (Host server = listener(HostConfig.defaults().withSecurity(security).withMuxers(Muxer.YAMUX, Muxer.MPLEX)
                        .withEarlyMuxerNegotiation(early));
                Host client = Host.start(HostConfig.defaults().withSecurity(security)
                        .withMuxers(Muxer.MPLEX, Muxer.YAMUX).withEarlyMuxerNegotiation(early))) {
            Connection connection = client.connect(server.addresses().get(0));
            assertEquals("/mplex/6.7.0", connection.muxerProtocol());
            assertEquals(early, connection.earlyMuxerNegotiation());
        }
    }

    @ParameterizedTest(name = "{0}, early muxer negotiation {1}")
    @MethodSource("securityAndEarly")
    void noCommonMuxerFailsTheConnectWithTheProtocolsOffered(Security security, boolean early) throws Exception {
        try (Host server = listener(HostConfig.defaults().withSecurity(security).withMuxers(Muxer.YAMUX)
                        .withEarlyMuxerNegotiation(early));
                Host client = Host.start(HostConfig.defaults().withSecurity(security).withMuxers(Muxer.MPLEX)
                        .withEarlyMuxerNegotiation(early))) {
            ProtocolNotSupportedException e = assertThrows(ProtocolNotSupportedException.class,
                    () -> client.connect(server.addresses().get(0)));
            assertTrue(e.getMessage().contains("/mplex/6.7.0"), e.getMessage());
            assertTrue(client.connections().isEmpty());
        }
    }

    @ParameterizedTest(name = "early muxer negotiation {0}")
    @ValueSource(booleans = {true, false})
    void noCommonSecurityProtocolFailsTheConnect(boolean early) throws Exception {
        try (Host server = listener(HostConfig.defaults().withSecurity(Security.NOISE));
                Host client = Host.start(HostConfig.defaults().withSecurity(Security.TLS)
                        .withEarlyMuxerNegotiation(early))) {
            ProtocolNotSupportedException e = assertThrows(ProtocolNotSupportedException.class,
                    () -> client.connect(server.addresses().get(0)));
            assertTrue(e.getMessage().contains("/tls/1.0.0"), e.getMessage());
        }
    }
}
