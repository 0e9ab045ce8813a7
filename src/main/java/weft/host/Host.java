package weft.host;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ProtocolViolationException;
import weft.ResourceLimitException;
import weft.connection.Connection;
import weft.connection.Upgrader;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.io.Deadline;
import weft.io.Quietly;
import weft.io.Threads;
import weft.multiformats.Multiaddr;
import weft.multistream.MultistreamSelect;
import weft.mux.ErrorCode;
import weft.mux.MuxedStream;
import weft.mux.yamux.YamuxSession;
import weft.protocol.echo.Echo;
import weft.protocol.identify.Identify;
import weft.protocol.identify.IdentifyMessage;
import weft.protocol.perf.Perf;
import weft.protocol.ping.Ping;
import weft.trace.Trace;
import weft.transport.RawConnection;

/**
 * A libp2p node: listens, dials, keeps one connection per peer, negotiates a protocol on each stream and hands
 * inbound streams to the handler registered for their protocol. TCP, WebSocket or QUIC (the multiaddr chooses:
 * {@code .../tcp/N}, {@code .../tcp/N/ws}, {@code .../udp/N/quic-v1}), and WebRTC-direct (listen on
 * {@code .../udp/N/webrtc-direct} for browsers, dial {@code .../webrtc-direct/certhash/...}); on TCP and WebSocket
 * the security protocols (Noise, TLS) and
 * muxers (yamux, mplex) of the config in its order of preference ({@link ConnectionStack}), QUIC and WebRTC bring
 * their own. Ping and identify (with push) served always, echo and perf when configured. Identify runs on each
 * new connection, its answer kept ({@link #identifyOf}); the listen addresses it sent, and the addresses we dialed
 * it on, go into a bounded address book ({@link #addresses(PeerId)}) that {@link #connect(PeerId)} dials from.
 * Streams we open come back as a {@link HostStream} that names the protocol the peer picked from our proposals.
 *
 * <pre>{@code
 * HostConfig config = HostConfig.defaults().withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
 * try (Host host = Host.start(config)) {
 *     host.setStreamHandler("/my/1.0.0", (stream, conn) -> stream.output().write(42));
 *     MuxedStream s = host.newStream(Multiaddr.parse("/ip4/.../tcp/4001/p2p/12D3KooW..."), Ping.PROTOCOL_ID);
 *     Duration rtt = Ping.ping(s);
 * }
 * }</pre>
 *
 * <p>Threads (all virtual): one accept loop per listener; one upgrade thread per inbound connection; one thread
 * per connection accepting its streams; one per inbound stream running its handler; one identify run per new
 * connection. Calls like {@link #connect} and {@link #newStream} do their IO on the caller's thread and throw
 * what went wrong there. A connection that fails in any way is closed and logged at debug; listeners keep
 * accepting.
 *
 * <p>Bounds ({@link Limits}, {@link HostConfig#upgradeTimeout()}, the muxer's {@link weft.mux.yamux.YamuxConfig}),
 * each with its outcome, logged at debug:
 * <ul>
 *   <li>an inbound connection beyond {@code maxPendingInboundConnections} upgrading at once, or beyond
 *       {@code maxInboundConnections} established, is closed as soon as it is accepted;
 *   <li>an upgrade (multistream, security handshake, muxer selection together) longer than the upgrade timeout:
 *       closed;
 *   <li>an inbound connection beyond {@code maxInboundConnectionsPerPeer} from one peer: closed after its handshake;
 *   <li>an inbound stream that does not agree on a protocol within {@code negotiationTimeout}: reset with
 *       {@link ErrorCode#PROTOCOL_NEGOTIATION_FAILED}; our own {@link #newStream} then throws
 *       {@link SocketTimeoutException};
 *   <li>a third concurrent inbound ping stream from one peer: reset with {@link ErrorCode#RESOURCE_LIMIT_EXCEEDED};
 *   <li>identify (either way) that takes longer than {@link #IDENTIFY_TIMEOUT}: its stream is reset;
 *   <li>with a {@code streamIdleTimeout}, a handler's read or write that waits longer: the stream is reset;
 *   <li>the address book: 64 addresses per peer and 4096 peers, the least recently learned or used forgotten.
 * </ul>
 */
