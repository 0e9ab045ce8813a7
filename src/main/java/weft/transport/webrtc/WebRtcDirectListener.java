package weft.transport.webrtc;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.io.Threads;
import weft.multiformats.Multiaddr;
import weft.trace.Trace;
import weft.transport.webrtc.dtls.DtlsCertificate;
import weft.transport.webrtc.dtls.DtlsServer;
import weft.transport.webrtc.sctp.Association;
import weft.transport.webrtc.stun.IceLiteResponder;
import weft.transport.webrtc.stun.StunException;
import weft.transport.webrtc.stun.StunMessage;

/**
 * A WebRTC-direct listener: one UDP socket, many browsers.
 *
 * <p>webrtc-direct.md step 1: "_B_ acts as a ICE Lite agent. It binds to a UDP port waiting for incoming STUN and
 * SCTP packets and multiplexes based on source IP and source port." The socket loop reads every datagram and
 * sorts it by its first byte (RFC 7983 section 7: 0-3 STUN, 20-63 DTLS) and its source address:
 * <ul>
 *   <li>STUN: a valid connectivity check ({@link IceLiteResponder}) is answered; from a new address it creates
 *       that remote's {@link RemoteSession}, within the bounds of {@link Config}: in total, per IP address, in flight,
 *       and a rate ("_B_ SHOULD have a rate limiting mechanism in place"); a check beyond them gets no answer. From
 *       a known address it refreshes consent.
 *   <li>DTLS: from an address without a valid check, dropped. The first flights get a stateless cookie; the
 *       ClientHello with a valid cookie starts the remote's own thread (DTLS, SCTP, Noise); the rest queue to it.
 * </ul>
 *
 * <p>The rule this class exists for (the rust-libp2p bug that seeded weft's issue 10, fixed in libp2p-webrtc
 * 0.4.0-alpha.3): an error that belongs to one remote ends only that remote. An ICMP-derived
 * {@link PortUnreachableException} or connection reset on the shared socket, a bad datagram, a DTLS alert, an SCTP
 * abort, a failed Noise handshake, expired consent: none of them stops the loop. Only {@link #close} does.
 *
 * <p>Threads: the socket loop ({@code weft-webrtc-listener-<port>}), which also sweeps about once a second (consent
 * expired, or not authenticated within {@link Config#handshakeTimeout()}: that remote is torn down); per remote, a
 * setup thread and a DTLS record reader; the association timers on {@link weft.io.Scheduler#system()}.
 */
