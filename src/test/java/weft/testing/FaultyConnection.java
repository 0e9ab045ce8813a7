package weft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import weft.multiformats.Multiaddr;
import weft.transport.RawConnection;

/**
 * A real TCP connection that misbehaves on cue, for fault tests: it lets the first {@code writesBeforeFault} writes
 * through (each layer of an upgrade writes whole messages: multistream header and proposal, Noise message 1, Noise
 * message 3, ...), then at the next write it does its {@link Fault}. Reads are never disturbed. Run a real dialer
 * (the {@link weft.connection.Upgrader}) over it to get a peer that stops at any chosen step of the handshake.
 */
public final class FaultyConnection implements RawConnection {
    /** What the connection does instead of the chosen write. */
    public enum Fault {
        /** Never sends it and never returns until {@link #close()}: the peer just stops. */
        STALL,
        /** Closes the socket gracefully (FIN). */
        CLOSE,
        /** Aborts the socket: TCP RST ({@code SO_LINGER} 0, then close). */
        RESET
    }

    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;
    private final int writesBeforeFault;
    private final Fault fault;
    private final AtomicInteger writes = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean readsStalled;

    private FaultyConnection(Socket socket, int writesBeforeFault, Fault fault) throws IOException {
        this.socket = socket;
        InputStream rawIn = socket.getInputStream();
        this.input = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (readsStalled) {
                    stallUntilClosed();
                }
                return rawIn.read(b, off, len);
            }
        };
        this.writesBeforeFault = writesBeforeFault;
        this.fault = fault;
        OutputStream raw = socket.getOutputStream();
        this.output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (writes.getAndIncrement() >= writesBeforeFault) {
                    misbehave();
                }
                raw.write(b, off, len);
            }
        };
    }

    /** Connects to {@code port} on the loopback address. */
    public static FaultyConnection connect(int port, int writesBeforeFault, Fault fault) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setTcpNoDelay(true);
        return new FaultyConnection(socket, writesBeforeFault, fault);
    }

    /** How many writes were asked for, the faulty one included. */
    public int writes() {
        return writes.get();
    }

    private void misbehave() throws IOException {
        switch (fault) {
            case STALL -> stallUntilClosed();
            case CLOSE -> {
                close();
                throw new SocketException("faulty: closed instead of writing");
            }
            case RESET -> {
                reset(socket);
                closed.countDown();
                throw new SocketException("faulty: reset instead of writing");
            }
        }
    }

    private void stallUntilClosed() throws IOException {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("faulty: interrupted in a stall");
        }
        throw new SocketException("faulty: closed while stalled");
    }

    /** From now on every read blocks until {@link #close()}: the peer is alive but no longer reads (half-open). */
    public void stopReading() {
        readsStalled = true;
    }

    /** Vanishes now: TCP RST. Blocked calls on this end fail. */
    public void resetNow() throws IOException {
        closed.countDown();
        reset(socket);
    }

    /** Aborts {@code socket} with a TCP RST. */
    public static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
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
        return Multiaddr.fromSocketAddress((InetSocketAddress) socket.getLocalSocketAddress(), "tcp");
    }

    @Override
    public Multiaddr remoteAddress() {
        return Multiaddr.fromSocketAddress((InetSocketAddress) socket.getRemoteSocketAddress(), "tcp");
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (!socket.isClosed() && !socket.isOutputShutdown()) {
            socket.shutdownOutput();
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        socket.close();
    }

    @Override
    public String toString() {
        return "faulty tcp (" + fault + " after " + writesBeforeFault + " writes)";
    }
}
