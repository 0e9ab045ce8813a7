package weft.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;

@Command(name = "id", description = "Print a peer ID: of the identity in --key (created if missing), or of a new one.")
final class IdCommand implements Callable<Integer> {
    @Option(names = "--key", paramLabel = "FILE", description = "Identity file (libp2p PrivateKey protobuf).")
    Path key;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrivateKey identity = Nodes.identity(key);
        spec.commandLine().getOut().println(PeerId.fromPublicKey(identity.publicKey()).toBase58());
        return 0;
    }
}
