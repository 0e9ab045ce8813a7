package weft.host;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.connection.Connection;
import weft.io.Deadline;
import weft.io.Threads;
import weft.multistream.ProtocolNotSupportedException;
import weft.protocol.ping.Ping;
import weft.transport.quic.QuicConfig;

/**
 * Keeps a host's QUIC connections alive: every {@link QuicConfig#keepAlivePeriod()} it pings the peer on a new
 * {@code /ipfs/ping/1.0.0} stream, so neither side's idle timeout ends a connection that is merely quiet.
 *
 * <p>go-libp2p and rust-libp2p keep QUIC connections alive with QUIC PING frames (quic-go {@code KeepAlivePeriod}
 * 15 s, go-libp2p {@code quicreuse/config.go}); netty's QUIC codec has no way to send one (quiche's
 * {@code send_ack_eliciting} has no binding in netty 4.2.18), and any packet the peer must acknowledge resets both
 * idle timers, so a libp2p ping does the same at the cost of one short stream per period. A peer that does not
 * serve ping ends the keep-alive of its connection; a failed ping is only logged (the idle timeout decides).
 * One virtual thread per kept connection, interrupted when the connection goes.
 */
final class QuicKeepAlive implements ConnectionListener {
    private static final Logger log = LoggerFactory.getLogger(QuicKeepAlive.class);

    private final Host host;
    private final Duration period;
    private final Map<Connection, Thread> pingers = new ConcurrentHashMap<>();

    QuicKeepAlive(Host host, Duration period) {
        this.host = host;
        this.period = period;
    }

    @Override
    public void connected(Connection connection) {
        if (period.isZero() || !overQuic(connection)) {
            return;
        }
        Thread pinger = Threads.startVirtual("weft-keepalive-" + connection.remotePeer(), () -> {
            try {
                keepAlive(connection);
            } finally {
                pingers.remove(connection, Thread.currentThread());
            }
        });
        pingers.put(connection, pinger);
        if (!pinger.isAlive()) { // it ended before it was registered
            pingers.remove(connection, pinger);
        }
    }

    @Override
    public void disconnected(Connection connection) {
        Thread pinger = pingers.remove(connection);
        if (pinger != null) {
            pinger.interrupt();
        }
    }

    private static boolean overQuic(Connection connection) {
        return connection.remoteAddress().components().stream().anyMatch(c -> c.protocol().equals("quic-v1"));
    }

    private void keepAlive(Connection connection) {
        try {
            while (!connection.isClosed()) {
                Thread.sleep(period);
                try (HostStream stream = host.newStream(connection, Ping.PROTOCOL_ID);
                     Deadline deadline = Deadline.closeAfter(period, stream::reset)) {
                    Ping.ping(stream);
                } catch (ProtocolNotSupportedException e) {
                    log.debug("host: {} does not serve ping; no keep-alive on {}", connection.remotePeer(),
                            connection);
                    return;
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    log.debug("host: keep-alive ping on {} failed: {}", connection, e.toString());
                }
            }
        } catch (InterruptedException e) {
            // the connection went
        }
    }
}
