package weft.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import weft.host.Host;
import weft.multiformats.Multiaddr;
import weft.protocol.echo.Echo;

@Command(name = "echo", description = "Serve /echo/1.0.0 (--listen), or send text to a peer and print the echo (--dial).")
final class EchoCommand implements Callable<Integer> {
    @ArgGroup(multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--listen", paramLabel = "MULTIADDR", description = "e.g. /ip4/0.0.0.0/tcp/4001") Multiaddr listen;
        @Option(names = "--dial", paramLabel = "MULTIADDR", description = "The peer, with /p2p/<id>.") Multiaddr dial;
    }

    @Parameters(arity = "0..1", paramLabel = "TEXT", defaultValue = "Hello from weft", description = "What to send.")
    String text;

    @Option(names = "--key", paramLabel = "FILE", description = "Identity file for the listener (created if missing).")
    Path key;

    @Mixin
    StackOptions stack = new StackOptions();

    @Mixin
    TraceOptions trace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (mode.listen != null) {
            Host host = Host.start(trace.apply(Nodes.config(key, List.of(mode.listen), stack).withEcho(true), err,
                    false));
            Nodes.serveForever(host, spec.commandLine().getOut());
            return 0;
        }
        try (Host host = Host.start(trace.apply(Nodes.config(key, List.of(), stack), err, false))) {
            byte[] back = Echo.echo(host.newStream(mode.dial, Echo.PROTOCOL_ID), text.getBytes(StandardCharsets.UTF_8));
            spec.commandLine().getOut().println(new String(back, StandardCharsets.UTF_8));
        } finally {
            trace.close();
        }
        return 0;
    }
}
