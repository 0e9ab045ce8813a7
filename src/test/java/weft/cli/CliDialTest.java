package weft.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;

/**
 * The commands that dial, run against a host listening on one address of a secure transport (QUIC,
 * WebRTC-direct): the subclass names the address, this class runs {@code weft ...} and keeps its output.
 */
abstract class CliDialTest {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private final Host server;

    CliDialTest(String listen) throws IOException {
        server = Host.start(HostConfig.defaults().withEcho(true).withPerf(true)
                .withListenAddresses(List.of(Multiaddr.parse(listen))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** The server's address, with {@code /p2p/}. */
    String address() {
        return server.addresses().get(0).toString();
    }
}
