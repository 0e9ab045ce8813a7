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
 *       that remote's {@link RemoteSession}, within a rate and a total bound ("_B_ SHOULD have a rate limiting
 *       mechanism in place"); from a known one it refreshes consent.
 *   <li>DTLS: from an address without a valid check, dropped. The first flights get a stateless cookie; the
 *       ClientHello with a valid cookie starts the remote's own thread (DTLS, SCTP, Noise); the rest queue to it.
 * </ul>
 *
 * <p>The rule this class exists for (the rust-libp2p bug that seeded weft's issue 10, fixed in libp2p-webrtc
 * 0.4.0-alpha.3): an error that belongs to one remote ends only that remote. An ICMP-derived
 * {@link PortUnreachableException} or connection reset on the shared socket, a bad datagram, a DTLS alert, an SCTP
 * abort, a failed Noise handshake, expired consent: none of them stops the loop. Only {@link #close} does.
 *
 * <p>Threads: the socket loop ({@code weft-webrtc-listener-<port>}); per remote, a setup thread and a DTLS record
 * reader; the association timers on {@link weft.io.Scheduler#system()}.
 */
public final class WebRtcDirectListener implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(WebRtcDirectListener.class);

    /**
     * Limits: total remotes, new remotes per second, open streams per connection, the Noise handshake timeout,
     * consent lifetime (RFC 7675 section 5.1: "consent expires after 30 seconds" without a fresh check), and the
     * SCTP settings.
     */
    public record Config(int maxRemotes, int newRemotesPerSecond, int maxStreams, Duration handshakeTimeout,
                         Duration consentTimeout, Association.Config association) {
        public static Config defaults() {
            return new Config(1024, 100, 1024, Duration.ofSeconds(15), Duration.ofSeconds(30),
                    Association.Config.defaults());
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
    private final LinkedBlockingQueue<WebRtcConnection> ready = new LinkedBlockingQueue<>();
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
                WebRtcConnection next = ready.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                if (next != null) {
                    return next;
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
                if (!admit(now)) {
                    return;
                }
                remote = new RemoteSession(from, answer.get().ufrag(), (b, o, l) -> sendTo(from, b, o, l), now);
                remotes.put(from, remote);
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

    /** The total bound and the per-second rate of new remotes. */
    private boolean admit(long now) {
        if (remotes.size() >= config.maxRemotes()) {
            return false;
        }
        if (now - windowStart > 1_000_000_000L) {
            windowStart = now;
            newInWindow = 0;
        }
        return newInWindow++ < config.newRemotesPerSecond();
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
            remote.start(dtls, hello, config, identity, trace, ready::add, () -> remotes.remove(from, remote));
        }
    }

    private void sendTo(InetSocketAddress to, byte[] buffer, int offset, int length) throws IOException {
        socket.send(new DatagramPacket(buffer, offset, length, to));
    }

    /** Forgets remotes whose connection ended and tears down those whose consent expired. */
    private void sweep(long now) {
        long limit = config.consentTimeout().toNanos();
        for (RemoteSession remote : remotes.values()) {
            if (remote.isClosed()) {
                remotes.remove(remote.address, remote);
            } else if (now - remote.lastConsentNanos() > limit) {
                log.debug("webrtc: consent expired for {}", remote.address);
                remote.close(new ConnectionClosedException("webrtc: consent expired", true, null));
                remotes.remove(remote.address, remote);
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
