package weft.transport.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamFrame;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the interleaving of writes, timers, starved reads and busy callers, the bytes leave in the order they were
 * written and the FIN comes last. The buffers come from netty's pooled allocator, whose buffer objects are recycled:
 * the first workaround told its held buffer by identity and, given a recycled object, sent a newer buffer early.
 */
class FinCarrierProperties {
    enum Step { WRITE, TICK, STARVED_READ, BUSY, IDLE }

    @Property(tries = 300)
    void bytesLeaveInWriteOrderAndTheFinComesLast(@ForAll("steps") List<Step> steps) {
        boolean[] busy = {false};
        FinCarrier carrier = new FinCarrier(() -> busy[0]);
        EmbeddedChannel channel = new EmbeddedChannel(carrier);
        channel.freezeTime();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        byte next = 0;
        for (Step step : steps) {
            switch (step) {
                case WRITE -> {
                    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(3);
                    for (int i = 0; i < 3; i++, next++) {
                        b.writeByte(next);
                        written.write(next);
                    }
                    channel.writeAndFlush(b);
                }
                case TICK -> {
                    channel.advanceTimeBy(FinCarrier.HOLD_NANOS, TimeUnit.NANOSECONDS);
                    channel.runScheduledPendingTasks();
                }
                case STARVED_READ -> {
                    carrier.releaseIfStarved(() -> true);
                    channel.runPendingTasks();
                }
                case BUSY -> busy[0] = true;
                case IDLE -> busy[0] = false;
            }
            drain(channel, sent, false);
        }
        channel.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true));
        assertTrue(drain(channel, sent, true), "the FIN went out");
        assertArrayEquals(written.toByteArray(), sent.toByteArray());
        channel.finishAndReleaseAll();
    }

    /** Moves what the carrier sent into {@code sent}; true once a FIN was among it, which must be last. */
    private static boolean drain(EmbeddedChannel channel, ByteArrayOutputStream sent, boolean finExpected) {
        for (Object m; (m = channel.readOutbound()) != null; ) {
            ByteBuf b = m instanceof QuicStreamFrame f ? f.content() : (ByteBuf) m;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            sent.writeBytes(bytes);
            boolean fin = m instanceof QuicStreamFrame f && f.hasFin();
            io.netty.util.ReferenceCountUtil.release(m);
            if (fin) {
                assertTrue(finExpected, "a FIN before the close");
                assertNull(channel.readOutbound(), "nothing after the FIN");
                return true;
            }
        }
        return false;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.of(Step.class).list().ofMaxSize(60);
    }
}
