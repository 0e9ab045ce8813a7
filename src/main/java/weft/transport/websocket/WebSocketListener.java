package weft.transport.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.io.Quietly;
import weft.io.Threads;
import weft.multiformats.Multiaddr;
import weft.transport.Listener;
import weft.transport.RawConnection;

/**
 * A bound TCP server socket that hands out connections whose WebSocket handshake is done.
 *
 * <p>Threads: one virtual accept thread ({@code weft-ws-accept-<port>}) takes sockets and starts one virtual
 * handshake thread per socket ({@code weft-ws-handshake-<remote>}); each finished connection goes into a queue that
 * {@link #accept()} takes from. So a slow or hostile client only ever holds its own thread, for at most the
 * handshake timeout, and a failed handshake (bad request, TLS alert, reset) is logged and dropped: the listener
 * goes on. At most {@link #MAX_PENDING_HANDSHAKES} handshakes run at once; beyond that the kernel's backlog holds
 * new connections.
 */
final class WebSocketListener implements Listener {
    private static final Logger log = LoggerFactory.getLogger(WebSocketListener.class);

    /** Bounds the handshake threads (and their sockets) a burst of connecting clients can pin. */
    static final int MAX_PENDING_HANDSHAKES = 256;
    /** How long {@link #close()} waits for the accept thread to leave {@code accept()}; it takes microseconds. */
    private static final java.time.Duration ACCEPT_EXIT_WAIT = java.time.Duration.ofSeconds(5);
    /** Put in the queue by {@link #close()}: every {@code accept} that takes it throws. */
    private static final Object CLOSED = new Object();

    private final ServerSocket server;
    private final WebSocketTransport transport;
    private final SSLContext tls;
    private final List<Multiaddr> addresses;
    /** Handshaken connections and, once closed, {@link #CLOSED}. */
    private final LinkedBlockingQueue<Object> ready = new LinkedBlockingQueue<>();
    private final Semaphore handshakes = new Semaphore(MAX_PENDING_HANDSHAKES);
    private volatile boolean closed;
    private volatile Thread acceptThread;

    /** @param tls the server's TLS context for {@code /wss}, else null */
    WebSocketListener(ServerSocket server, WebSocketTransport transport, SSLContext tls) {
        this.server = server;
        this.transport = transport;
        this.tls = tls;
        Multiaddr tcp = Multiaddr.fromSocketAddress((InetSocketAddress) server.getLocalSocketAddress(), "tcp");
        this.addresses = List.of(WebSocketAddress.of(tcp, tls != null));
    }

    /** Starts the accept thread. */
    WebSocketListener start() {
        acceptThread = Threads.startVirtual("weft-ws-accept-" + server.getLocalPort(), this::acceptLoop);
        return this;
    }

    @Override
    public RawConnection accept() throws IOException {
        Object next;
        try {
            next = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("websocket: interrupted in accept");
        }
        if (next == CLOSED) {
            ready.add(CLOSED);
            throw new ClosedChannelException();
        }
        return (RawConnection) next;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                handshakes.acquire();
                socket = server.accept();
            } catch (IOException | InterruptedException e) {
                handshakes.release();
                if (closed || server.isClosed()) {
                    return;
                }
                log.debug("websocket: accept on {} failed: {}", addresses.get(0), e.toString());
                continue;
            }
            if (closed) {
                // accepted as close() ran: the socket was still listening until this thread left accept()
                handshakes.release();
                Quietly.close(socket);
                return;
            }
            Threads.startVirtual("weft-ws-handshake-" + socket.getRemoteSocketAddress(), () -> {
                try {
                    handshake(socket);
                } finally {
                    handshakes.release();
                }
            });
        }
    }

    private void handshake(Socket socket) {
        try {
            WebSocketConnection connection = transport.serverHandshake(socket, tls);
            ready.add(connection);
            if (closed) {
                discardQueued();
            }
        } catch (IOException | RuntimeException e) {
            // One client's problem: a bad request, a TLS failure, a timeout, a reset. Never the listener's.
            log.debug("websocket: dropping {}: {}", socket.getRemoteSocketAddress(), e.toString());
            Quietly.close(socket);
        }
    }

    @Override
    public List<Multiaddr> addresses() {
        return addresses;
    }

    /**
     * Stops accepting and closes connections whose handshake finished but that nobody accepted. Returns once the
     * accept thread has left {@code accept()}: a socket closed while a (virtual) thread is blocked in it is only
     * released when that thread wakes, and until then the kernel still completes connections to the port.
     * Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
            Thread accepting = acceptThread;
            if (accepting != null && !accepting.join(ACCEPT_EXIT_WAIT)) {
                log.debug("websocket: accept thread of {} still running after close", addresses.get(0));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            discardQueued();
            ready.add(CLOSED);
        }
    }

    private void discardQueued() {
        ready.removeIf(item -> {
            if (item instanceof WebSocketConnection connection) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // nobody will use it
                }
                return true;
            }
            return false;
        });
    }

    @Override
    public String toString() {
        return "websocket listener " + addresses.get(0);
    }
}