public final class WebRtcDirectListener implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(WebRtcDirectListener.class);

    /**
     * What one listener lets remotes make it hold. Every remote's state is bounded by these, and so is the total:
     * at most {@code maxRemotes} remotes, each with one association ({@code association}: its receive window bounds
     * the bytes it holds for the application, its send buffer what waits to go out) and at most
     * {@code channels.maxStreams()} data channels.
     *
     * @param maxRemotes remotes with state at once, set up or not (weft's 1024)
     * @param maxRemotesPerIp remotes at once from one IP address, set up or not; a check from a further port of
     *     that address is not answered (go-libp2p's resource manager allows 8 connections per IPv4 /32 and IPv6 /56,
     *     {@code defaultMaxConcurrentConns}; it exempts loopback, weft does not)
     * @param newRemotesPerSecond new remotes admitted per second ("_B_ SHOULD have a rate limiting mechanism in
     *     place", webrtc-direct.md; weft's 100)
     * @param maxPendingConnections remotes admitted but not yet taken by {@link #accept}: STUN, DTLS, SCTP and
     *     Noise in flight, or authenticated and queued; a new remote beyond is not answered, as the host's
     *     {@code maxPendingInboundConnections} refuses TCP connections still upgrading (go-libp2p webrtc
     *     {@code DefaultMaxInFlightConnections} 128: "there's no way to detect a peer that has gone away after
     *     sending the initial connection request message")
     * @param handshakeTimeout how long a remote has from its first valid check to a finished Noise handshake; a
     *     remote not authenticated by then is dropped (go-libp2p webrtc {@code candidateSetupTimeout} 10 s; weft's
     *     15 s)
     * @param consentTimeout RFC 7675 section 5.1: "consent expires after 30 seconds" without a fresh check
     * @param channels the data channels of each connection: stream limit, per-stream receive bound, timeouts
     * @param association the SCTP settings
     */
    public record Config(int maxRemotes, int maxRemotesPerIp, int newRemotesPerSecond, int maxPendingConnections,
                         Duration handshakeTimeout, Duration consentTimeout, DataChannelConfig channels,
                         Association.Config association) {
        public Config {
            java.util.Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            java.util.Objects.requireNonNull(consentTimeout, "consentTimeout");
            java.util.Objects.requireNonNull(channels, "channels");
            java.util.Objects.requireNonNull(association, "association");
            if (maxRemotes <= 0 || maxRemotesPerIp <= 0 || newRemotesPerSecond <= 0 || maxPendingConnections <= 0) {
                throw new IllegalArgumentException("webrtc: listener limits must be positive");
            }
        }

        public static Config defaults() {
            return new Config(1024, 8, 100, 128, Duration.ofSeconds(15), Duration.ofSeconds(30),
                    DataChannelConfig.defaults(), Association.Config.defaults());
        }

        public Config withMaxRemotes(int v) {
            return new Config(v, maxRemotesPerIp, newRemotesPerSecond, maxPendingConnections, handshakeTimeout,
                    consentTimeout, channels, association);
        }

        public Config withMaxRemotesPerIp(int v) {
            return new Config(maxRemotes, v, newRemotesPerSecond, maxPendingConnections, handshakeTimeout,
                    consentTimeout, channels, association);
        }

        public Config withNewRemotesPerSecond(int v) {
            return new Config(maxRemotes, maxRemotesPerIp, v, maxPendingConnections, handshakeTimeout,
                    consentTimeout, channels, association);
        }

        public Config withMaxPendingConnections(int v) {
            return new Config(maxRemotes, maxRemotesPerIp, newRemotesPerSecond, v, handshakeTimeout,
                    consentTimeout, channels, association);
        }

        public Config withHandshakeTimeout(Duration v) {
            return new Config(maxRemotes, maxRemotesPerIp, newRemotesPerSecond, maxPendingConnections, v,
                    consentTimeout, channels, association);
        }

        public Config withConsentTimeout(Duration v) {
            return new Config(maxRemotes, maxRemotesPerIp, newRemotesPerSecond, maxPendingConnections,
                    handshakeTimeout, v, channels, association);
        }

        public Config withChannels(DataChannelConfig v) {
            return new Config(maxRemotes, maxRemotesPerIp, newRemotesPerSecond, maxPendingConnections,
                    handshakeTimeout, consentTimeout, v, association);
        }

        public Config withAssociation(Association.Config v) {
            return new Config(maxRemotes, maxRemotesPerIp, newRemotesPerSecond, maxPendingConnections,
                    handshakeTimeout, consentTimeout, channels, v);
        }
    }

    /** Reads one datagram; the socket's own receive, or a test's wrapper around it. */
    @FunctionalInterface
    interface Receiver {
        void receive(DatagramPacket packet) throws IOException;
    }

    private final DatagramSocket socket;
    private final Receiver receiver;
    private final PrivateKey identity;
    private final DtlsServer dtls;
    private final Config config;
    private final Multiaddr address;
    private final Supplier<Trace> traces;
    private final Map<InetSocketAddress, RemoteSession> remotes = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<RemoteSession.Ready> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger pending = new AtomicInteger(); // admitted remotes accept() has not taken yet
    private final Thread loop;
    private volatile boolean closed;
    private long windowStart; // socket loop only: the rate limit's current second
    private int newInWindow; // socket loop only

    WebRtcDirectListener(DatagramSocket socket, Receiver receiver, PrivateKey identity, DtlsCertificate certificate,
            Config config) throws SocketException {
        this(socket, receiver, identity, certificate, config, () -> Trace.OFF);
    }

    /** As above, each remote's connection reporting to a trace from {@code traces}, from its verified ClientHello. */
    WebRtcDirectListener(DatagramSocket socket, Receiver receiver, PrivateKey identity, DtlsCertificate certificate,
            Config config, Supplier<Trace> traces) throws SocketException {
        this.traces = traces;
        this.socket = socket;
        this.receiver = receiver;
        this.identity = identity;
        this.dtls = new DtlsServer(certificate);
        this.config = config;
        InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
        this.address = Multiaddr.fromSocketAddress(local, "udp").encapsulate("/webrtc-direct/certhash/"
                + certificate.fingerprint().certhash() + "/p2p/" + PeerId.fromPublicKey(identity.publicKey()));
        socket.setSoTimeout(1000); // wakes the loop once a second to expire consent
        this.loop = Threads.startVirtual("weft-webrtc-listener-" + local.getPort(), this::run);
    }

    /** Binds a UDP socket on {@code local} (port 0: any) and starts serving. */
    public static WebRtcDirectListener bind(InetSocketAddress local, PrivateKey identity, DtlsCertificate certificate,
            Config config) throws IOException {
        return bind(local, identity, certificate, config, () -> Trace.OFF);
    }

    /** As {@link #bind(InetSocketAddress, PrivateKey, DtlsCertificate, Config)}, connections traced. */
    public static WebRtcDirectListener bind(InetSocketAddress local, PrivateKey identity, DtlsCertificate certificate,
            Config config, Supplier<Trace> traces) throws IOException {
        DatagramSocket socket = new DatagramSocket(local);
        return new WebRtcDirectListener(socket, socket::receive, identity, certificate, config, traces);
    }

    /** {@code /ip4/<ip>/udp/<port>/webrtc-direct/certhash/<fingerprint>/p2p/<id>}. */
    public Multiaddr address() {
        return address;
    }

    /** Waits for the next authenticated connection. */
    public WebRtcConnection accept() throws IOException {
        try {
            while (true) {
                if (closed) {
                    throw new ConnectionClosedException("webrtc: listener closed", false, null);
                }
                RemoteSession.Ready next = ready.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                if (next != null) {
                    endPending(next.session());
                    return next.connection();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("webrtc: interrupted while accepting");
        }
    }

    /** Remotes with state, set up or not. */
    int remoteCount() {
        return remotes.size();
    }

    /** Remotes admitted whose connection {@link #accept} has not taken (in setup, or authenticated and queued). */
    int pendingCount() {
        return pending.get();
    }

    private void run() {
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        long lastSweep = System.nanoTime();
        while (!closed) {
            try {
                packet.setLength(buffer.length);
                receiver.receive(packet);
                handle(Arrays.copyOf(buffer, packet.getLength()), (InetSocketAddress) packet.getSocketAddress());
            } catch (SocketTimeoutException e) {
                // a quiet second: time to sweep
            } catch (PortUnreachableException e) {
                // ICMP about an earlier send: it names no remote we could trust, and must not end the loop
                log.debug("webrtc: ignored icmp port unreachable on the shared socket");
            } catch (IOException e) {
                if (closed || socket.isClosed()) {
                    break;
                }
                log.debug("webrtc: socket error ignored: {}", e.toString()); // e.g. a connection reset from ICMP
            } catch (RuntimeException e) {
                log.warn("webrtc: datagram handling failed, loop goes on", e);
            }
            long now = System.nanoTime();
            if (now - lastSweep > 1_000_000_000L) {
                sweep(now);
                lastSweep = now;
            }
        }
        remotes.values().forEach(r -> r.close(new ConnectionClosedException("webrtc: listener closed", false, null)));
        remotes.clear();
    }

    private void handle(byte[] datagram, InetSocketAddress from) {
        if (datagram.length == 0) {
            return;
        }
        int first = datagram[0] & 0xff;
        RemoteSession remote = remotes.get(from);
        if (first < 4) {
            onStun(datagram, from, remote);
        } else if (first >= 20 && first <= 63 && remote != null) {
            onDtls(datagram, from, remote);
        }
        // anything else, or DTLS from an address that never sent a valid check: dropped without an answer
    }

    private void onStun(byte[] datagram, InetSocketAddress from, RemoteSession remote) {
        if (!StunMessage.isStun(datagram, datagram.length)) {
            return;
        }
        try {
            StunMessage request = StunMessage.decode(datagram, datagram.length);
            var answer = IceLiteResponder.answer(request, from);
            if (answer.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            if (remote == null) {
                String refused = refusal(from, now);
                if (refused != null) {
                    log.debug("webrtc: not answering {}: {}", from, refused);
                    return;
                }
                remote = new RemoteSession(from, answer.get().ufrag(), (b, o, l) -> sendTo(from, b, o, l), now);
                remotes.put(from, remote);
                pending.incrementAndGet();
            } else if (!remote.ufrag.equals(answer.get().ufrag())) {
                return; // another session's ufrag from the same address: not ours to answer
            }
            remote.consentRefreshed(now);
            byte[] response = answer.get().response();
            sendTo(from, response, 0, response.length);
        } catch (StunException e) {
            log.trace("webrtc: dropped stun from {}: {}", from, e.getMessage());
        } catch (IOException e) {
            log.debug("webrtc: could not answer {}: {}", from, e.toString());
        }
    }

    /** Why a new remote is not admitted, or null: the total, per-address and pending bounds, then the rate. */
    private String refusal(InetSocketAddress from, long now) {
        if (remotes.size() >= config.maxRemotes()) {
            return "remotes at the limit (" + remotes.size() + ")";
        }
        if (pending.get() >= config.maxPendingConnections()) {
            return "pending connections at the limit (" + pending.get() + ")";
        }
        int sameIp = 0;
        for (RemoteSession remote : remotes.values()) {
            sameIp += remote.address.getAddress().equals(from.getAddress()) && !remote.isClosed() ? 1 : 0;
        }
        if (sameIp >= config.maxRemotesPerIp()) {
            return "remotes from " + from.getAddress().getHostAddress() + " at the limit (" + sameIp + ")";
        }
        if (now - windowStart > 1_000_000_000L) {
            windowStart = now;
            newInWindow = 0;
        }
        return newInWindow++ < config.newRemotesPerSecond() ? null
                : "new remotes at the rate limit (" + config.newRemotesPerSecond() + " per second)";
    }

    /** {@code remote} leaves the pending count, once: accepted, or gone before. */
    private void endPending(RemoteSession remote) {
        if (remote.endPending()) {
            pending.decrementAndGet();
        }
    }

    private void forget(RemoteSession remote) {
        remotes.remove(remote.address, remote);
        endPending(remote);
    }

    private void onDtls(byte[] datagram, InetSocketAddress from, RemoteSession remote) {
        if (remote.handshakeStarted()) {
            remote.offer(datagram);
            return;
        }
        byte[] clientHello = remote.clientHello.add(datagram); // Chromium's comes in two datagrams
        if (clientHello == null) {
            return;
        }
        byte[] clientId = ByteBuffer.allocate(18).put(from.getAddress().getAddress()).putShort((short) from.getPort())
                .array();
        DtlsServer.VerifiedHello hello = dtls.verify(clientId, clientHello, clientHello.length,
                (b, o, l) -> sendTo(from, b, o, l));
        if (hello != null) {
            Trace trace = traces.get();
            if (trace.on()) WebRtcTrace.accepted(trace, (InetSocketAddress) socket.getLocalSocketAddress(), from);
            remote.start(dtls, hello, config, identity, trace, ready::add, () -> forget(remote));
        }
    }

    private void sendTo(InetSocketAddress to, byte[] buffer, int offset, int length) throws IOException {
        socket.send(new DatagramPacket(buffer, offset, length, to));
    }

    /**
     * Forgets remotes whose connection ended, and tears down those whose consent expired or that were not
     * authenticated within the handshake timeout.
     */
    private void sweep(long now) {
        long consent = config.consentTimeout().toNanos();
        long setup = config.handshakeTimeout().toNanos();
        for (RemoteSession remote : remotes.values()) {
            if (remote.isClosed()) {
                forget(remote);
            } else if (now - remote.lastConsentNanos() > consent) {
                log.debug("webrtc: consent expired for {}", remote.address);
                remote.close(new ConnectionClosedException("webrtc: consent expired", true, null));
                forget(remote);
            } else if (!remote.isAuthenticated() && now - remote.admittedNanos() > setup) {
                log.debug("webrtc: {} not authenticated within {} ms", remote.address,
                        config.handshakeTimeout().toMillis());
                remote.close(new ConnectionClosedException("webrtc: setup not done within "
                        + config.handshakeTimeout().toMillis() + " ms", true, null));
                forget(remote);
            }
        }
    }

    /** Stops the loop, closes the socket and every remote. */
    @Override
    public void close() {
        closed = true;
        socket.close();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
