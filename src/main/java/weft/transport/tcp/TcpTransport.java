package weft.transport.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.io.Quietly;
import weft.multiformats.Multiaddr;
import weft.transport.Listener;
import weft.transport.RawConnection;
import weft.transport.Transport;
import weft.transport.UnsupportedMultiaddrException;

/**
 * TCP: dials and listens on {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>}, with blocking {@link Socket}s (on a
 * virtual thread a blocked socket call parks the virtual thread, not its carrier).
 *
 * <p>Every socket gets {@code TCP_NODELAY} (libp2p frames are small and latency-bound; the connection writer
 * batches them itself) and TCP keep-alive probes after 30 s idle, as go-libp2p's TCP transport sets them
 * ({@code keepAlivePeriod = 30 * time.Second}, {@code p2p/transport/tcp/tcp.go}).
 *
 * <p>DNS names are resolved with the system resolver when dialing; {@code dns4} keeps only IPv4 results and
 * {@code dns6} only IPv6 ones. The addresses are tried in order until one connects, all within the dial timeout.
 */
public final class TcpTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);

    /** go-libp2p's {@code keepAlivePeriod} (p2p/transport/tcp/tcp.go). */
    static final int KEEP_ALIVE_IDLE_SECONDS = 30;

    @Override
    public boolean canDial(Multiaddr address) {
        TcpAddress target = TcpAddress.parse(address.withoutPeerId());
        return target != null && target.port() != 0;
    }

    @Override
    public boolean canListen(Multiaddr address) {
        return TcpAddress.parse(address) != null;
    }

    @Override
    public RawConnection dial(Multiaddr address, Duration timeout) throws IOException {
        return new TcpConnection(connect(address, timeout));
    }

    /**
     * Does the work of {@link #dial}: a connected, configured socket. For transports that run over TCP (WebSocket
     * adds its handshake and framing on this socket).
     *
     * @throws UnsupportedMultiaddrException if {@link #canDial} is false for {@code address}
     */
    public Socket connect(Multiaddr address, Duration timeout) throws IOException {
        if (!canDial(address)) {
            throw new UnsupportedMultiaddrException("tcp: cannot dial " + address
                    + " (want /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/p2p/<id>], port not 0)", address);
        }
        TcpAddress target = TcpAddress.parse(address.withoutPeerId());
        long deadline = timeout == null || timeout.isZero() || timeout.isNegative()
                ? Long.MAX_VALUE
                : System.nanoTime() + timeout.toNanos();
        List<InetAddress> candidates = resolve(target, address);
        IOException last = null;
        for (InetAddress ip : candidates) {
            long left = deadline == Long.MAX_VALUE ? 0 : Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (deadline != Long.MAX_VALUE && System.nanoTime() >= deadline) {
                throw timedOut(address, timeout);
            }
            Socket socket = new Socket();
            try {
                configure(socket);
                socket.connect(new InetSocketAddress(ip, target.port()), (int) Math.min(left, Integer.MAX_VALUE));
                log.debug("tcp: connected to {} from {}", socket.getRemoteSocketAddress(), socket.getLocalSocketAddress());
                return socket;
            } catch (SocketTimeoutException e) {
                Quietly.close(socket);
                throw timedOut(address, timeout);
            } catch (IOException e) {
                Quietly.close(socket);
                last = e;
                log.debug("tcp: dial {} via {} failed: {}", address, ip, e.toString());
            }
        }
        if (last instanceof ConnectException) {
            ConnectException refused = new ConnectException("tcp: dial " + address + ": " + last.getMessage());
            refused.initCause(last);
            throw refused;
        }
        throw last != null ? last : new UnknownHostException("tcp: " + target.host() + " has no usable address");
    }

    @Override
    public Listener listen(Multiaddr address) throws IOException {
        TcpListener listener = new TcpListener(bind(address));
        log.debug("tcp: listening on {}", listener.addresses());
        return listener;
    }

    /**
     * Does the work of {@link #listen}: a bound server socket, for transports that run over TCP. Accepted sockets
     * should go through {@link #configure}.
     *
     * @throws UnsupportedMultiaddrException if {@link #canListen} is false for {@code address}
     */
    public ServerSocket bind(Multiaddr address) throws IOException {
        TcpAddress local = TcpAddress.parse(address);
        if (local == null) {
            throw new UnsupportedMultiaddrException("tcp: cannot listen on " + address
                    + " (want /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>)", address);
        }
        InetAddress ip = resolve(local, address).get(0);
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(ip, local.port()));
        } catch (IOException e) {
            Quietly.close(server);
            throw e;
        }
        return server;
    }

    private static SocketTimeoutException timedOut(Multiaddr address, Duration timeout) {
        String bound = timeout == null ? "no bound" : timeout.toMillis() + " ms";
        return new SocketTimeoutException("tcp: dial " + address + " timed out (" + bound + ")");
    }

    /** Sets the options every TCP socket of weft has: {@code TCP_NODELAY}, keep-alive probes after 30 s idle. */
    public static void configure(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        if (socket.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEP_ALIVE_IDLE_SECONDS);
        }
    }

    /** The IP addresses to try: the literal itself, or what the resolver says for the name, of the right family. */
    private static List<InetAddress> resolve(TcpAddress target, Multiaddr address) throws UnknownHostException {
        if (target.ip() != null) {
            return List.of(target.ip());
        }
        List<InetAddress> found = new ArrayList<>();
        for (InetAddress ip : InetAddress.getAllByName(target.host())) {
            boolean fits = switch (target.family()) {
                case ANY -> true;
                case IPV4 -> ip instanceof Inet4Address;
                case IPV6 -> ip instanceof Inet6Address;
            };
            if (fits) {
                found.add(ip);
            }
        }
        if (found.isEmpty()) {
            throw new UnknownHostException("tcp: " + target.host() + " has no " + target.family().describe()
                    + " address (" + address + ")");
        }
        return found;
    }

}
