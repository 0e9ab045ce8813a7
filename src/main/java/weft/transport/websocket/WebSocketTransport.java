package weft.transport.websocket;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.io.Deadline;
import weft.multiformats.Multiaddr;
import weft.transport.Listener;
import weft.transport.RawConnection;
import weft.transport.Transport;
import weft.transport.UnsupportedMultiaddrException;
import weft.transport.tcp.TcpTransport;

/**
 * WebSocket (RFC 6455) over TCP: dials and listens on {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>/ws}, dials
 * {@code .../tcp/<port>/wss} (also spelled {@code /tls/ws}, {@code /tls/sni/<name>/ws}) with TLS from the JDK, and
 * listens on {@code /wss} when given a server {@link SSLContext}.
 *
 * <p>The TCP part is {@link TcpTransport}'s (name resolution, {@code TCP_NODELAY}, keep-alive). Then, for
 * {@code wss}, a TLS client handshake: the server certificate is checked by the context's trust managers (the
 * JDK's default trust store unless {@link #withTls} says otherwise) and against the host name (endpoint
 * identification {@code HTTPS}, RFC 2818), and the name goes out as SNI. Then the HTTP upgrade ({@link Handshake}),
 * bounded by the dial timeout on the dialer's side and by {@link #withHandshakeTimeout} on the listener's.
 *
 * <p>Immutable: the {@code with*} methods return a changed copy.
 */
