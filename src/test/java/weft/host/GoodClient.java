package weft.host;

import java.io.IOException;
import java.util.SplittableRandom;
import weft.connection.Connection;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.protocol.echo.Echo;
import weft.protocol.ping.Ping;

/**
 * The well-behaved peer of the fault tests: one host, one connection to the server, echo (checked byte for byte by
 * {@link Echo#echo}) and ping on it. Whatever a hostile peer does to the server, {@link #check()} must keep passing.
 */
final class GoodClient implements AutoCloseable {
    final Host host;
    final Connection connection;
    private final Multiaddr server;
    private final SplittableRandom random = new SplittableRandom(7);

    GoodClient(Host server) throws IOException {
        this.host = Host.start(HostConfig.defaults());
        this.server = server.addresses().get(0);
        this.connection = host.connect(this.server);
    }

    /** One echo of a few KiB and one ping on the same connection; throws if anything is off. */
    void check() throws IOException {
        byte[] message = new byte[1 + random.nextInt(16 * 1024)];
        random.nextBytes(message);
        Echo.echo(host.newStream(connection, Echo.PROTOCOL_ID), message); // throws unless the echo is exact
        MuxedStream ping = host.newStream(connection, Ping.PROTOCOL_ID);
        Ping.ping(ping);
        ping.closeWrite();
        ping.input().readAllBytes();
        if (host.connect(server) != connection) {
            throw new IOException("good client: the connection was replaced");
        }
    }

    @Override
    public void close() {
        host.close();
    }
}
