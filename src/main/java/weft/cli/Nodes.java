package weft.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import weft.crypto.IdentityFile;
import weft.crypto.PrivateKey;
import weft.host.Host;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;

/** What the commands share: making a host, printing its addresses, serving until the process is stopped. */
final class Nodes {
    private Nodes() {}

    /** The identity in {@code keyFile} (created there if missing), or a fresh one when no file is given. */
    static PrivateKey identity(Path keyFile) throws IOException {
        return keyFile == null ? PrivateKey.generate() : IdentityFile.readOrCreate(keyFile);
    }

    /** A host with the identity of {@code keyFile}, listening on {@code listen}, speaking what {@code stack} says. */
    static HostConfig config(Path keyFile, List<Multiaddr> listen, StackOptions stack) throws IOException {
        return stack.applyTo(HostConfig.defaults().withIdentity(identity(keyFile)).withListenAddresses(listen));
    }

    /** Prints each listen address, {@code /p2p/} included, on its own line, then serves until interrupted. */
    static void serveForever(Host host, PrintWriter out) throws InterruptedException {
        for (Multiaddr address : host.addresses()) {
            out.println(address);
        }
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(host::close, "weft-shutdown"));
        new CountDownLatch(1).await();
    }
}
