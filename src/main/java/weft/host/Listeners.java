package weft.host;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.connection.Upgrader;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.io.Threads;
import weft.multiformats.Multiaddr;
import weft.trace.Trace;
import weft.transport.Listener;
import weft.transport.RawConnection;
import weft.transport.Transport;
import weft.transport.UnsupportedMultiaddrException;
import weft.transport.tcp.TcpTransport;
import weft.transport.quic.QuicConfig;
import weft.transport.quic.QuicTransport;
import weft.transport.webrtc.WebRtcDirectTransport;
import weft.transport.webrtc.dtls.DtlsCertificate;
import weft.transport.websocket.WebSocketTransport;

/**
 * The host's transports and listeners: picks the transport for an address, runs one accept loop per listener, and
 * says where the host can be dialed.
 *
 * <p>A listener bound to a wildcard ({@code /ip4/0.0.0.0/tcp/N}, {@code /ip6/::/tcp/N}, either with {@code /ws})
 * stays bound to it, but {@link #addresses()} reports it as one address per address of that family on an up
 * network interface, with the bound port and the rest of the multiaddr kept: {@code /ip4/0.0.0.0/tcp/4001/ws}
 * becomes {@code /ip4/192.168.1.5/tcp/4001/ws} and {@code /ip4/127.0.0.1/tcp/4001/ws}. That is what go-libp2p's
 * basic host advertises ({@code p2p/host/basic/basic_host.go}: the listen addresses resolved with
 * {@code manet.ResolveUnspecifiedAddresses} against {@code manet.InterfaceMultiaddrs}, IPv6 link-local ones left
 * out, loopback kept, and the loopback addresses alone when the interfaces cannot be read). Here, in addition:
 * link-local IPv6 addresses (with their {@code /ip6zone}) are used when a family has nothing else, and loopback
 * addresses come last, so that a remote peer dialing in order tries the routable ones first. The interfaces are
 * read on every call, and only when some listener is on a wildcard.
 *
 * <p>QUIC ({@code /udp/N/quic-v1}) is a {@link SecureTransport}: its connections come secured and multiplexed, so a
 * dial skips the upgrader and its listener's accept loop hands over finished connections. It is made on first use
 * (its event-loop thread with it), with the host's {@link QuicConfig}, and only when netty's QUIC is on the class
 * path ({@link QuicTransport#isAvailable}).
 *
 * <p>WebRTC-direct ({@code /udp/N/webrtc-direct}) is one too, listen-only: its listener reports
 * {@code .../webrtc-direct/certhash/<fingerprint>} (expanded like any wildcard), accepts connections that DTLS,
 * SCTP and Noise secured, and a dial fails with {@link UnsupportedMultiaddrException}. It is made on first use,
 * with the configured certificate or, without one, a fresh certificate then.
 */
