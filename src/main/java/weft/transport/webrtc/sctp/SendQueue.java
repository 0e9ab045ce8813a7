package weft.transport.webrtc.sctp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sending half of an association: fragmentation, TSN and SSN assignment, what is in flight, retransmission
 * (by timeout and fast retransmit), the congestion window and the peer's receive window, and the RTO.
 * Not thread-safe; the association calls it under its lock.
 *
 * <p>RFC 9260 section 6.1 rule B: "At any given time, the sender MUST NOT transmit new data to a given transport
 * address if it has cwnd + (PMTU - 1) or more bytes of data outstanding", and rule A: "the data sender MUST NOT
 * transmit new data [...] if the receiver's rwnd indicates that the data receiver has no buffer space", except
 * one chunk when nothing is in flight (the zero window probe). Section 7.2 gives slow start, congestion avoidance
 * and the reaction to loss; section 6.3 the RTO; section 7.2.4 fast retransmit after three miss indications.
 */
final class SendQueue {
    /** RFC 9260 section 16: RTO.Initial 1 s, RTO.Min 1 s, RTO.Max 60 s. */
    static final long RTO_INITIAL_NANOS = 1_000_000_000L;
    static final long RTO_MIN_NANOS = 1_000_000_000L;
    static final long RTO_MAX_NANOS = 60_000_000_000L;

    /** A chunk that was sent and is not yet covered by the cumulative ack. */
    private static final class Outstanding {
        final Chunk.Data chunk;
        long sentAt;
        boolean retransmitted;
        boolean gapAcked;
        boolean needsRetransmit;
        boolean fastRetransmitted;
        int misses;

        Outstanding(Chunk.Data chunk) {
            this.chunk = chunk;
        }

        int size() {
            return chunk.payload().length;
        }
    }

    private final int mtu;
    private final int maxPayload;
    private final ArrayDeque<Chunk.Data> pending = new ArrayDeque<>();
    private final TreeMap<Integer, Outstanding> inflight = new TreeMap<>(Tsn.ORDER);
    private final Map<Integer, Integer> nextSsn = new HashMap<>();
    private final Map<Integer, Integer> pendingByStream = new HashMap<>(); // queued, not yet sent, per stream
    private int nextTsn;
    private int cumulativeAcked;
    private int pendingBytes;
    private int inflightBytes;
    private int peerRwnd;
    private int cwnd;
    private int ssthresh;
    private int partialBytesAcked;
    private boolean fastRecovery;
    private int fastRecoveryExit;
    private long srtt = -1;
    private long rttvar;
    private long rto = RTO_INITIAL_NANOS;

    SendQueue(int initialTsn, int mtu) {
        this.nextTsn = initialTsn;
        this.cumulativeAcked = initialTsn - 1;
        this.mtu = mtu;
        this.maxPayload = mtu - SctpPacket.HEADER_LENGTH - 16;
        // Section 7.2.1: "The initial cwnd before data transmission MUST be set to min(4 * MTU, max(2 * MTU, 4404))"
        this.cwnd = Math.min(4 * mtu, Math.max(2 * mtu, 4404));
    }

    /** Learns the peer's window from its INIT or INIT-ACK; section 7.2.1: initial ssthresh is that window. */
    void start(int peerArwnd) {
        this.peerRwnd = peerArwnd;
        this.ssthresh = peerArwnd;
    }

    /** Splits {@code message} into DATA chunks (section 6.9) and queues them; TSNs are assigned here, in order. */
    void enqueue(int streamId, int ppid, byte[] message, boolean unordered) {
        int ssn = unordered ? 0 : nextSsn.getOrDefault(streamId, 0);
        if (!unordered) {
            nextSsn.put(streamId, (ssn + 1) & 0xffff);
        }
        for (int offset = 0; offset < message.length; offset += maxPayload) {
            int end = Math.min(message.length, offset + maxPayload);
            byte[] fragment = java.util.Arrays.copyOfRange(message, offset, end);
            pending.add(new Chunk.Data(unordered, offset == 0, end == message.length, nextTsn++, streamId, ssn, ppid,
                    fragment));
            pendingBytes += fragment.length;
        }
        pendingByStream.merge(streamId, message.length, Integer::sum);
    }

    /** RFC 6525 section 5.2.2: after an outgoing stream reset "the SSN of the stream [...] MUST be reset to 0". */
    void resetSsn(int streamId) {
        nextSsn.remove(streamId);
    }

    /** The last TSN handed out, for RFC 6525's "Sender's Last Assigned TSN". */
    int lastAssignedTsn() {
        return nextTsn - 1;
    }

    int bufferedBytes() {
        return pendingBytes + inflightBytes;
    }

    /** Bytes queued on {@code streamId} and not yet sent (a data channel's bufferedAmount, W3C webrtc 6.2). */
    int pendingBytes(int streamId) {
        return pendingByStream.getOrDefault(streamId, 0);
    }

    boolean isEmpty() {
        return pending.isEmpty() && inflight.isEmpty();
    }

    boolean hasInflight() {
        return !inflight.isEmpty();
    }

    int cumulativeAcked() {
        return cumulativeAcked;
    }

    long rtoNanos() {
        return rto;
    }

    int cwnd() {
        return cwnd;
    }

