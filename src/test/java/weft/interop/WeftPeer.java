package weft.interop;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.connection.Connection;
import weft.connection.Upgrader;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.multistream.MultistreamSelect;
import weft.mux.MuxedStream;
import weft.mux.yamux.Yamux;
import weft.protocol.echo.Echo;
import weft.protocol.identify.Identify;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;
import weft.security.noise.NoiseSecureChannel;
import weft.transport.Listener;
import weft.transport.RawConnection;
import weft.transport.tcp.TcpTransport;

/**
 * A bare weft node for the interop tests, until {@code weft.host.Host} exists: TCP + Noise + yamux, serving ping,
 * identify (and push), echo, perf and the js peer's reset test protocol on every connection, inbound or outbound.
 */
final class WeftPeer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WeftPeer.class);

    /** The js peer's test protocol: the side that serves it reads one chunk, then resets the stream. */
    static final String RESET = "/weft-interop/reset/1.0.0";
    static final String AGENT = "weft/interop-test";
    static final List<String> PROTOCOLS = List.of(Echo.PROTOCOL_ID, Identify.PROTOCOL_ID, Identify.PUSH_PROTOCOL_ID,
            Ping.PROTOCOL_ID, Perf.PROTOCOL_ID, RESET);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final PrivateKey key = PrivateKey.generate();
    private final PeerId peerId = PeerId.fromPublicKey(key.publicKey());
    private final TcpTransport tcp = new TcpTransport();
    private final Upgrader upgrader;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<Connection> connections = new ConcurrentLinkedQueue<>();
    private final Queue<Exception> streamFailures = new ConcurrentLinkedQueue<>();
    private volatile Listener listener;

    WeftPeer(boolean earlyMuxer) {
        NoiseSecureChannel noise = new NoiseSecureChannel(key);
        if (earlyMuxer) {
            noise = noise.withMuxers(List.of(Yamux.PROTOCOL_ID));
        }
        upgrader = new Upgrader(List.of(noise), List.of(new Yamux()), TIMEOUT);
    }

    PeerId peerId() {
        return peerId;
    }

    /** Listens on loopback and returns the full address, {@code /ip4/127.0.0.1/tcp/<port>/p2p/<id>}. */
    Multiaddr listen() throws IOException {
        listener = tcp.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        threads.submit(this::acceptLoop);
        return listener.addresses().get(0).encapsulate("/p2p/" + peerId.toBase58());
    }

    Connection dial(Multiaddr address) throws IOException {
        RawConnection raw = tcp.dial(address, TIMEOUT);
        Connection connection = upgrader.upgradeOutbound(raw, Upgrader.peerIdOf(address).orElse(null));
        connections.add(connection);
        threads.submit(() -> serve(connection));
        return connection;
    }

    /** Opens a stream and selects {@code protocol} on it. */
    static MuxedStream newStream(Connection connection, String protocol) throws IOException {
        MuxedStream stream = connection.openStream();
        MultistreamSelect.select(stream, List.of(protocol));
        return stream;
    }

    /** What went wrong in stream handlers so far (an expected reset shows up here too). */
    Queue<Exception> streamFailures() {
        return streamFailures;
    }

    IdentifyMessage identifyFor(Connection connection) {
        return new IdentifyMessage("ipfs/0.1.0", AGENT, key.publicKey().marshal(),
                listener == null ? List.of() : listener.addresses(), connection.remoteAddress(), PROTOCOLS, null);
    }

    private Void acceptLoop() {
        while (true) {
            RawConnection raw;
            try {
                raw = listener.accept();
            } catch (ClosedChannelException e) {
                return null;
            } catch (IOException e) {
                log.debug("interop: accept failed: {}", e.toString());
                continue;
            }
            threads.submit(() -> {
                Connection connection = upgrader.upgradeInbound(raw);
                connections.add(connection);
                return serve(connection);
            });
        }
    }

    private Void serve(Connection connection) {
        while (true) {
            MuxedStream stream;
            try {
                stream = connection.acceptStream();
            } catch (IOException e) {
                return null; // the connection ended
            }
            threads.submit(() -> handle(connection, stream));
        }
    }

    private Void handle(Connection connection, MuxedStream stream) {
        try {
            String protocol = MultistreamSelect.handle(stream, PROTOCOLS);
            switch (protocol) {
                case Ping.PROTOCOL_ID -> Ping.serve(stream);
                case Echo.PROTOCOL_ID -> Echo.serve(stream);
                case Perf.PROTOCOL_ID -> Perf.serve(stream);
                case Identify.PROTOCOL_ID -> Identify.write(stream, identifyFor(connection));
                case Identify.PUSH_PROTOCOL_ID -> Identify.read(stream);
                case RESET -> {
                    stream.input().read(new byte[1024]);
                    stream.reset();
                }
                default -> throw new IllegalStateException(protocol);
            }
        } catch (IOException e) {
            streamFailures.add(e);
            log.debug("interop: stream {} failed: {}", stream.id(), e.toString());
            stream.reset();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        if (listener != null) {
            listener.close();
        }
        for (Connection connection : connections) {
            connection.close();
        }
        threads.shutdownNow();
    }
}
