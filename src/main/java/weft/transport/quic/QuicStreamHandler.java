package weft.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * The netty side of a {@link QuicStream}: one per stream channel, run by the event loop. It makes the stream once the
 * channel is known, puts the stream's {@link FinCarrier} in front of itself, and hands over what the channel reports:
 * data, the peer's FIN, a failure (a {@code RESET_STREAM} among them), the end of the channel.
 */
final class QuicStreamHandler extends ChannelInboundHandlerAdapter {
    private final QuicConnection connection;
    private volatile QuicStream stream;

    QuicStreamHandler(QuicConnection connection) {
        this.connection = connection;
    }

    QuicStream stream() {
        return stream;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        stream = new QuicStream(connection, (QuicStreamChannel) ctx.channel());
        ctx.pipeline().addBefore(ctx.name(), null, stream.carrier());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf data) {
            stream.onData(data);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            stream.onFin();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stream.onFailure(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stream.onClosed();
    }
}
