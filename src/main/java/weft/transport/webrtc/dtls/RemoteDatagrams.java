package weft.transport.webrtc.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The datagrams of one remote on a shared UDP socket, as Bouncy Castle's {@code DatagramTransport}: the listener's
 * socket loop {@link #offer}s what arrives from that address, the DTLS layer takes it with {@link #receive}, and
 * what DTLS sends goes straight out of the shared socket through a {@link Sender}.
 *
 * <p>The queue is bounded: when a remote's connection thread falls behind, its datagrams are dropped (UDP may drop
 * anyway, and SCTP retransmits), so the socket loop never waits for one remote.
 */
public final class RemoteDatagrams implements DatagramTransport {
    /** 1280 (IPv6 minimum MTU) - 40 (IPv6 header) - 8 (UDP header): the largest datagram we send. */
    static final int SEND_LIMIT = 1232;
    /** Accept anything a UDP socket can deliver; a peer's path MTU may be larger than ours. */
    static final int RECEIVE_LIMIT = 65_507;
    private static final int QUEUE = 256;
    private static final byte[] CLOSED = new byte[0];

    /** Sends one datagram to this remote. */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] buffer, int offset, int length) throws IOException;
    }

    private final ArrayBlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(QUEUE);
    private final Sender sender;
    private volatile boolean closed;

    public RemoteDatagrams(Sender sender) {
        this.sender = sender;
    }

    /** Hands over one datagram from this remote; false (dropped) when the queue is full or closed. */
    public boolean offer(byte[] datagram) {
        return !closed && inbound.offer(datagram);
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    /** Waits up to {@code waitMillis} for a datagram; -1 when none came (what Bouncy Castle expects). */
    @Override
    public int receive(byte[] buffer, int offset, int length, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("dtls: remote closed");
        }
        byte[] datagram;
        try {
            datagram = inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("dtls: interrupted while waiting for a datagram");
        }
        if (datagram == null) {
            return -1;
        }
        if (datagram == CLOSED) {
            throw new IOException("dtls: remote closed");
        }
        int n = Math.min(length, datagram.length);
        System.arraycopy(datagram, 0, buffer, offset, n);
        return n;
    }

    @Override
    public void send(byte[] buffer, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("dtls: remote closed");
        }
        sender.send(buffer, offset, length);
    }

    /** Stops both directions; a thread blocked in {@link #receive} wakes with an exception. */
    @Override
    public void close() {
        closed = true;
        inbound.clear();
        inbound.offer(CLOSED);
    }
}
