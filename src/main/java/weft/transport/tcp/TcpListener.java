package weft.transport.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.multiformats.Multiaddr;
import weft.transport.Listener;
import weft.transport.RawConnection;

/** A bound {@link ServerSocket}. {@link #accept()} configures each socket as dialed ones are (no delay, keep-alive). */
final class TcpListener implements Listener {
    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

    private final ServerSocket server;
    private final List<Multiaddr> addresses;

    TcpListener(ServerSocket server) {
        this.server = server;
        this.addresses = List.of(Multiaddr.fromSocketAddress((InetSocketAddress) server.getLocalSocketAddress(), "tcp"));
    }

    @Override
    public RawConnection accept() throws IOException {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    ClosedChannelException closed = new ClosedChannelException();
                    closed.initCause(e);
                    throw closed;
                }
                throw e;
            }
            try {
                TcpTransport.configure(socket);
                return new TcpConnection(socket);
            } catch (IOException e) {
                // The peer went away between the handshake and here (reset, closed): that is its problem, not
                // the listener's. Drop it and wait for the next one.
                log.debug("tcp: dropping a connection that failed right after accept: {}", e.toString());
                socket.close();
            }
        }
    }

    @Override
    public List<Multiaddr> addresses() {
        return addresses;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    @Override
    public String toString() {
        return "tcp listener " + addresses.get(0);
    }
}