public final class Host implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Host.class);

    /** "The listening peer SHOULD accept at most two streams per peer" (ping spec {@code ping/ping.md}). */
    static final int MAX_INBOUND_PING_STREAMS = 2;

    /** Bounds each identify and identify-push exchange: go-libp2p's identify {@code DefaultTimeout} ({@code id.go}). */
    public static final Duration IDENTIFY_TIMEOUT = Duration.ofSeconds(5);

    private final HostConfig config;
    private final PrivateKey identity;
    private final PeerId peerId;
    private final Upgrader upgrader;
    private final Listeners listeners;
    private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
    private final Map<PeerId, List<Connection>> connections = new ConcurrentHashMap<>();
    private final Map<PeerId, IdentifyMessage> identified = new ConcurrentHashMap<>();
    private final AddressBook addressBook = new AddressBook();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    /** Connection ids ({@code c17}) count per process, so that traces of several hosts in one process never mix. */
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();
    /** One dial at a time per peer, so that concurrent callers share one connection (go-libp2p's swarm does too). */
    private final Map<PeerId, ReentrantLock> dialLocks = new ConcurrentHashMap<>();
    private final Map<PeerId, AtomicInteger> pingStreams = new ConcurrentHashMap<>();
    private final Limits limits;
    /** Inbound connections between accept and the end of their upgrade. */
    private final Semaphore pendingInbound;
    /** Held while an inbound connection is checked against the limits and registered. */
    private final ReentrantLock admission = new ReentrantLock();
    private volatile boolean closed;

    private Host(HostConfig config) {
        this.config = config;
        this.limits = config.limits();
        this.pendingInbound = new Semaphore(limits.maxPendingInboundConnections());
        this.identity = config.identity() != null ? config.identity() : PrivateKey.generate();
        this.peerId = PeerId.fromPublicKey(identity.publicKey());
        this.listeners = new Listeners(identity, config);
        this.upgrader = ConnectionStack.upgrader(config, identity);
        connectionListeners.add(new QuicKeepAlive(this, config.quic().keepAlivePeriod()));
        handlers.put(Ping.PROTOCOL_ID, this::servePing);
        handlers.put(Identify.PROTOCOL_ID, (stream, connection) -> Identify.write(stream, identifyFor(connection)));
        handlers.put(Identify.PUSH_PROTOCOL_ID, (stream, connection) -> {
            try (Deadline deadline = Deadline.closeAfter(IDENTIFY_TIMEOUT, stream::reset)) {
                recordIdentify(connection, Identify.read(stream), true);
            }
        });
        if (config.echo()) {
            handlers.put(Echo.PROTOCOL_ID, (stream, connection) -> Echo.serve(stream));
        }
        if (config.perf()) {
            handlers.put(Perf.PROTOCOL_ID, (stream, connection) -> Perf.serve(stream));
        }
    }

    /** Creates a host and starts listening on the configured addresses. */
    public static Host start(HostConfig config) throws IOException {
        Host host = new Host(config);
        try {
            for (Multiaddr address : config.listenAddresses()) {
                host.listen(address);
            }
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    public PeerId peerId() {
        return peerId;
    }

    public PrivateKey identity() {
        return identity;
    }

    /**
     * The addresses we listen on, each ending in {@code /p2p/<our id>}: what to give a peer that should dial us, and
     * what identify tells peers. A wildcard listener ({@code /ip4/0.0.0.0}, {@code /ip6/::}) is listed as one
     * address per address of this machine in that family, loopback included (see {@link Listeners}).
     */
    public List<Multiaddr> addresses() {
        return listeners.addresses().stream().map(a -> a.encapsulate("/p2p/" + peerId.toBase58())).toList();
    }

    /**
     * Starts listening on {@code address} (port 0: any free port) and returns the bound address with our ID (for a
     * wildcard, the wildcard: {@link #addresses()} lists the addresses to dial).
     */
    public Multiaddr listen(Multiaddr address) throws IOException {
        requireOpen();
        return listeners.listen(address, this::accepted, this::adopt, this::newTrace)
                .encapsulate("/p2p/" + peerId.toBase58());
    }

    /**
     * A connection to the peer at {@code address}: an open one to the same peer ID if there is one, else a new
     * one. With {@code /p2p/<id>} in the address the handshake checks that the peer is that one.
     *
     * @throws weft.security.PeerIdMismatchException if a different peer answered
     */
    public Connection connect(Multiaddr address) throws IOException {
        requireOpen();
        Optional<PeerId> expected = Upgrader.peerIdOf(address);
        if (expected.isEmpty()) {
            return dial(address, null);
        }
        ReentrantLock lock = dialLocks.computeIfAbsent(expected.get(), p -> new ReentrantLock());
        try {
            // waits for another caller's dial to this peer: bounded by its dial and upgrade timeouts
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("host: interrupted while waiting for a dial to " + expected.get());
        }
        try {
            Optional<Connection> existing = connection(expected.get());
            return existing.isPresent() ? existing.get() : dial(address, expected.get());
        } finally {
            lock.unlock();
        }
    }

    /**
     * A connection to {@code peer}: an open one if there is one, else the first of its known addresses
     * ({@link #addresses(PeerId)}, most recent first) that dials and proves to be that peer.
     *
     * @throws NoAddressException if we know no address for {@code peer}
     * @throws IOException the last address's failure when every one failed (the others attached as suppressed)
     */
    public Connection connect(PeerId peer) throws IOException {
        requireOpen();
        Optional<Connection> open = connection(peer);
        if (open.isPresent()) {
            return open.get();
        }
        List<Multiaddr> known = addressBook.addresses(peer);
        if (known.isEmpty()) {
            throw new NoAddressException(peer);
        }
        IOException last = null;
        for (Multiaddr address : known) {
            try {
                return connect(address.encapsulate("/p2p/" + peer.toBase58()));
            } catch (IOException e) {
                log.debug("host: dialing {} at {} failed: {}", peer, address, e.toString());
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
        }
        throw last;
    }

    /**
     * Dials, upgrades, and waits up to {@link #IDENTIFY_TIMEOUT} for identify, as go-libp2p's Connect does
     * ({@code IdentifyWait}): the answer proves the remote finished its side, so our next streams are not "early"
     * (js-libp2p aborts a muxer that gets more than {@code maxEarlyStreams} = 10 before its handler is attached).
     */
    private Connection dial(Multiaddr address, PeerId expected) throws IOException {
        Connection connection = listeners.dial(address, expected, upgrader, newTrace());
        Thread identify = adopt(connection);
        addressBook.add(connection.remotePeer(), List.of(address));
        try {
            identify.join(IDENTIFY_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("host: interrupted while identifying " + connection.remotePeer());
        }
        return connection;
    }

    /**
     * Where {@code peer} can be reached, most recent first, without {@code /p2p/}: the listen addresses it sent in
     * identify, the addresses we dialed it on, and those added with {@link #addAddresses}. Bounded: at most 64
     * per peer and 4096 peers, the least recently learned or used forgotten first.
     */
    public List<Multiaddr> addresses(PeerId peer) {
        return addressBook.addresses(peer);
    }

    /** Remembers {@code addresses} for {@code peer} (a trailing {@code /p2p/} is dropped), first given first dialed. */
    public void addAddresses(PeerId peer, Collection<Multiaddr> addresses) {
        addressBook.add(peer, addresses);
    }

    /** An open connection to {@code peer}, if we have one. */
    public Optional<Connection> connection(PeerId peer) {
        List<Connection> list = connections.get(peer);
        if (list == null) {
            return Optional.empty();
        }
        return list.stream().filter(c -> !c.isClosed()).findFirst();
    }

    /** Every open connection. */
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        connections.values().forEach(out::addAll);
        return out;
    }

    /**
     * Opens a stream to the peer at {@code address} (connecting if needed) and selects the first of
     * {@code protocols} it speaks; see {@link #newStream(Connection, String...)}.
     */
    public HostStream newStream(Multiaddr address, String... protocols) throws IOException {
        return newStream(connect(address), protocols);
    }

    /**
     * Opens a stream to {@code peer} (connecting through {@link #connect(PeerId)} if needed) and selects the first
     * of {@code protocols} it speaks; see {@link #newStream(Connection, String...)}.
     *
     * @throws NoAddressException if we are not connected and know no address for {@code peer}
     */
    public HostStream newStream(PeerId peer, String... protocols) throws IOException {
        return newStream(connect(peer), protocols);
    }

    /**
     * Opens a stream on {@code connection} and proposes {@code protocols} in order with multistream-select;
     * {@link HostStream#protocol()} tells which one the peer accepted.
     *
     * <p>Always a full round trip: js-libp2p 3.3 listeners lose lazily proposed streams (bench/README.md, latency).
     *
     * @throws weft.multistream.ProtocolNotSupportedException if the peer speaks none of them; the stream is reset
     * @throws IllegalArgumentException if {@code protocols} is empty
     */
    public HostStream newStream(Connection connection, String... protocols) throws IOException {
        return HostStream.open(connection, List.of(protocols), limits.negotiationTimeout());
    }

    /**
     * Serves {@code protocol} with {@code handler} on every connection, replacing any earlier handler. Connected
     * peers hear about a new protocol through identify push.
     */
    public void setStreamHandler(String protocol, StreamHandler handler) {
        if (handlers.put(protocol, handler) == null) {
            pushIdentify();
        }
    }

    /** Stops serving {@code protocol}; connected peers hear about it through identify push. */
    public void removeStreamHandler(String protocol) {
        if (handlers.remove(protocol) != null) {
            pushIdentify();
        }
    }

    /** The protocols we serve, sorted (what identify advertises). */
    public Set<String> protocols() {
        return new TreeSet<>(handlers.keySet());
    }

    /** What {@code peer} told us in identify (and identify push), if it did. */
    public Optional<IdentifyMessage> identifyOf(PeerId peer) {
        return Optional.ofNullable(identified.get(peer));
    }

    public void addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(listener);
    }

    /** Stops listening and closes every connection (yamux GO_AWAY, then the socket). Idempotent. */
    @Override
    public void close() {
        closed = true;
        listeners.close();
        for (Connection connection : connections()) {
            try {
                connection.close();
            } catch (IOException e) {
                log.debug("host: closing {} failed: {}", connection, e.toString());
            }
        }
        listeners.closeTransports();
    }

    // ---- connections --------------------------------------------------------------------------------------

    /** Called on a listener's accept thread for each connection it accepts: refuses it or starts its upgrade. */
    private void accepted(RawConnection raw) {
        String refused = refusal();
        if (refused != null) {
            log.debug("host: refusing inbound connection from {}: {}", raw.remoteAddress(), refused);
            Quietly.close(raw);
            return;
        }
        try {
            Threads.startVirtual("weft-upgrade-" + raw.remoteAddress(), () -> {
                try {
                    adopt(upgrader.upgradeInbound(raw, newTrace()));
                } catch (IOException | RuntimeException e) {
                    log.debug("host: inbound connection from {} failed: {}", raw.remoteAddress(), e.toString());
                } finally {
                    pendingInbound.release();
                }
            });
        } catch (RuntimeException | OutOfMemoryError e) { // no thread for it: drop this one, keep accepting
            pendingInbound.release();
            Quietly.close(raw);
            log.debug("host: dropping inbound connection from {}: {}", raw.remoteAddress(), e.toString());
        }
    }

    /**
     * Why a just-accepted connection cannot be taken, or null when it can; when it can, it holds a pending slot
     * that its upgrade thread releases.
     */
    private String refusal() {
        int established = inboundConnections(null);
        if (established >= limits.maxInboundConnections()) {
            return established + " inbound connections (limit " + limits.maxInboundConnections() + ")";
        }
        if (!pendingInbound.tryAcquire()) {
            return limits.maxPendingInboundConnections() + " inbound connections upgrading (limit "
                    + limits.maxPendingInboundConnections() + ")";
        }
        return null;
    }

    /** Open inbound connections, all of them or ({@code peer} not null) from one peer. */
    private int inboundConnections(PeerId peer) {
        int n = 0;
        for (Map.Entry<PeerId, List<Connection>> e : connections.entrySet()) {
            if (peer == null || peer.equals(e.getKey())) {
                for (Connection c : e.getValue()) {
                    n += !c.isDialer() && !c.isClosed() ? 1 : 0;
                }
            }
        }
        return n;
    }

    /** Registers a new connection, starts accepting its streams, and identifies the peer (the returned thread). */
    private Thread adopt(Connection connection) throws IOException {
        if (closed) {
            connection.close();
            throw new ClosedChannelException();
        }
        admission.lock();
        try {
            if (!connection.isDialer()) {
                int total = inboundConnections(null);
                int fromPeer = inboundConnections(connection.remotePeer());
                String refused = total >= limits.maxInboundConnections()
                        ? total + " inbound connections (limit " + limits.maxInboundConnections() + ")"
                        : fromPeer >= limits.maxInboundConnectionsPerPeer()
                                ? fromPeer + " inbound connections from " + connection.remotePeer() + " (limit "
                                        + limits.maxInboundConnectionsPerPeer() + ")"
                                : null;
                if (refused != null) {
                    if (connection.muxedConnection() instanceof YamuxSession yamux) {
                        yamux.closeWithError(ErrorCode.RESOURCE_LIMIT_EXCEEDED); // GO_AWAY says why
                    } else {
                        Quietly.close(connection);
                    }
                    throw new ResourceLimitException("host: closing " + connection + ": " + refused);
                }
            }
            connections.computeIfAbsent(connection.remotePeer(), p -> new CopyOnWriteArrayList<>()).add(connection);
        } finally {
            admission.unlock();
        }
        String id = connection.trace() != Trace.OFF ? connection.trace().connection()
                : "c" + CONNECTION_IDS.incrementAndGet(); // from a transport that ignored its trace
        log.debug("host: {} {}", id, connection);
        connectionListeners.forEach(l -> l.connected(connection));
        Threads.startVirtual("weft-streams-" + id, () -> acceptStreams(connection, id));
        return Threads.startVirtual("weft-identify-" + id, () -> identify(connection));
    }

    /** A connection's id ({@code c17}) and its trace, made before its first byte so every layer shares them. */
    private Trace newTrace() {
        return Trace.start(config.trace(), "c" + CONNECTION_IDS.incrementAndGet());
    }

    private void acceptStreams(Connection connection, String id) {
        try {
            while (true) {
                MuxedStream stream = connection.acceptStream();
                Threads.startVirtual("weft-stream-" + id + "/" + stream.id(), () -> serve(stream, connection));
            }
        } catch (IOException e) {
            log.debug("host: {} ended: {}", id, e.toString());
        } finally {
            List<Connection> list = connections.get(connection.remotePeer());
            if (list != null) {
                list.remove(connection);
            }
            Quietly.close(connection);
            connectionListeners.forEach(l -> l.disconnected(connection));
        }
    }

    private void serve(MuxedStream stream, Connection connection) {
        String protocol = null;
        Deadline negotiation = Deadline.closeAfter(limits.negotiationTimeout(),
                () -> stream.reset(ErrorCode.PROTOCOL_NEGOTIATION_FAILED));
        try {
            try {
                protocol = MultistreamSelect.handle(stream, handlers::containsKey);
            } finally {
                negotiation.close();
            }
            if (negotiation.expired()) {
                throw new SocketTimeoutException("host: no protocol agreed within "
                        + limits.negotiationTimeout().toMillis() + " ms, stream reset");
            }
            if (!limits.streamIdleTimeout().isZero()) {
                stream.setReadTimeout(limits.streamIdleTimeout());
                stream.setWriteTimeout(limits.streamIdleTimeout());
            }
            StreamHandler handler = handlers.get(protocol);
            if (handler == null) { // removed while negotiating
                stream.reset();
                return;
            }
            handler.handle(stream, connection);
            stream.close();
        } catch (IOException | RuntimeException e) {
            log.debug("host: stream {} ({}) from {} failed: {}", stream.id(), protocol, connection.remotePeer(),
                    negotiation.expired() ? "no protocol agreed within " + limits.negotiationTimeout().toMillis()
                            + " ms, reset (PROTOCOL_NEGOTIATION_FAILED)" : e.toString());
            if (protocol == null && e instanceof ProtocolViolationException && !negotiation.expired()) {
                // a lazy dialer's data behind its proposal reads as a bad message after our na: close, so the
                // dialer still reads the na (a reset would drop it) and reports the protocol as not supported
                Quietly.close(stream);
            } else {
                stream.reset();
            }
        }
    }

    // ---- ping ---------------------------------------------------------------------------------------------

    /**
     * Ping spec: "The listening peer SHOULD accept at most two streams per peer since cross-stream behavior is
     * non-linear". A third concurrent ping stream from the same peer is reset.
     */
    private void servePing(MuxedStream stream, Connection connection) throws IOException {
        AtomicInteger open = pingStreams.computeIfAbsent(connection.remotePeer(), p -> new AtomicInteger());
        try {
            if (open.incrementAndGet() > MAX_INBOUND_PING_STREAMS) {
                log.debug("host: refusing a ping stream from {}: {} already open", connection.remotePeer(),
                        MAX_INBOUND_PING_STREAMS);
                stream.reset(ErrorCode.RESOURCE_LIMIT_EXCEEDED);
                return;
            }
            Ping.serve(stream);
        } finally {
            open.decrementAndGet();
        }
    }

    // ---- identify -----------------------------------------------------------------------------------------

    private void identify(Connection connection) {
        try {
            MuxedStream stream = newStream(connection, Identify.PROTOCOL_ID);
            try (Deadline deadline = Deadline.closeAfter(IDENTIFY_TIMEOUT, stream::reset)) {
                recordIdentify(connection, Identify.read(stream), false);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("host: identify of {} failed: {}", connection.remotePeer(), e.toString());
        }
    }

    /**
     * Sends our identify message to every connected peer on {@code /ipfs/id/push/1.0.0}, each from its own thread;
     * a peer that does not speak push answers {@code na} and that is all (go-libp2p pushes the same way).
     */
    private void pushIdentify() {
        for (Connection connection : connections()) {
            Threads.startVirtual("weft-identify-push", () -> {
                try {
                    MuxedStream stream = newStream(connection, Identify.PUSH_PROTOCOL_ID);
                    try (Deadline deadline = Deadline.closeAfter(IDENTIFY_TIMEOUT, stream::reset)) {
                        Identify.write(stream, identifyFor(connection));
                    }
                } catch (IOException | RuntimeException e) {
                    log.debug("host: identify push to {} failed: {}", connection.remotePeer(), e.toString());
                }
            });
        }
    }

    /** What we tell a peer about ourselves on {@code connection}. */
    IdentifyMessage identifyFor(Connection connection) {
        return new IdentifyMessage("ipfs/0.1.0", config.agentVersion(), identity.publicKey().marshal(),
                listeners.addresses(),
                connection.remoteAddress(), List.copyOf(protocols()), null);
    }

    /** Keeps what a peer said: a full identify replaces what we knew, a push updates it. */
    private void recordIdentify(Connection connection, IdentifyMessage message, boolean push) {
        IdentifyMessage known = identified.merge(connection.remotePeer(), message,
                (old, update) -> push ? old.updatedBy(update) : update);
        addressBook.add(connection.remotePeer(), message.listenAddrs());
        connectionListeners.forEach(l -> l.identified(connection, known));
    }

    private void requireOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }
}
