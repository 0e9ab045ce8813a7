package weft.transport.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.multiformats.MultiformatException;
import weft.trace.Trace;
import weft.transport.UnsupportedMultiaddrException;
import weft.transport.webrtc.dtls.DtlsCertificate;

/**
 * WebRTC-direct as a {@link SecureTransport} for the host: listens on {@code /ip4|ip6/<ip>/udp/<port>/webrtc-direct}
 * and hands out connections that DTLS, SCTP and Noise on channel 0 already secured and multiplexed, as QUIC does.
 * A listener reports {@code /ip4/<ip>/udp/<port>/webrtc-direct/certhash/<fingerprint>}, the address a browser dials
 * once the host appends {@code /p2p/<id>} (webrtc-direct.md: "_B_ ... advertises the corresponding multiaddress").
 *
 * <p>It dials too, as a browser does ({@link WebRtcDirectDialer}): {@code /ip4|ip6/<ip>/udp/<port>/webrtc-direct/
 * certhash/<fingerprint>[/p2p/<id>]}, one UDP socket per connection, the server's certificate checked against the
 * certhash ({@link CerthashMismatchException}) and the Noise handshake's peer against the {@code /p2p/}
 * ({@link weft.security.PeerIdMismatchException}). The dialer's DTLS certificate is the transport's.
 *
 * <p>Every listener of one transport presents the same {@link DtlsCertificate}, so its certhash, and with it the
 * address, stays what it was as long as the certificate does: store it beside the identity
 * ({@link weft.transport.webrtc.dtls.CertificateFile}) to keep the address across restarts.
 *
 * <pre>{@code
 * try (WebRtcDirectTransport webrtc = new WebRtcDirectTransport(identity, DtlsCertificate.generate(),
 *         WebRtcDirectListener.Config.defaults())) {
 *     SecureTransport.Listener listener = webrtc.listen(Multiaddr.parse("/ip4/0.0.0.0/udp/4001/webrtc-direct"));
 *     Connection browser = listener.accept();   // remote peer known, streams are data channels
 * }
 * }</pre>
 */
public final class WebRtcDirectTransport implements SecureTransport {
    private static final Logger log = LoggerFactory.getLogger(WebRtcDirectTransport.class);

    /** The multiaddr protocol name, and what {@link Connection#securityProtocol()} and muxer say for it. */
    public static final String PROTOCOL = "webrtc-direct";

    private final PrivateKey identity;
    private final PeerId localPeer;
    private final DtlsCertificate certificate;
    private final WebRtcDirectListener.Config config;
    private final Set<HostListener> listeners = ConcurrentHashMap.newKeySet();
    /** Dialed connections still open, each on its own socket; pruned on every dial. */
    private final Set<WebRtcConnection> dialed = ConcurrentHashMap.newKeySet();

    public WebRtcDirectTransport(PrivateKey identity, DtlsCertificate certificate, WebRtcDirectListener.Config config) {
        this.identity = identity;
        this.localPeer = PeerId.fromPublicKey(identity.publicKey());
        this.certificate = certificate;
        this.config = config;
    }

    /**
     * True if {@code address} names webrtc-direct: it ends in {@code /webrtc-direct}, optionally followed by
     * {@code /certhash/...} components and {@code /p2p/<id>} (the shape of a dialable address).
     */
    public static boolean isWebRtcDirect(Multiaddr address) {
        List<Multiaddr.Component> parts = address.withoutPeerId().components();
        int end = parts.size();
        while (end > 0 && parts.get(end - 1).protocol().equals("certhash")) {
            end--;
        }
        return end > 0 && parts.get(end - 1).protocol().equals(PROTOCOL);
    }

    /**
     * True for {@code /ip4|ip6/<ip>/udp/<port>/webrtc-direct/certhash/<sha-256 multihash>...}, optionally with
     * {@code /p2p/<id>}: the certhash is what the dialer checks the server's certificate against, so it is required.
     */
    @Override
    public boolean canDial(Multiaddr address) {
        return WebRtcDirectDialer.Target.parse(address) != null;
    }

    /** {@code /ip4|ip6/<ip>/udp/<port>/webrtc-direct}, nothing after it: the certhash is the listener's to add. */
    @Override
    public boolean canListen(Multiaddr address) {
        return socketAddress(address) != null;
    }

    private static InetSocketAddress socketAddress(Multiaddr address) {
        List<Multiaddr.Component> parts = address.components();
        if (parts.size() != 3 || !parts.get(1).protocol().equals("udp") || !parts.get(2).protocol().equals(PROTOCOL)
                || !parts.get(0).protocol().equals("ip4") && !parts.get(0).protocol().equals("ip6")) {
            return null;
        }
        try {
            return address.decapsulate(PROTOCOL).toSocketAddress();
        } catch (MultiformatException e) {
            return null;
        }
    }

