package weft.io;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A blocking, ordered, reliable byte stream in both directions: what every layer of the stack hands to the
 * layer above. A TCP socket is one, a Noise or TLS session over it is one, a yamux stream is one.
 *
 * <p>Each layer reads exactly the bytes it needs from {@link #input()} and leaves the rest in place, so bytes that
 * a peer pipelines past a multistream-select line (rust-libp2p sends its first Noise message right behind
 * {@code /noise\n}) are still there for the next layer. Reads are expected from one thread and writes from one
 * thread at a time unless an implementation says otherwise.
 */
public interface DuplexStream extends Closeable {
    InputStream input();

    OutputStream output();
}