final class Listeners implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    /** Tried in order; the first whose {@code canDial}/{@code canListen} accepts an address handles it. */
    private final List<Transport> transports = List.of(new TcpTransport(), new WebSocketTransport());
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<SecureTransport.Listener> secureListeners = new CopyOnWriteArrayList<>();
    private final PrivateKey identity;
    /** Guards making the secure transports on first use (QUIC, WebRTC-direct). */
    private final ReentrantLock secureLock = new ReentrantLock();
    private SecureTransport quic; // guarded by secureLock; made on first use
    private boolean quicUnavailable; // guarded by secureLock
    private final HostConfig config; // the transports' settings and the dial timeouts
    private SecureTransport webRtc; // guarded by secureLock; made on first use

    /** A connection a secure transport's listener accepted, handshake done; the host adopts it. */
    @FunctionalInterface
    interface Adopter {
        void adopt(Connection connection) throws IOException;
    }

    Listeners(PrivateKey identity, HostConfig config) {
        this.identity = identity;
        this.config = config;
    }

    /**
     * A new connection to {@code address}: QUIC's already secure and multiplexed, any other transport's upgraded by
     * {@code upgrader} (which checks {@code expected}; QUIC checks the {@code /p2p/} of the address itself), its
     * layers reporting to {@code trace}. The host's {@code dialTimeout} bounds a TCP connect and
     * {@code upgradeTimeout} the upgrade; a secure transport's dial, whose handshake is its connect, gets both.
     */
    Connection dial(Multiaddr address, PeerId expected, Upgrader upgrader, Trace trace) throws IOException {
        SecureTransport secure = secureTransportFor(address, true);
        if (secure != null) {
            return secure.dial(address, config.dialTimeout().plus(config.upgradeTimeout()), trace);
        }
        RawConnection raw = transportFor(address, true).dial(address, config.dialTimeout());
        return upgrader.upgradeOutbound(raw, expected, trace);
    }

    /**
     * The secure transport for {@code address} (QUIC for {@code .../udp/N/quic-v1}, WebRTC-direct for
     * {@code .../udp/N/webrtc-direct[/certhash/...]}), or null.
     */
    private SecureTransport secureTransportFor(Multiaddr address, boolean dial) throws IOException {
        if (WebRtcDirectTransport.isWebRtcDirect(address)) {
            return webRtcTransport();
        }
        Multiaddr plain = address.withoutPeerId();
        if (plain.isEmpty() || !plain.components().get(plain.components().size() - 1).protocol().equals("quic-v1")) {
            return null;
        }
        secureLock.lock();
        try {
            if (quic == null && !quicUnavailable) {
                if (QuicTransport.isAvailable()) {
                    quic = new QuicTransport(identity, config.quic());
                } else {
                    quicUnavailable = true;
                    log.debug("host: no QUIC: netty-codec-native-quic and its native library are not available");
                }
            }
            if (quic == null) {
                throw new UnsupportedMultiaddrException("host: cannot use " + address + ": QUIC needs "
                        + "io.netty:netty-codec-native-quic and its native jar on the class path", address);
            }
            if (dial ? !quic.canDial(address) : !quic.canListen(address)) {
                throw new UnsupportedMultiaddrException("host: quic cannot " + (dial ? "dial " : "listen on ")
                        + address + " (want /ip4|ip6/<ip>/udp/<port>/quic-v1)", address);
            }
            return quic;
        } catch (LinkageError e) { // netty's classes missing
            quicUnavailable = true;
            throw new UnsupportedMultiaddrException("host: cannot use " + address + ": " + e, address);
        } finally {
            secureLock.unlock();
        }
    }

    /** WebRTC-direct, made on first use; its {@code dial} says it is listen-only, {@code listen} checks the shape. */
    private SecureTransport webRtcTransport() {
        secureLock.lock();
        try {
            if (webRtc == null) {
                DtlsCertificate certificate = config.webRtcCertificate(); // null: a fresh one, made now
                webRtc = new WebRtcDirectTransport(identity,
                        certificate != null ? certificate : DtlsCertificate.generate(), config.webRtc());
            }
            return webRtc;
        } finally {
            secureLock.unlock();
        }
    }

    /** The transport for {@code address}: TCP for {@code .../tcp/N}, WebSocket for {@code .../tcp/N/ws} or wss. */
    Transport transportFor(Multiaddr address, boolean dial) throws UnsupportedMultiaddrException {
        for (Transport transport : transports) {
            if (dial ? transport.canDial(address) : transport.canListen(address)) {
                return transport;
            }
        }
        throw new UnsupportedMultiaddrException("host: no transport can " + (dial ? "dial " : "listen on ") + address
                + " (tcp: /ip4|ip6|dns*/<host>/tcp/<port>; websocket: the same with /ws or /wss)", address);
    }

    /**
     * Starts listening on {@code address} and an accept loop (its own virtual thread) that hands each accepted
     * connection to {@code accepted} (a secure transport's, handshake done, to {@code secured}, each traced to one
     * of {@code traces}); returns the bound address as the listener reports it (a wildcard stays one).
     */
    Multiaddr listen(Multiaddr address, Consumer<RawConnection> accepted, Adopter secured, Supplier<Trace> traces)
            throws IOException {
        SecureTransport secure = secureTransportFor(address, false);
        if (secure != null) {
            SecureTransport.Listener listener = secure.listen(address, traces);
            secureListeners.add(listener);
            Multiaddr bound = listener.addresses().get(0);
            Threads.startVirtual("weft-accept-" + bound, () -> acceptLoop(listener, secured));
            return bound;
        }
        Listener listener = transportFor(address, false).listen(address);
        listeners.add(listener);
        Multiaddr bound = listener.addresses().get(0);
        Threads.startVirtual("weft-accept-" + bound, () -> acceptLoop(listener, accepted));
        return bound;
    }

    private static void acceptLoop(Listener listener, Consumer<RawConnection> accepted) {
        while (true) {
            RawConnection raw;
            try {
                raw = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.debug("host: accept on {} failed: {}", listener, e.toString());
                continue;
            }
            accepted.accept(raw);
        }
    }

    private static void acceptLoop(SecureTransport.Listener listener, Adopter secured) {
        while (true) {
            Connection connection;
            try {
                connection = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.debug("host: accept on {} failed: {}", listener, e.toString());
                continue;
            }
            try {
                secured.adopt(connection);
            } catch (IOException | RuntimeException e) {
                log.debug("host: inbound connection {} failed: {}", connection, e.toString());
            }
        }
    }

    /** Where we listen, without {@code /p2p/}, wildcards expanded to this machine's addresses (see above). */
    List<Multiaddr> addresses() {
        List<InetAddress> local = null; // read once per call, and only if a listener needs it
        List<Multiaddr> out = new ArrayList<>();
        List<Multiaddr> bound = new ArrayList<>();
        listeners.forEach(l -> bound.addAll(l.addresses()));
        secureListeners.forEach(l -> bound.addAll(l.addresses()));
        for (Multiaddr address : bound) {
            if (!unspecified(address)) {
                out.add(address);
                continue;
            }
            if (local == null) {
                local = interfaceAddresses();
            }
            List<Multiaddr> expanded = expand(address, local);
            if (expanded.isEmpty()) {
                log.debug("host: no interface address for {}, not advertising it", address);
            }
            out.addAll(expanded);
        }
        return out;
    }

    /** True when {@code address} starts with {@code /ip4/0.0.0.0} or {@code /ip6/::}. */
    static boolean unspecified(Multiaddr address) {
        if (address.isEmpty()) {
            return false;
        }
        Multiaddr.Component first = address.components().get(0);
        return first.protocol().equals("ip4") && first.value().equals("0.0.0.0")
                || first.protocol().equals("ip6") && first.value().equals("::");
    }

    /**
     * {@code wildcard} with its IP replaced by each of {@code local} of the same family: IPv6 link-local ones only
     * when there is no other, loopback last, otherwise in the given order.
     */
    static List<Multiaddr> expand(Multiaddr wildcard, List<InetAddress> local) {
        boolean ip4 = wildcard.components().get(0).protocol().equals("ip4");
        List<InetAddress> chosen = new ArrayList<>();
        List<InetAddress> linkLocal = new ArrayList<>();
        List<InetAddress> loopback = new ArrayList<>();
        for (InetAddress ip : local) {
            if (ip4 ? !(ip instanceof Inet4Address) : !(ip instanceof Inet6Address)) {
                continue;
            }
            (ip.isLoopbackAddress() ? loopback : !ip4 && ip.isLinkLocalAddress() ? linkLocal : chosen).add(ip);
        }
        chosen.addAll(loopback);
        if (chosen.isEmpty()) {
            chosen = linkLocal;
        }
        StringBuilder rest = new StringBuilder(); // everything after the IP: /tcp/N, /ws, ...
        for (Multiaddr.Component c : wildcard.components().subList(1, wildcard.components().size())) {
            rest.append(c);
        }
        List<Multiaddr> out = new ArrayList<>();
        for (InetAddress ip : chosen) {
            // fromSocketAddress writes /ip6zone for a scoped (link-local) address; the port is dropped again
            Multiaddr host = Multiaddr.fromSocketAddress(new InetSocketAddress(ip, 0), "tcp").decapsulate("tcp");
            out.add(rest.isEmpty() ? host : host.encapsulate(rest.toString()));
        }
        return out;
    }

    /**
     * The addresses of every up interface; the loopback addresses alone when the interfaces cannot be read (as
     * go-libp2p falls back to {@code manet.IP4Loopback} and {@code IP6Loopback}).
     */
    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                try {
                    if (nic.isUp()) {
                        out.addAll(nic.inetAddresses().toList());
                    }
                } catch (SocketException e) {
                    log.debug("host: reading interface {} failed: {}", nic.getName(), e.toString());
                }
            }
        } catch (SocketException e) {
            log.debug("host: reading the network interfaces failed, using loopback: {}", e.toString());
            byte[] ip6 = new byte[16];
            ip6[15] = 1;
            return List.of(ip(new byte[] {127, 0, 0, 1}), ip(ip6));
        }
        return out;
    }

    private static InetAddress ip(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (IOException e) {
            throw new AssertionError("4 or 16 bytes are an IP address", e);
        }
    }

    /** Stops every listener; connections already accepted stay open. */
    @Override
    public void close() {
        List<Closeable> all = new ArrayList<>(listeners);
        all.addAll(secureListeners);
        for (Closeable listener : all) {
            try {
                listener.close();
            } catch (IOException e) {
                log.debug("host: closing listener {} failed: {}", listener, e.toString());
            }
        }
    }

    /**
     * Stops the transports' own threads (QUIC's event loop, WebRTC's socket loops) and whatever still runs on them;
     * after {@link #close}.
     */
    void closeTransports() {
        secureLock.lock();
        try {
            if (quic != null) {
                quic.close();
            }
            if (webRtc != null) {
                webRtc.close();
            }
        } finally {
            secureLock.unlock();
        }
    }
}