    /**
     * The chunks to send now: retransmissions first (lowest TSN first), then new data, within cwnd and the peer's
     * window. {@code force} sends at least one chunk (after a T3 timeout, section 6.3.3 E3).
     */
    List<Chunk.Data> nextToSend(long now, boolean force) {
        List<Chunk.Data> out = new ArrayList<>();
        int flight = flightSize();
        for (Outstanding o : inflight.values()) {
            if (!o.needsRetransmit) {
                continue;
            }
            if (flight + o.size() > cwnd && !(force && out.isEmpty())) {
                return out;
            }
            o.needsRetransmit = false;
            o.retransmitted = true;
            o.sentAt = now;
            flight += o.size();
            out.add(o.chunk);
        }
        while (!pending.isEmpty()) {
            Chunk.Data next = pending.peekFirst();
            int size = next.payload().length;
            boolean probe = flight == 0 && out.isEmpty();
            if (!probe && (flight + size > cwnd || size > peerRwnd)) {
                break;
            }
            pending.pollFirst();
            pendingBytes -= size;
            pendingByStream.computeIfPresent(next.streamId(), (stream, bytes) -> bytes == size ? null : bytes - size);
            Outstanding o = new Outstanding(next);
            o.sentAt = now;
            inflight.put(next.tsn(), o);
            inflightBytes += size;
            flight += size;
            peerRwnd = Math.max(0, peerRwnd - size);
            out.add(next);
        }
        return out;
    }

    /** Outstanding bytes not known to have arrived and not waiting for retransmission. */
    private int flightSize() {
        int flight = 0;
        for (Outstanding o : inflight.values()) {
            if (!o.gapAcked && !o.needsRetransmit) {
                flight += o.size();
            }
        }
        return flight;
    }

    /** What a SACK changed: whether the cumulative ack moved, and whether a fast retransmit is due. */
    record SackResult(boolean advanced, boolean retransmit) {
    }

    /** Section 6.2.1: processes a SACK. An old one (cumulative ack behind ours) is ignored. */
    SackResult onSack(Chunk.Sack sack, long now) {
        int cumulative = sack.cumulativeTsnAck();
        if (Tsn.before(cumulative, cumulativeAcked) || !Tsn.before(cumulative, nextTsn)) {
            return new SackResult(false, false);
        }
        boolean advanced = Tsn.before(cumulativeAcked, cumulative);
        int bytesAcked = 0;
        long rttSample = -1;
        while (!inflight.isEmpty() && Tsn.atOrBefore(inflight.firstKey(), cumulative)) {
            Outstanding o = inflight.pollFirstEntry().getValue();
            bytesAcked += o.size();
            inflightBytes -= o.size();
            if (!o.retransmitted) {
                rttSample = now - o.sentAt; // Karn: only chunks sent once
            }
        }
        cumulativeAcked = cumulative;
        int highestGapAcked = cumulative;
        for (Outstanding o : inflight.values()) {
            int offset = o.chunk.tsn() - cumulative;
            boolean acked = false;
            for (Chunk.GapBlock gap : sack.gaps()) {
                if (offset >= gap.start() && offset <= gap.end()) {
                    acked = true;
                    break;
                }
            }
            if (acked && !o.gapAcked) {
                bytesAcked += o.size();
                o.needsRetransmit = false;
            }
            o.gapAcked = acked;
            if (acked) {
                highestGapAcked = o.chunk.tsn();
            }
        }
        boolean retransmit = false;
        for (Outstanding o : inflight.values()) {
            if (!Tsn.before(o.chunk.tsn(), highestGapAcked)) {
                break;
            }
            // Section 7.2.4: "increment the miss indications [...] for each TSN reported missing"; at three,
            // fast retransmit, once per chunk.
            if (!o.gapAcked && !o.fastRetransmitted && ++o.misses >= 3) {
                o.fastRetransmitted = true;
                o.needsRetransmit = true;
                retransmit = true;
                if (!fastRecovery) {
                    fastRecovery = true;
                    fastRecoveryExit = nextTsn - 1;
                    ssthresh = Math.max(cwnd / 2, 4 * mtu);
                    cwnd = ssthresh;
                    partialBytesAcked = 0;
                }
            }
        }
        if (fastRecovery && Tsn.atOrBefore(fastRecoveryExit, cumulative)) {
            fastRecovery = false;
        }
        if (rttSample >= 0) {
            updateRto(rttSample);
        }
        if (advanced && !fastRecovery) {
            growCwnd(bytesAcked);
        }
        peerRwnd = Math.max(0, sack.arwnd() - flightSize());
        return new SackResult(advanced, retransmit);
    }

    /** Section 7.2.1 slow start and 7.2.2 congestion avoidance. */
    private void growCwnd(int bytesAcked) {
        if (cwnd <= ssthresh) {
            cwnd += Math.min(bytesAcked, mtu);
        } else {
            partialBytesAcked += bytesAcked;
            if (partialBytesAcked >= cwnd) {
                partialBytesAcked -= cwnd;
                cwnd += mtu;
            }
        }
    }

    /** Section 6.3.1: SRTT, RTTVAR and RTO from one measurement. */
    void updateRto(long rtt) {
        if (srtt < 0) {
            srtt = rtt;
            rttvar = rtt / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
        }
        rto = Math.min(RTO_MAX_NANOS, Math.max(RTO_MIN_NANOS, srtt + 4 * rttvar));
    }

    /**
     * Section 6.3.3, T3-rtx expiry: back off the RTO, collapse cwnd to one MTU, and mark everything outstanding
     * and not gap-acked for retransmission.
     */
    void onRetransmissionTimeout() {
        rto = Math.min(RTO_MAX_NANOS, rto * 2);
        ssthresh = Math.max(cwnd / 2, 4 * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
        fastRecovery = false;
        for (Outstanding o : inflight.values()) {
            if (!o.gapAcked) {
                o.needsRetransmit = true;
            }
        }
    }

    /** Doubles the RTO for a control chunk that went unanswered (T1, T2, heartbeat, RE-CONFIG). */
    void backOff() {
        rto = Math.min(RTO_MAX_NANOS, rto * 2);
    }
}
