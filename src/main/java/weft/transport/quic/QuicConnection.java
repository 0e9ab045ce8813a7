package weft.transport.quic;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;
import weft.trace.Trace;

/**
 * One QUIC connection as a {@link MuxedConnection}: its bidirectional streams are the libp2p streams ("QUIC streams
 * are used directly as libp2p streams", libp2p specs {@code quic/README.md}); no muxer runs on top.
 *
 * <p>{@link #openStream()} waits while the peer's {@code MAX_STREAMS} allows no new stream (RFC 9000 §4.6), as
 * go-libp2p's {@code OpenStreamSync}. Streams the peer opens wait in a queue for {@link #acceptStream()}; the
 * queue is bounded by the {@code initial_max_streams_bidi} we advertise, since quiche grants a new stream only once
 * an old one is finished. {@link #close()} sends {@code CONNECTION_CLOSE} with application error 0: QUIC ends every
 * stream at once, so data not yet read out of quiche is lost (RFC 9000 §10.2), unlike a yamux GO_AWAY.
 *
 * <p>Threads: the event loop runs the {@link Handler} and the stream handlers; any thread may open, accept and
 * close. A connection needs no thread of its own.
 */
final class QuicConnection implements MuxedConnection {
    private static final Logger log = LoggerFactory.getLogger(QuicConnection.class);
    static final AttributeKey<QuicConnection> KEY = AttributeKey.valueOf("weft-quic-connection");

    private final QuicChannel channel;
    private final Trace trace;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<QuicStream> accepted = new ArrayDeque<>(); // guarded by lock
    private volatile ConnectionClosedException failure;
    private volatile QuicConnectionCloseEvent peerClose; // event loop writes, then the channel closes

    private QuicConnection(QuicChannel channel, Trace trace) {
        this.channel = channel;
        this.trace = trace;
    }

    /** Makes the connection of {@code channel}, reporting to {@code trace}, and puts its handler in the pipeline. */
    static QuicConnection attach(QuicChannel channel, Trace trace) {
        QuicConnection connection = new QuicConnection(channel, trace);
        channel.attr(KEY).set(connection);
        channel.pipeline().addLast(connection.new Handler());
        return connection;
    }

    /** For every stream the peer opens: the stream's handler, then the accept queue. Shared by all connections. */
    static ChannelHandler inboundStreams() {
        return new InboundStreams();
    }

    QuicChannel channel() {
        return channel;
    }

    /** The connection's trace; each stream's adds its id. */
    Trace trace() {
        return trace;
    }

    /** Why the connection ended (each call a new copy), or null while it is open. */
    ConnectionClosedException failure() {
        if (failure == null && !channel.isOpen()) { // its streams can learn it first
            onClosed();
        }
        ConnectionClosedException recorded = failure;
        return recorded == null ? null : recorded.freshCopy();
    }

    @Override
    public MuxedStream openStream() throws IOException {
        while (true) {
            lock.lock();
            try {
                while (true) {
                    throwIfClosed();
                    if (channel.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL) > 0) {
                        break;
                    }
                    changed.await(); // QuicStreamLimitChangedEvent or the end of the connection signals
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("quic: interrupted while opening a stream");
            } finally {
                lock.unlock();
            }
            QuicStreamHandler handler = new QuicStreamHandler(this);
            Future<QuicStreamChannel> created = channel.createStream(QuicStreamType.BIDIRECTIONAL, handler);
            try {
                created.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("quic: interrupted while opening a stream");
            }
            if (created.isSuccess()) {
                if (trace.on()) QuicTrace.stream(handler.stream().trace(), true);
                return handler.stream();
            }
            throwIfClosed();
            if (channel.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL) > 0) { // not a race for the last one
                throw new IOException("quic: cannot open a stream: " + created.cause(), created.cause());
            }
        }
    }

    @Override
    public MuxedStream acceptStream() throws IOException {
        lock.lock();
        try {
            while (accepted.isEmpty()) {
                throwIfClosed();
                changed.await();
            }
            return accepted.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("quic: interrupted while accepting a stream");
        } finally {
            lock.unlock();
        }
    }

    private void throwIfClosed() throws ConnectionClosedException {
        ConnectionClosedException recorded = failure;
        if (recorded != null) {
            throw recorded.freshCopy();
        }
    }

    @Override
    public boolean isClosed() {
        return failure != null;
    }

    /** Closes with {@code CONNECTION_CLOSE}, application error 0; every stream ends. Idempotent. */
    @Override
    public void close() {
        close(0);
    }

    /** Closes with {@code CONNECTION_CLOSE} carrying the libp2p error {@code code} as the application error. */
    void close(int code) {
        if (record(new ConnectionClosedException("quic: connection closed locally"
                + (code != 0 ? " (error code 0x" + Integer.toHexString(code) + ")" : ""), false, null))) {
            channel.close(true, code, Unpooled.EMPTY_BUFFER);
        }
    }

    /** Records the end once; true for the call that did. */
    private boolean record(ConnectionClosedException end) {
        lock.lock();
        try {
            if (failure != null) {
                return false;
            }
            failure = end;
            if (trace.on()) QuicTrace.closed(trace, end.getMessage()); // before anyone blocked on us hears of it
            for (QuicStream s : accepted) {
                s.reset();
            }
            accepted.clear();
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void onInbound(QuicStream stream) {
        lock.lock();
        try {
            if (failure == null) {
                accepted.add(stream);
                changed.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        stream.reset();
    }

    private void onStreamLimit() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onClosed() {
        QuicConnectionCloseEvent event = peerClose;
        String why;
        if (event != null) {
            why = "quic: connection closed by remote (" + (event.isApplicationClose() ? "application" : "transport")
                    + " error code 0x" + Integer.toHexString(event.error()) + ")";
        } else if (channel.isTimedOut()) {
            why = "quic: connection timed out (no packet from the peer within the idle timeout)";
        } else {
            why = "quic: connection closed";
        }
        if (record(new ConnectionClosedException(why, event != null || channel.isTimedOut(), null))) {
            log.debug("{}: {}", this, why);
        }
    }

    @Override
    public String toString() {
        return "quic connection " + channel.remoteSocketAddress();
    }

    /** The connection's events, on the event loop. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof QuicConnectionCloseEvent close) {
                peerClose = close;
            } else if (event instanceof QuicStreamLimitChangedEvent) {
                onStreamLimit();
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onClosed();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("{}: {}", QuicConnection.this, cause.toString());
        }
    }

    /** Sets up each stream the peer opens and queues it for {@link #acceptStream()}. */
    @ChannelHandler.Sharable
    private static final class InboundStreams extends ChannelInitializer<QuicStreamChannel> {
        @Override
        protected void initChannel(QuicStreamChannel ch) {
            QuicConnection connection = ch.parent().attr(KEY).get();
            if (connection == null) { // cannot happen: attached before the handshake
                ch.close();
                return;
            }
            QuicStreamHandler handler = new QuicStreamHandler(connection);
            ch.pipeline().addLast(handler);
            if (connection.trace.on()) QuicTrace.stream(handler.stream().trace(), false);
            handler.stream().prefetch();
            connection.onInbound(handler.stream());
        }
    }
}
