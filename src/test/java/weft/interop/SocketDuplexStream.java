package weft.interop;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import weft.io.DuplexStream;

/**
 * A plain TCP socket as a {@link DuplexStream}, for muxer interop without a security layer. Input is buffered (a
 * yamux reader asks for 12-byte headers); output is not, since the session's writer batches frames into one write.
 */
final class SocketDuplexStream implements DuplexStream {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    SocketDuplexStream(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

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
}
