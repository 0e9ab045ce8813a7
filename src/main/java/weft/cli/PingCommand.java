package weft.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.protocol.ping.Ping;

@Command(name = "ping", description = "Ping a peer with /ipfs/ping/1.0.0 and print the round-trip times.")
final class PingCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MULTIADDR", description = "e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...")
    Multiaddr target;

    @Option(names = {"-n", "--count"}, defaultValue = "4", description = "How many pings (default ${DEFAULT-VALUE}).")
    int count;

    @Mixin
    StackOptions stack = new StackOptions();

    @Mixin
    TraceOptions trace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HostConfig config = trace.apply(Nodes.config(null, List.of(), stack), spec.commandLine().getErr(), false);
        try (Host host = Host.start(config)) {
            MuxedStream stream = host.newStream(target, Ping.PROTOCOL_ID);
            for (int i = 1; i <= count; i++) {
                Duration rtt = Ping.ping(stream);
                out.printf("ping %d: %.3f ms%n", i, rtt.toNanos() / 1e6);
            }
            stream.closeWrite();
        } finally {
            trace.close();
        }
        return 0;
    }
}
