package weft.transport.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamFrame;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The FIN rides with the last data; held data goes out in order, alone only when nothing may close soon. */
class FinCarrierTest {
    private boolean busy;
    private final EmbeddedChannel channel = new EmbeddedChannel(new FinCarrier(() -> busy));

    FinCarrierTest() {
        channel.freezeTime(); // the clock moves only by advanceTimeBy
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    void finAfterAWriteTravelsInOneFrameWithItsData() {
        ChannelFuture data = channel.writeAndFlush(bytes("last words"));
        assertNull(channel.readOutbound(), "the last buffer waits for a close");
        ChannelFuture fin = channel.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true));

        QuicStreamFrame frame = assertInstanceOf(QuicStreamFrame.class, channel.readOutbound());
        assertTrue(frame.hasFin());
        assertEquals("last words", text(frame.content())); // releases the frame's buffer
        assertTrue(data.isSuccess() && fin.isSuccess());
        assertNull(channel.readOutbound());
    }

    @Test
    void eachWriteSendsTheBufferHeldBeforeIt() {
        channel.writeAndFlush(bytes("one"));
        channel.writeAndFlush(bytes("two"));
        channel.writeAndFlush(bytes("three"));

        assertEquals("one", text(channel.readOutbound()));
        assertEquals("two", text(channel.readOutbound()));
        assertNull(channel.readOutbound());
    }

    @Test
    void heldBufferGoesAloneOneHoldTimeAfterTheLastWriteWhenNoCallRuns() {
        channel.writeAndFlush(bytes("request"));
        channel.advanceTimeBy(FinCarrier.HOLD_NANOS - 1, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readOutbound());

        channel.advanceTimeBy(1, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertEquals("request", text(channel.readOutbound()));
    }

    @Test
    void heldBufferWaitsWhileACallOfTheStreamRuns() {
        busy = true;
        channel.writeAndFlush(bytes("reply"));
        channel.advanceTimeBy(10 * FinCarrier.HOLD_NANOS, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readOutbound(), "a close may be on its way");

        busy = false;
        channel.advanceTimeBy(FinCarrier.HOLD_NANOS, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertEquals("reply", text(channel.readOutbound()));
    }

    @Test
    void aWriteAfterTheTimerStartedRestartsTheHoldTime() {
        channel.writeAndFlush(bytes("a"));
        channel.advanceTimeBy(FinCarrier.HOLD_NANOS / 2, TimeUnit.NANOSECONDS);
        channel.writeAndFlush(bytes("b"));
        assertEquals("a", text(channel.readOutbound()));
        channel.advanceTimeBy(FinCarrier.HOLD_NANOS / 2, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readOutbound(), "b was written half a hold time ago");

        channel.advanceTimeBy(FinCarrier.HOLD_NANOS, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertEquals("b", text(channel.readOutbound()));
    }

    @Test
    void aStarvedReadOfTheWriterSendsTheHeldBuffer() {
        FinCarrier carrier = channel.pipeline().get(FinCarrier.class);
        channel.writeAndFlush(bytes("ping"));
        carrier.releaseIfStarved(() -> false); // the answer is already here: keep it for a close
        channel.runPendingTasks();
        assertNull(channel.readOutbound());

        carrier.releaseIfStarved(() -> true);
        channel.runPendingTasks();
        assertEquals("ping", text(channel.readOutbound()));
    }

    @Test
    void finAfterTheBufferWentAloneIsBare() {
        channel.writeAndFlush(bytes("x"));
        channel.advanceTimeBy(FinCarrier.HOLD_NANOS, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertEquals("x", text(channel.readOutbound()));
        channel.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true));

        QuicStreamFrame frame = assertInstanceOf(QuicStreamFrame.class, channel.readOutbound());
        assertTrue(frame.hasFin());
        assertFalse(frame.content().isReadable());
    }

    @Test
    void closeDropsTheHeldBufferAndFailsItsWrite() {
        ByteBuf data = bytes("never sent");
        ChannelFuture write = channel.writeAndFlush(data);
        channel.close();

        assertInstanceOf(ClosedChannelException.class, write.cause());
        assertEquals(0, data.refCnt());
        assertNull(channel.readOutbound());
    }

    static ByteBuf bytes(String s) {
        return Unpooled.directBuffer().writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The text of an outbound buffer, which it releases. */
    static String text(Object outbound) {
        ByteBuf b = assertInstanceOf(ByteBuf.class, outbound);
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }
}
