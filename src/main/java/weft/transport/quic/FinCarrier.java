package weft.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.util.concurrent.PromiseNotifier;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Makes the FIN of a stream ride in the same STREAM frame as its last data, so quiche never holds a bare FIN behind
 * data that is already in flight. It keeps back the last data buffer written; the next write sends it first, and the
 * FIN of {@link QuicStream#closeWrite()} takes it along ({@code STREAM offset=N length=L FIN}).
 *
 * <h2>Why</h2>
 * The quiche in netty 4.2.18 loses a bare FIN: "{@code stream_send(id, b"", true)} can set {@code fin_off} at an
 * already ACKed data offset, then the stream can be collected before any STREAM frame carrying {@code FIN} is
 * emitted. The peer receives all bytes but never receives final size / EOF"
 * (<a href="https://github.com/cloudflare/quiche/issues/2525">quiche issue 2525</a>; fixed by quiche PR 2665, not in
 * this netty). It happens to the side that closes last (its receive side is complete) when the FIN waits behind a
 * full congestion window and the acknowledgement of the data before it arrives first: with 100 streams echoing at
 * once, about one connection in five lost one reply's end. A FIN that carries data is complete only once that data
 * is acknowledged, and the frame that carries it is the one with the FIN.
 *
 * <h2>When the held buffer goes without a FIN</h2>
 * A peer may wait for that data before it answers, so the buffer goes out on its own when the writer's own read has
 * to wait and quiche has nothing for it ({@link #releaseIfStarved}), or {@link #HOLD_NANOS} after the last write once
 * the stream is not {@code busy} (no call of its writer runs, or was woken to run, {@link QuicStream}). A close after
 * that sends a bare FIN again; it is rare, since a reply is usually written and closed at once (none among the
 * 16,000 FINs of eight {@code QuicFinTest} runs).
 *
 * <p>Threads: the event loop only, as every channel handler. A buffer written later is never sent before this one: the
 * event loop runs the writes in order and every data write passes here. (An earlier version kept the buffer on the
 * application's side and recognised it by identity in a timer task; netty recycles its pooled buffer objects, so a
 * stale task found a newer buffer in the same object and sent it ahead of writes still queued, reordering the stream:
 * {@code QuicStreamIntegrityTest}.)
 */
final class FinCarrier extends ChannelOutboundHandlerAdapter {
    /**
     * How long the last write's buffer may wait for a close: 1 ms, long against a close that follows the write at once,
     * short against a network round trip. Our choice, no spec's.
     */
    static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final BooleanSupplier busy;
    private ChannelHandlerContext ctx;
    private ByteBuf held; // event loop only: the last data buffer written, not yet handed to quiche
    private ChannelPromise heldPromise; // event loop only
    private long writes; // event loop only: data buffers seen, so a timer knows whether a newer write came
    private boolean timerArmed; // event loop only

    /** {@code busy}: whether a call that may close the stream soon runs; asked on the event loop. */
    FinCarrier(BooleanSupplier busy) {
        this.busy = busy;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf data && data.isReadable()) {
            release(false);
            held = data;
            heldPromise = promise;
            writes++;
            armTimer();
        } else if (msg instanceof QuicStreamFrame frame && frame.hasFin() && !frame.content().isReadable()
                && held != null) {
            frame.release();
            ChannelPromise carried = ctx.newPromise();
            carried.addListener(new PromiseNotifier<>(heldPromise, promise));
            ByteBuf last = held;
            held = null;
            heldPromise = null;
            ctx.write(new DefaultQuicStreamFrame(last, true), carried);
        } else {
            release(false);
            ctx.write(msg, promise);
        }
    }

    /**
     * Sends the held buffer if the stream's reader still waits for data once the event loop has run its read
     * request ({@code starved}, asked here on the event loop): the writer is waiting for an answer.
     */
    void releaseIfStarved(BooleanSupplier starved) {
        try {
            ctx.executor().execute(() -> {
                if (held != null && starved.getAsBoolean()) {
                    release(true);
                }
            });
        } catch (RejectedExecutionException e) {
            // the transport is closing: the channel closes too and drops the buffer
        }
    }

    private void release(boolean flush) {
        if (held == null) {
            return;
        }
        ByteBuf data = held;
        ChannelPromise promise = heldPromise;
        held = null;
        heldPromise = null;
        ctx.write(data, promise);
        if (flush) {
            ctx.flush();
        }
    }

    private void armTimer() {
        if (timerArmed) {
            return;
        }
        timerArmed = true;
        long writesAtArm = writes;
        try {
            ctx.executor().schedule(() -> {
                timerArmed = false;
                if (held == null) {
                    return;
                }
                if (writes != writesAtArm || busy.getAsBoolean()) {
                    armTimer(); // a newer write came, or a call on its way may close: look again later
                } else {
                    release(true);
                }
            }, HOLD_NANOS, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) { // the event loop is shutting down: hold nothing back
            timerArmed = false;
            release(true);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        drop();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        drop();
    }

    /** The channel closes: the held buffer will not be sent. */
    private void drop() {
        if (held != null) {
            ByteBuf data = held;
            ChannelPromise promise = heldPromise;
            held = null;
            heldPromise = null;
            data.release();
            promise.tryFailure(new ClosedChannelException());
        }
    }
}
