package weft.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.ConnectionClosedException;
import weft.io.DuplexStream;
import weft.io.LingeringClose;
import weft.mux.mplex.Mplex;
import weft.mux.mplex.MplexProtocolException;
import weft.mux.yamux.Yamux;
import weft.mux.yamux.YamuxConfig;
import weft.mux.yamux.YamuxProtocolException;
import weft.testing.Background;
import weft.testing.WeftThreads;

/**
 * A session that ends a connection for the peer's protocol violation closes it with a {@link LingeringClose}, over a
 * real TCP socket pair: the peer reads the last frame and then the end of the stream, and the bytes it was still
 * sending when the session gave up are taken, not answered with a reset. (Closing a socket with unread input sends
 * RST, RFC 1122 §4.2.2.13. Linux keeps data queued before a RST readable, but the peer's pending write fails with
 * "broken pipe" or "connection reset", and a stack whose failed write tears the connection down, as a Noise session
 * does, never reads the GO_AWAY; Windows drops the queued data outright.)
 *
 * <p>Both sockets get small buffers, so that the peer's bytes cannot all sit in kernel buffers: without the drain,
 * the peer would still be writing when the session closes.
 */
class LingeringCloseTest {
    /** Socket buffers of both ends, far below what the peer sends. */
    private static final int SOCKET_BUFFER_BYTES = 16 * 1024;
    /** More than the session reads before it gives up, and more than the buffers hold; under the drain bound. */
    private static final int TRAILING_BYTES = 512 * 1024;

    /** Our end of the connection as a session sees it: the socket's streams, half-close included. */
    private record SocketChannel(Socket socket) implements DuplexStream {
        @Override
        public InputStream input() {
            return uncheck(socket::getInputStream);
        }

        @Override
        public OutputStream output() {
            return uncheck(socket::getOutputStream);
        }

        @Override
        public void shutdownOutput() throws IOException {
            if (!socket.isClosed() && !socket.isOutputShutdown()) {
                socket.shutdownOutput();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        private static <T> T uncheck(Callable<T> get) {
            try {
                return get.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final ServerSocket listener;
    private final Socket peer;
    private final SocketChannel ours;
    private final int baselineThreads = WeftThreads.count();

    LingeringCloseTest() throws IOException {
        listener = new ServerSocket();
        listener.setReceiveBufferSize(SOCKET_BUFFER_BYTES); // inherited by the accepted socket
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        peer = new Socket();
        peer.setSendBufferSize(SOCKET_BUFFER_BYTES);
        peer.connect(listener.getLocalSocketAddress());
        ours = new SocketChannel(listener.accept());
    }

    @AfterEach
    void closeAll() throws IOException {
        peer.close();
        ours.close();
        listener.close();
        WeftThreads.awaitAtMost(baselineThreads);
    }

    @Test
    void aYamuxWindowOverflowReachesThePeerAsGoAwayProtocolErrorThenEndOfStream() throws Exception {
        MuxedConnection session = new Yamux(YamuxConfig.defaults().withKeepAlive(false, Duration.ofDays(1))
                .withMeasureRttInterval(Duration.ZERO)).start(ours, false);
        int window = YamuxConfig.SPEC_INITIAL_WINDOW;
        // The peer opens stream 1 and sends one byte more than its 256 KiB window, then keeps going: the session
        // stops at the overflowing frame's header, everything after it is unread.
        Background<Void> sender = sendFromPeer(
                yamuxHeader(1, 1, 1, 0), // WINDOW_UPDATE|SYN stream 1
                yamuxHeader(0, 0, 1, window + 1), new byte[window + 1], new byte[TRAILING_BYTES]);
        InputStream in = peer.getInputStream();
        assertArrayEquals(yamuxHeader(3, 0, 0, 1), in.readNBytes(12), "GO_AWAY(protocol error)");
        assertEquals(-1, in.read(), "then the end of the stream (FIN), not a reset");
        sender.join(); // every byte the peer sent was taken: no broken pipe either
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        assertInstanceOf(YamuxProtocolException.class, e.getCause());
    }

    @Test
    void anMplexProtocolViolationReachesThePeerAsEndOfStreamNotAReset() throws Exception {
        MuxedConnection session = new Mplex().start(ours, false);
        // The undefined flag 7 on stream 0 with an empty body, then more bytes the session will never parse.
        Background<Void> sender = sendFromPeer(HexFormat.of().parseHex("0700"), new byte[TRAILING_BYTES]);
        assertEquals(-1, peer.getInputStream().read(), "the end of the stream (FIN), not a reset");
        sender.join();
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        assertInstanceOf(MplexProtocolException.class, e.getCause());
    }

    @Test
    void aPeerThatKeepsSendingIsCutOffAfterTheDrainBound() throws Exception {
        MuxedConnection session = new Yamux(YamuxConfig.defaults().withKeepAlive(false, Duration.ofDays(1))
                .withMeasureRttInterval(Duration.ZERO)).start(ours, false);
        Background<Void> flood = Background.start(() -> {
            OutputStream out = peer.getOutputStream();
            out.write(yamuxHeader(1, 1, 2, 0)); // a SYN with the listener's parity: a protocol error
            byte[] junk = new byte[64 * 1024];
            while (true) {
                out.write(junk); // fails once the session gave up draining and closed
            }
        });
        // Cut off once the drain bound (bytes or time) is reached: the peer's write fails, nothing hangs.
        assertThrows(IOException.class, flood::join);
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, session::acceptStream);
        assertInstanceOf(YamuxProtocolException.class, e.getCause());
    }

    /** Writes {@code parts} from the peer's own thread: the session may stop reading halfway. */
    private Background<Void> sendFromPeer(byte[]... parts) {
        return Background.start(() -> {
            OutputStream out = peer.getOutputStream();
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
            return null;
        });
    }

    /** Spec "Framing": version 0, type, flags, stream id, length; big endian. */
    private static byte[] yamuxHeader(int type, int flags, int streamId, int length) {
        return ByteBuffer.allocate(12).put((byte) 0).put((byte) type).putShort((short) flags).putInt(streamId)
                .putInt(length).array();
    }
}