    @Override
    public Connection dial(Multiaddr address, Duration timeout) throws IOException {
        return dial(address, timeout, Trace.OFF);
    }

    /**
     * Dials {@code address}: STUN, DTLS as client, SCTP as initiator, Noise as responder on channel 0.
     *
     * @param timeout bounds all of it; zero or negative: the listener config's {@code handshakeTimeout}
     * @throws UnsupportedMultiaddrException if {@link #canDial} is false for {@code address}
     * @throws CerthashMismatchException if the server's certificate is not the one the certhash names
     * @throws weft.security.PeerIdMismatchException if the server proves another peer than {@code /p2p/}
     * @throws java.net.SocketTimeoutException when the timeout passes first
     */
    @Override
    public Connection dial(Multiaddr address, Duration timeout, Trace trace) throws IOException {
        WebRtcDirectDialer.Target target = WebRtcDirectDialer.Target.parse(address);
        if (target == null) {
            throw new UnsupportedMultiaddrException("webrtc: cannot dial " + address
                    + " (want /ip4|ip6/<ip>/udp/<port>/webrtc-direct/certhash/<sha-256>[/p2p/<id>], port not 0)",
                    address);
        }
        Duration bound = timeout == null || timeout.isZero() || timeout.isNegative()
                ? config.handshakeTimeout() : timeout;
        WebRtcDirectDialer.Dialed out = WebRtcDirectDialer.dial(target, identity, certificate, config, bound, trace);
        WebRtcConnection connection = out.connection();
        dialed.removeIf(WebRtcConnection::isClosed);
        dialed.add(connection);
        return Connection.secured(connection, localPeer, connection.remotePublicKey(),
                Multiaddr.fromSocketAddress(out.local(), "udp").encapsulate("/" + PROTOCOL),
                address.withoutPeerId(), PROTOCOL, true, trace);
    }

    @Override
    public Listener listen(Multiaddr address) throws IOException {
        return listen(address, () -> Trace.OFF);
    }

    @Override
    public Listener listen(Multiaddr address, Supplier<Trace> traces) throws IOException {
        InetSocketAddress local = socketAddress(address);
        if (local == null) {
            throw new UnsupportedMultiaddrException("webrtc: cannot listen on " + address
                    + " (want /ip4|ip6/<ip>/udp/<port>/webrtc-direct)", address);
        }
        WebRtcDirectListener listener = WebRtcDirectListener.bind(local, identity, certificate, config, traces);
        // the bound port with the IP asked for: a wildcard stays the wildcard of the family asked for
        int port = Integer.parseInt(listener.address().valueOf("udp").orElseThrow());
        Multiaddr bound = Multiaddr.fromSocketAddress(new InetSocketAddress(local.getAddress(), port), "udp")
                .encapsulate("/" + PROTOCOL + "/certhash/" + certificate.fingerprint().certhash());
        HostListener out = new HostListener(listener, bound);
        listeners.add(out);
        log.debug("webrtc: listening on {}", bound);
        return out;
    }

    /** Closes every listener, and with them their connections, and every dialed connection. Idempotent. */
    @Override
    public void close() {
        listeners.forEach(HostListener::close);
        dialed.forEach(WebRtcConnection::close);
        dialed.clear();
    }

    /**
     * A {@link WebRtcDirectListener} handing out {@link Connection}s. Unlike QUIC's, closing it ends the connections
     * it accepted too: they all live on its one UDP socket and its socket loop.
     */
    private final class HostListener implements Listener {
        private final WebRtcDirectListener listener;
        private final Multiaddr address;
        private volatile boolean closed;

        HostListener(WebRtcDirectListener listener, Multiaddr address) {
            this.listener = listener;
            this.address = address;
        }

        @Override
        public Connection accept() throws IOException {
            WebRtcConnection connection;
            try {
                connection = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                throw e;
            }
            return Connection.secured(connection, localPeer, connection.remotePublicKey(), address,
                    Multiaddr.fromSocketAddress(connection.remoteAddress(), "udp").encapsulate("/" + PROTOCOL),
                    PROTOCOL, false, connection.trace());
        }

        @Override
        public List<Multiaddr> addresses() {
            return List.of(address);
        }

        @Override
        public void close() {
            closed = true;
            listeners.remove(this);
            listener.close();
        }

        @Override
        public String toString() {
            return "webrtc-direct listener " + address;
        }
    }
}