public final class WebSocketTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

    /**
     * The largest data frame payload we accept. Payloads are streamed, never buffered whole, so this bounds
     * nonsense, not memory. Peers send far less per frame: js-libp2p's {@code ws.send} one buffer of its
     * connection (a Noise message, at most 65537 bytes), go-libp2p's gorilla one {@code Write}. js's {@code ws}
     * server allows 100 MiB ({@code maxPayload}); 16 MiB is plenty with room to spare.
     */
    public static final int DEFAULT_MAX_FRAME_PAYLOAD = 16 << 20;
    /** Bounds a client's TLS and upgrade handshake on our listener; js-libp2p's inbound upgrade timeout is 10 s too. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Socket input buffer, as {@code TcpConnection}'s: about one Noise message. */
    static final int INPUT_BUFFER_BYTES = 64 * 1024;

    private final TcpTransport tcp = new TcpTransport();
    private final SSLContext tls;
    private final Duration handshakeTimeout;
    private final int maxFramePayload;
    private final SecureRandom random = new SecureRandom();

    /** Plain {@code ws} both ways, {@code wss} dialing with the JDK's default trust store. */
    public WebSocketTransport() {
        this(null, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MAX_FRAME_PAYLOAD);
    }

    private WebSocketTransport(SSLContext tls, Duration handshakeTimeout, int maxFramePayload) {
        this.tls = tls;
        this.handshakeTimeout = handshakeTimeout;
        this.maxFramePayload = maxFramePayload;
    }

    /**
     * Uses {@code context} for TLS: its trust managers check servers we dial on {@code wss}, and its key managers
     * (a certificate and key) let us listen on {@code wss}.
     */
    public WebSocketTransport withTls(SSLContext context) {
        return new WebSocketTransport(Objects.requireNonNull(context, "context"), handshakeTimeout, maxFramePayload);
    }

    /** Bounds TLS plus the upgrade request for each client of our listeners. */
    public WebSocketTransport withHandshakeTimeout(Duration timeout) {
        return new WebSocketTransport(tls, Objects.requireNonNull(timeout, "timeout"), maxFramePayload);
    }

    /** The largest frame payload we accept; a larger frame fails the connection with close code 1009. */
    public WebSocketTransport withMaxFramePayload(int bytes) {
        if (bytes < Frame.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("websocket: max frame payload below 125 bytes (" + bytes + ")");
        }
        return new WebSocketTransport(tls, handshakeTimeout, bytes);
    }

    @Override
    public boolean canDial(Multiaddr address) {
        WebSocketAddress target = WebSocketAddress.parse(address.withoutPeerId());
        return target != null && tcp.canDial(target.tcp());
    }

    @Override
    public boolean canListen(Multiaddr address) {
        WebSocketAddress local = WebSocketAddress.parse(address);
        return local != null && tcp.canListen(local.tcp()) && (!local.secure() || tls != null);
    }

    @Override
    public RawConnection dial(Multiaddr address, Duration timeout) throws IOException {
        if (!canDial(address)) {
            throw new UnsupportedMultiaddrException("websocket: cannot dial " + address
                    + " (want /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>/ws or /wss[/p2p/<id>], port not 0)", address);
        }
        WebSocketAddress target = WebSocketAddress.parse(address.withoutPeerId());
        long start = System.nanoTime();
        Socket socket;
        try {
            socket = tcp.connect(target.tcp(), timeout);
        } catch (ConnectException e) {
            throw withCause(new ConnectException("websocket: dial " + address + ": " + e.getMessage()), e);
        } catch (SocketTimeoutException e) {
            throw withCause(timedOut(address, timeout), e);
        } catch (SocketException e) {
            throw withCause(new SocketException("websocket: dial " + address + ": " + e.getMessage()), e);
        }
        boolean bounded = timeout != null && timeout.isPositive();
        Duration left = bounded ? timeout.minusNanos(System.nanoTime() - start) : Duration.ZERO;
        Deadline deadline = bounded ? Deadline.closeAfter(left.isNegative() ? Duration.ZERO : left, socket) : null;
        try {
            WebSocketConnection connection = clientHandshake(socket, target);
            if (deadline != null) {
                deadline.close();
                if (deadline.expired()) { // fired just as the handshake finished: the socket is closed
                    throw timedOut(address, timeout);
                }
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            if (deadline != null && deadline.expired() && !(e instanceof SocketTimeoutException)) {
                throw withCause(timedOut(address, timeout), e);
            }
            if (e instanceof SocketException && !(e instanceof ConnectException)) {
                // a reset or a close during TLS or the upgrade: say which dial it was
                throw withCause(new SocketException("websocket: dial " + address + ": " + e.getMessage()), e);
            }
            if (e instanceof EOFException) {
                throw withCause(new EOFException("websocket: dial " + address + ": " + e.getMessage()), e);
            }
            throw e;
        } finally {
            if (deadline != null) {
                deadline.close();
            }
        }
    }

    private WebSocketConnection clientHandshake(Socket socket, WebSocketAddress target) throws IOException {
        Socket stream = socket;
        if (target.secure()) {
            SSLSocket secured = (SSLSocket) clientTls().getSocketFactory().createSocket(socket,
                    target.serverName() != null ? target.serverName() : socket.getInetAddress().getHostAddress(),
                    socket.getPort(), true);
            SSLParameters parameters = secured.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(target.serverName() != null ? List.of(new SNIHostName(target.serverName())) : List.of());
            secured.setSSLParameters(parameters);
            secured.startHandshake();
            stream = secured;
        }
        InputStream in = new BufferedInputStream(stream.getInputStream(), INPUT_BUFFER_BYTES);
        OutputStream out = stream.getOutputStream();
        Handshake.client(in, out, target.host(), Handshake.newKey(random));
        Multiaddr local = WebSocketAddress.of(Multiaddr.fromSocketAddress(
                (InetSocketAddress) socket.getLocalSocketAddress(), "tcp"), target.secure());
        Multiaddr remote = WebSocketAddress.of(Multiaddr.fromSocketAddress(
                (InetSocketAddress) socket.getRemoteSocketAddress(), "tcp"), target.secure());
        log.debug("websocket: connected to {} from {}", remote, local);
        return new WebSocketConnection(stream, in, out, true, maxFramePayload, local, remote);
    }

    @Override
    public Listener listen(Multiaddr address) throws IOException {
        if (!canListen(address)) {
            throw new UnsupportedMultiaddrException("websocket: cannot listen on " + address
                    + " (want /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>/ws, or /wss with a server TLS context)", address);
        }
        WebSocketAddress local = WebSocketAddress.parse(address);
        ServerSocket server = tcp.bind(local.tcp());
        WebSocketListener listener = new WebSocketListener(server, this, local.secure() ? tls : null).start();
        log.debug("websocket: listening on {}", listener.addresses());
        return listener;
    }

    /** The listener's side of one connection: TLS if {@code serverTls} is set, then the upgrade, within the timeout. */
    WebSocketConnection serverHandshake(Socket socket, SSLContext serverTls) throws IOException {
        try (Deadline deadline = Deadline.closeAfter(handshakeTimeout, socket)) {
            try {
                TcpTransport.configure(socket);
                Socket stream = socket;
                if (serverTls != null) {
                    SSLSocket secured = (SSLSocket) serverTls.getSocketFactory().createSocket(socket, null, true);
                    secured.setUseClientMode(false);
                    secured.startHandshake();
                    stream = secured;
                }
                InputStream in = new BufferedInputStream(stream.getInputStream(), INPUT_BUFFER_BYTES);
                OutputStream out = stream.getOutputStream();
                Handshake.server(in, out);
                boolean secure = serverTls != null;
                Multiaddr local = WebSocketAddress.of(Multiaddr.fromSocketAddress(
                        (InetSocketAddress) socket.getLocalSocketAddress(), "tcp"), secure);
                Multiaddr remote = WebSocketAddress.of(Multiaddr.fromSocketAddress(
                        (InetSocketAddress) socket.getRemoteSocketAddress(), "tcp"), secure);
                WebSocketConnection connection = new WebSocketConnection(stream, in, out, false, maxFramePayload, local, remote);
                deadline.close();
                if (deadline.expired()) {
                    throw new SocketTimeoutException("websocket: handshake with " + socket.getRemoteSocketAddress()
                            + " timed out (" + handshakeTimeout.toMillis() + " ms)");
                }
                return connection;
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                if (deadline.expired()) {
                    throw withCause(new SocketTimeoutException("websocket: handshake with "
                            + socket.getRemoteSocketAddress() + " timed out (" + handshakeTimeout.toMillis() + " ms)"), e);
                }
                throw e;
            }
        }
    }

    private SSLContext clientTls() throws IOException {
        if (tls != null) {
            return tls;
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("websocket: the JDK has no default TLS context", e);
        }
    }

    private static SocketTimeoutException timedOut(Multiaddr address, Duration timeout) {
        String bound = timeout == null ? "no bound" : timeout.toMillis() + " ms";
        return new SocketTimeoutException("websocket: dial " + address + " timed out (" + bound + ")");
    }

    private static <E extends IOException> E withCause(E e, Throwable cause) {
        e.initCause(cause);
        return e;
    }
}
