package weft.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.mux.ErrorCode;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;
import weft.mux.yamux.YamuxConfig;
import weft.protocol.echo.Echo;
import weft.protocol.ping.Ping;
import weft.testing.FaultyConnection;
import weft.testing.WeftThreads;

/** Each {@link Limits} bound, hit on purpose: the outcome is the documented one and the host serves on. */
class HostLimitsTest {
    private static final List<Multiaddr> LOOPBACK = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));

    private Host server;
    private final List<AutoCloseable> closeables = new java.util.ArrayList<>();

    private Host server(Limits limits) throws IOException {
        server = Host.start(HostConfig.defaults().withListenAddresses(LOOPBACK).withEcho(true).withLimits(limits));
        closeables.add(server);
        return server;
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        Limits d = Limits.defaults();
        assertEquals(300, d.maxInboundConnections());
        assertEquals(8, d.maxInboundConnectionsPerPeer());
        assertEquals(10, d.maxPendingInboundConnections());
        assertEquals(Duration.ofSeconds(10), d.negotiationTimeout());
        assertEquals(Duration.ZERO, d.streamIdleTimeout());
        assertEquals(1L << 30, YamuxConfig.defaults().maxConnectionReceiveWindow());
        assertEquals(Limits.defaults(), HostConfig.defaults().limits());
    }

    @Test
    void anInboundConnectionBeyondTheTotalIsClosedAndTheFirstServesOn() throws Exception {
        server(Limits.defaults().withMaxInboundConnections(1));
        GoodClient good = closeLater(new GoodClient(server));
        // The dialer is done after sending the last handshake message; the server counts the connection once it
        // has read it and adopted the connection. Only then is the next one over the limit.
        WeftThreads.await("the server adopted the good client", () -> server.connections().size() == 1);
        Host other = closeLater(Host.start(HostConfig.defaults()));
        assertThrows(IOException.class, () -> other.connect(server.addresses().get(0)));
        good.check();
        assertEquals(1, server.connections().size());
    }

    @Test
    void aSecondInboundConnectionFromOnePeerBeyondThePerPeerLimitIsClosed() throws Exception {
        server(Limits.defaults().withMaxInboundConnectionsPerPeer(1));
        PrivateKey key = PrivateKey.generate();
        Host first = closeLater(Host.start(HostConfig.defaults().withIdentity(key)));
        Host twin = closeLater(Host.start(HostConfig.defaults().withIdentity(key))); // the same peer id
        Connection kept = first.connect(server.addresses().get(0));
        Connection refused;
        try {
            refused = twin.connect(server.addresses().get(0)); // the handshake completes, then the host closes it
        } catch (IOException e) {
            refused = null; // closed even before the dialer finished: just as good
        }
        if (refused != null) {
            Connection c = refused;
            WeftThreads.await("the server closed the second connection", c::isClosed);
        }
        byte[] hi = "the first one still works".getBytes();
        assertEquals(new String(hi), new String(Echo.echo(first.newStream(kept, Echo.PROTOCOL_ID), hi)));
        assertEquals(1, server.connections().size());
    }

    @Test
    void aConnectionBeyondThePendingUpgradesIsClosedAtOnceAndTheSlotFreesWhenTheStallEnds() throws Exception {
        server(Limits.defaults().withMaxPendingInboundConnections(1));
        FaultyConnection stalled = closeLater(FaultyConnection.connect(Rogue.port(server), 0,
                FaultyConnection.Fault.STALL));
        Host late = closeLater(Host.start(HostConfig.defaults()));
        // the stalled one holds the only slot as long as the server knows about it: connects fail until then
        WeftThreads.await("the stalled connection holds the pending slot", () -> {
            try {
                late.connect(server.addresses().get(0)).close();
                return false;
            } catch (IOException refused) {
                return true;
            }
        });
        stalled.close();
        WeftThreads.await("a connect succeeds once the stall ended", () -> {
            try {
                late.connect(server.addresses().get(0));
                return true;
            } catch (IOException stillRefused) {
                return false;
            }
        });
    }

    @Test
    void anInboundStreamThatNeverProposesAProtocolIsResetWithNegotiationFailed() throws Exception {
        server(Limits.defaults().withNegotiationTimeout(Duration.ofMillis(200)));
        GoodClient good = closeLater(new GoodClient(server));
        MuxedStream silent = good.connection.openStream();
        silent.write(new byte[0], 0, 0);
        StreamResetException e = assertThrows(StreamResetException.class, () -> silent.input().read());
        assertTrue(e.remote());
        assertEquals(ErrorCode.PROTOCOL_NEGOTIATION_FAILED, e.errorCode());
        good.check();
    }

    @Test
    void newStreamToAPeerThatNeverAnswersTheProposalTimesOutAndResetsTheStream() throws Exception {
        PrivateKey silentKey = PrivateKey.generate();
        weft.transport.Listener listener = closeLater(new weft.transport.tcp.TcpTransport()
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
        weft.testing.Background<MuxedStream> silent = weft.testing.Background.start(() -> {
            Connection c = Rogue.upgrader(silentKey, true, YamuxConfig.defaults()).upgradeInbound(listener.accept());
            closeables.add(c);
            return c.acceptStream(); // accepted, never answered
        });
        Host client = closeLater(Host.start(HostConfig.defaults()
                .withLimits(Limits.defaults().withNegotiationTimeout(Duration.ofMillis(200)))));
        Multiaddr address = listener.addresses().get(0)
                .encapsulate("/p2p/" + weft.crypto.PeerId.fromPublicKey(silentKey.publicKey()).toBase58());
        java.net.SocketTimeoutException e = assertThrows(java.net.SocketTimeoutException.class,
                () -> client.newStream(address, "/never/answered/1.0.0"));
        assertTrue(e.getMessage().startsWith("host: negotiating /never/answered/1.0.0 with "), e.getMessage());
        StreamResetException seen = assertThrows(StreamResetException.class, () -> silent.join().input().readAllBytes());
        assertEquals(ErrorCode.PROTOCOL_NEGOTIATION_FAILED, seen.errorCode());
    }

    @Test
    void anIdleStreamIsResetAfterTheIdleTimeoutWhenOneIsSet() throws Exception {
        server(Limits.defaults().withStreamIdleTimeout(Duration.ofMillis(200)));
        GoodClient good = closeLater(new GoodClient(server));
        MuxedStream idle = good.host.newStream(good.connection, Echo.PROTOCOL_ID);
        StreamResetException e = assertThrows(StreamResetException.class, () -> idle.input().read());
        assertTrue(e.remote());
        good.check();
    }

    @Test
    void aThirdPingStreamIsResetWithResourceLimitExceeded() throws Exception {
        server(Limits.defaults());
        GoodClient good = closeLater(new GoodClient(server));
        MuxedStream first = good.host.newStream(good.connection, Ping.PROTOCOL_ID);
        MuxedStream second = good.host.newStream(good.connection, Ping.PROTOCOL_ID);
        Ping.ping(first);
        Ping.ping(second);
        StreamResetException e = assertThrows(StreamResetException.class,
                () -> Ping.ping(good.host.newStream(good.connection, Ping.PROTOCOL_ID)));
        assertEquals(ErrorCode.RESOURCE_LIMIT_EXCEEDED, e.errorCode());
        first.closeWrite();
        second.closeWrite();
    }

    @Test
    void streamsBeyondTheMuxerLimitAreResetWithResourceLimitExceeded() throws Exception {
        server = closeLater(Host.start(HostConfig.defaults().withListenAddresses(LOOPBACK).withEcho(true)
                .withYamux(YamuxConfig.defaults().withMaxIncomingStreams(4))));
        GoodClient good = closeLater(new GoodClient(server));
        // four echo streams held open by the server's handlers, then one more
        List<MuxedStream> held = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(good.host.newStream(good.connection, Echo.PROTOCOL_ID));
        }
        IOException e = assertThrows(IOException.class,
                () -> good.host.newStream(good.connection, Echo.PROTOCOL_ID).input().read());
        StreamResetException reset = assertInstanceOf(StreamResetException.class, e);
        assertEquals(ErrorCode.RESOURCE_LIMIT_EXCEEDED, reset.errorCode());
        for (MuxedStream s : held) {
            s.closeWrite();
            assertEquals(-1, s.input().read());
        }
        good.check();
    }
}
