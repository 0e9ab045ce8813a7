package weft.bench.stack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import weft.crypto.PrivateKey;
import weft.io.DuplexStream;
import weft.mux.yamux.Yamux;
import weft.mux.yamux.YamuxConfig;
import weft.mux.yamux.YamuxSession;
import weft.security.SecureConnection;
import weft.security.noise.NoiseSecureChannel;

/**
 * One tcp/noise/yamux connection on loopback, assembled by hand from weft's layers (the host's upgrader is not on
 * main yet): a TCP socket pair ({@code TCP_NODELAY}, input buffered 4 KiB as the host's {@code TcpConnection}
 * does), a Noise XX handshake with Ed25519 identities, then a yamux session on each side. No multistream-select
 * (the protocols are fixed), so the bytes on the wire after the handshake are exactly a libp2p connection's.
 *
 * <pre>{@code
 * try (LoopbackStack stack = LoopbackStack.connect(YamuxConfig.defaults())) {
 *     MuxedStream out = stack.dialer().openStream();
 *     MuxedStream in = stack.listener().acceptStream();
 * }
 * }</pre>
 */
public final class LoopbackStack implements AutoCloseable {
    /** As the host's TcpConnection (go-libp2p's Noise reads through a 4096-byte bufio.Reader). */
    static final int INPUT_BUFFER_BYTES = 4096;

    private final YamuxSession dialer;
    private final YamuxSession listener;

    private LoopbackStack(YamuxSession dialer, YamuxSession listener) {
        this.dialer = dialer;
        this.listener = listener;
    }

    /** Connects, secures and starts both sessions with {@code config}. */
    public static LoopbackStack connect(YamuxConfig config) throws IOException, InterruptedException {
        NoiseSecureChannel dialerNoise = new NoiseSecureChannel(PrivateKey.generate());
        PrivateKey listenerKey = PrivateKey.generate();
        NoiseSecureChannel listenerNoise = new NoiseSecureChannel(listenerKey);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<SecureConnection> inbound = new CompletableFuture<>();
            Thread.ofVirtual().name("bench-accept").start(() -> {
                try {
                    inbound.complete(listenerNoise.secureInbound(stream(server.accept())));
                } catch (Throwable e) {
                    inbound.completeExceptionally(e);
                }
            });
            SecureConnection outbound = dialerNoise.secureOutbound(
                    stream(new Socket(server.getInetAddress(), server.getLocalPort())), listenerKey.peerId());
            SecureConnection accepted;
            try {
                accepted = inbound.get();
            } catch (ExecutionException e) {
                throw new IOException("bench: listener handshake failed", e.getCause());
            }
            return new LoopbackStack(new Yamux(config).start(outbound, true), new Yamux(config).start(accepted, false));
        }
    }

    /** The session on the side that dialed (odd stream ids). */
    public YamuxSession dialer() {
        return dialer;
    }

    /** The session on the side that accepted. */
    public YamuxSession listener() {
        return listener;
    }

    @Override
    public void close() throws IOException {
        dialer.close();
        listener.close();
    }

    private static DuplexStream stream(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        InputStream in = new BufferedInputStream(socket.getInputStream(), INPUT_BUFFER_BYTES);
        OutputStream out = socket.getOutputStream();
        return new DuplexStream() {
            @Override
            public InputStream input() {
                return in;
            }

            @Override
            public OutputStream output() {
                return out;
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }
}
