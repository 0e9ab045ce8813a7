package weft.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.multiformats.Multiaddr;
import weft.protocol.ping.Ping;
import weft.trace.TraceEvent;
import weft.testing.TraceRecorder;

/** {@link HostConfig#withTrace}: every layer of a host's connection reports to its listener under one id. */
class HostTraceTest {
    @Test
    void everyLayerOfAConnectionReportsUnderTheIdTheHostGaveIt() throws Exception {
        TraceRecorder recorder = new TraceRecorder();
        try (Host server = Host.start(HostConfig.defaults()
                        .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
                Host client = Host.start(HostConfig.defaults().withTrace(recorder))) {
            Connection connection = client.connect(server.addresses().get(0));
            HostStream stream = client.newStream(connection, Ping.PROTOCOL_ID);
            Ping.ping(stream);
            stream.closeWrite();
            String id = connection.trace().connection();
            List<TraceEvent> events = recorder.events();
            assertTrue(events.stream().allMatch(e -> e.connection().equals(id)), recorder.lines()::toString);
            List<String> layers = events.stream().map(TraceEvent::layer).distinct().toList();
            assertEquals(List.of("connection", "multistream", "noise"), layers.subList(0, 3), layers::toString);
            assertTrue(layers.containsAll(List.of("yamux", "identify", "ping")), layers::toString);
            assertTrue(events.stream().anyMatch(e -> e.layer().equals("ping") && e.stream() == stream.id()),
                    recorder.lines()::toString);
        }
    }

    @Test
    void bothEndsOfAQuicConnectionTraceEveryLayerUnderTheirOwnIds() throws Exception {
        TraceRecorder serverTrace = new TraceRecorder();
        TraceRecorder clientTrace = new TraceRecorder();
        try (Host server = Host.start(HostConfig.defaults().withTrace(serverTrace)
                        .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/udp/0/quic-v1"))));
                Host client = Host.start(HostConfig.defaults().withTrace(clientTrace))) {
            Connection connection = client.connect(server.addresses().get(0));
            HostStream stream = client.newStream(connection, Ping.PROTOCOL_ID);
            Ping.ping(stream);
            stream.close();
            String id = connection.trace().connection();
            assertTrue(clientTrace.events().stream().allMatch(e -> e.connection().equals(id)),
                    clientTrace.lines()::toString);
            List<String> layers = clientTrace.events().stream().map(TraceEvent::layer).distinct().toList();
            assertEquals(List.of("connection", "tls", "quic", "multistream"), layers.subList(0, 4), layers::toString);
            assertTrue(layers.contains("ping"), layers::toString);
            assertTrue(clientTrace.events().stream().anyMatch(e -> e.layer().equals("multistream")
                    && e.stream() == stream.id()), clientTrace.lines()::toString);
            assertTrue(serverTrace.lines().stream().anyMatch(l -> l.contains(" · connection inbound ")),
                    serverTrace.lines()::toString);
        }
    }

    @Test
    void byDefaultAConnectionIsTracedOnlyWhenTheWeftTraceLoggerIsAtTrace() throws Exception {
        try (Host server = Host.start(HostConfig.defaults()
                        .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
                Host client = Host.start(HostConfig.defaults())) {
            Connection connection = client.connect(server.addresses().get(0));
            assertEquals(false, connection.trace().on()); // the test logging keeps weft.trace at INFO
            assertTrue(connection.trace().connection().matches("c\\d+"), connection.trace()::toString);
        }
    }
}
