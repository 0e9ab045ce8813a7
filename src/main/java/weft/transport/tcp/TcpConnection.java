package weft.transport.tcp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import weft.multiformats.Multiaddr;
import weft.transport.RawConnection;

/**
 * One TCP connection. The input is buffered ({@value #INPUT_BUFFER_BYTES} bytes), so that small reads (a length
 * prefix, a multistream line, small frames) do not each cost a socket read; a read at least as large as the buffer
 * (a Noise message body) goes straight from the socket into the caller's array. The output is the socket's own
 * stream.
 */
final class TcpConnection implements RawConnection {
    /**
     * go-libp2p's Noise reads the connection through {@code bufio.NewReader} (4096 bytes, {@code
     * p2p/security/noise/session.go}). Larger would not be faster: a Noise message body bypasses the buffer, while a
     * 64 KiB buffer cost every idle connection 64 KiB of heap and copied every body once more.
     */
    static final int INPUT_BUFFER_BYTES = 4096;

    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;
    private final Multiaddr local;
    private final Multiaddr remote;

    TcpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.input = new BufferedInputStream(socket.getInputStream(), INPUT_BUFFER_BYTES);
        this.output = socket.getOutputStream();
        this.local = Multiaddr.fromSocketAddress((InetSocketAddress) socket.getLocalSocketAddress(), "tcp");
        this.remote = Multiaddr.fromSocketAddress((InetSocketAddress) socket.getRemoteSocketAddress(), "tcp");
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public Multiaddr localAddress() {
        return local;
    }

    @Override
    public Multiaddr remoteAddress() {
        return remote;
    }

    /** Sends FIN after the bytes written so far; reads go on. Does nothing once the socket is closed or half-closed. */
    @Override
    public void shutdownOutput() throws IOException {
        if (!socket.isClosed() && !socket.isOutputShutdown()) {
            socket.shutdownOutput();
        }
    }

    /** Closes the socket: blocked reads and writes on it fail at once. Idempotent. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** For tests of socket options. */
    Socket socket() {
        return socket;
    }

    @Override
    public String toString() {
        return "tcp " + local + " -> " + remote;
    }
}
