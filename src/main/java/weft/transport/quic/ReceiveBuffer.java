package weft.transport.quic;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * What a {@link QuicStream} received and its reader has not read yet: the netty buffers in arrival order, each
 * released as soon as it is read to its end. One read copies from as many buffers as it has room for, so the reader
 * takes what a whole event-loop pass delivered under one lock acquisition.
 *
 * <p>Threads: none of its own; the stream's lock guards every call (the event loop adds, the reader drains).
 */
final class ReceiveBuffer {
    private final ArrayDeque<ByteBuf> buffers = new ArrayDeque<>();
    private long bytes;

    /** Takes over {@code data} (and the duty to release it). */
    void add(ByteBuf data) {
        buffers.add(data);
        bytes += data.readableBytes();
    }

    /** Copies up to {@code len} bytes into {@code buf}, oldest first; returns how many (0 when empty). */
    int drain(byte[] buf, int off, int len) {
        int n = 0;
        for (ByteBuf head; n < len && (head = buffers.peek()) != null; ) {
            int chunk = Math.min(len - n, head.readableBytes());
            head.readBytes(buf, off + n, chunk);
            n += chunk;
            if (!head.isReadable()) {
                buffers.poll().release();
            }
        }
        bytes -= n;
        return n;
    }

    /** Bytes held. */
    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return buffers.isEmpty();
    }

    /** Drops and releases everything held. */
    void clear() {
        for (ByteBuf b : buffers) {
            b.release();
        }
        buffers.clear();
        bytes = 0;
    }
}
