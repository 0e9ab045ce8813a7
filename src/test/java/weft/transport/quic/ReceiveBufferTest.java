package weft.transport.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** One read takes bytes from several buffers in order and releases each buffer read to its end. */
class ReceiveBufferTest {
    private final ReceiveBuffer buffer = new ReceiveBuffer();

    @Test
    void oneDrainCopiesAcrossBuffersInArrivalOrderAndReleasesTheEmptiedOnes() {
        ByteBuf first = direct(1, 2, 3);
        ByteBuf second = direct(4, 5);
        ByteBuf third = direct(6, 7, 8);
        buffer.add(first);
        buffer.add(second);
        buffer.add(third);
        assertEquals(8, buffer.bytes());

        byte[] out = new byte[10];
        assertEquals(6, buffer.drain(out, 1, 6));
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 0, 0, 0}, out);
        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
        assertEquals(1, third.refCnt(), "a buffer read only in part stays");
        assertEquals(2, buffer.bytes());

        assertEquals(2, buffer.drain(out, 0, 10));
        assertArrayEquals(new byte[] {7, 8}, Arrays.copyOf(out, 2));
        assertEquals(0, third.refCnt());
        assertTrue(buffer.isEmpty());
        assertEquals(0, buffer.drain(out, 0, 10), "nothing held, nothing copied");
    }

    @Test
    void clearReleasesEveryBufferHeld() {
        ByteBuf first = direct(1);
        ByteBuf second = direct(2, 3);
        buffer.add(first);
        buffer.add(second);
        buffer.drain(new byte[1], 0, 1);
        buffer.clear();
        assertEquals(0, second.refCnt());
        assertEquals(0, buffer.bytes());
        assertTrue(buffer.isEmpty());
    }

    private static ByteBuf direct(int... bytes) {
        ByteBuf b = Unpooled.directBuffer(bytes.length);
        for (int v : bytes) {
            b.writeByte(v);
        }
        return b;
    }
}
