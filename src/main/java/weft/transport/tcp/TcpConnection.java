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
 * One TCP connection. The input is buffered (64 KiB, the size of the largest Noise message plus its length, so
 * one socket read usually brings a whole frame); the output is the socket's own stream.
 */
final class TcpConnection implements RawConnection {
    /** One Noise transport message is at most 65535 + 2 bytes (noise spec); a 64 KiB buffer holds about one. */
    static final int INPUT_BUFFER_BYTES = 64 * 1024;

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
