package weft.transport.webrtc.sctp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The receiving half of an association: which TSNs arrived, what to put in the next SACK, and reassembly of
 * fragmented messages. Not thread-safe; the association calls it under its lock.
 *
 * <p>RFC 9260 section 6.2: "the endpoint MUST [...] acknowledge [...] by sending a SACK chunk [...] the
 * Cumulative TSN Ack [...] and Gap Ack Blocks for TSNs received out of order", and "when a packet arrives with
 * duplicate DATA chunk(s) [...] the endpoint MUST immediately send a SACK chunk". Section 6.9: fragments of one
 * message carry consecutive TSNs, the first with the B flag and the last with E.
 *
 * <p>Delivery follows TSN order, which for a standard sender is also SSN order within each stream. Bytes count
 * against the receive window from arrival until the layer above says it {@link #consumed} them: that is how a
 * slow reader shrinks {@code a_rwnd} and stops the peer.
 */
final class ReceiveQueue {
    /** A reassembled user message. */
    record Message(int streamId, int ppid, byte[] payload) {
    }

    /** What happened to one DATA chunk. */
    enum Outcome { NEW, DUPLICATE, DROPPED }

    /** RFC 9260 section 3.3.4: gap offsets are 16 bits, so nothing further than this ahead can be reported. */
    private static final int MAX_AHEAD = 65535;
    private static final int MAX_DUPLICATES = 16;
    private static final int MAX_GAP_BLOCKS = 64;

    private final int capacity;
    private final int maxMessageSize;
    private int cumulativeTsn;
    private final TreeMap<Integer, Chunk.Data> ahead = new TreeMap<>(Tsn.ORDER);
    private final List<Integer> duplicates = new ArrayList<>();
    private final Map<Integer, ByteArrayOutputStream> partial = new HashMap<>();
    private final List<Message> ready = new ArrayList<>();
    private int bufferedBytes;

    ReceiveQueue(int peerInitialTsn, int capacity, int maxMessageSize) {
        this.cumulativeTsn = peerInitialTsn - 1;
        this.capacity = capacity;
        this.maxMessageSize = maxMessageSize;
    }

    /** Takes one DATA chunk. Throws when the peer breaks a rule that ends the association. */
    Outcome accept(Chunk.Data data) throws SctpException {
        if (data.payload().length == 0) {
            throw new SctpException("sctp: data chunk without user data (tsn " + Integer.toUnsignedString(data.tsn())
                    + ")");
        }
        int tsn = data.tsn();
        if (Tsn.atOrBefore(tsn, cumulativeTsn) || ahead.containsKey(tsn)) {
            if (duplicates.size() < MAX_DUPLICATES) {
                duplicates.add(tsn);
            }
            return Outcome.DUPLICATE;
        }
        int distance = tsn - cumulativeTsn;
        // Section 6.2: with no room, drop. A chunk that fills the hole in front of out-of-order chunks still comes
        // in, or a window full of them could never drain; that bounds what is held by twice the capacity.
        boolean fillsHole = distance == 1 && !ahead.isEmpty();
        if (distance > MAX_AHEAD || bufferedBytes + data.payload().length > capacity && !fillsHole) {
            return Outcome.DROPPED;
        }
        bufferedBytes += data.payload().length;
        ahead.put(tsn, data);
        while (!ahead.isEmpty() && ahead.firstKey() == cumulativeTsn + 1) {
            Chunk.Data next = ahead.pollFirstEntry().getValue();
            cumulativeTsn = next.tsn();
            reassemble(next);
        }
        return Outcome.NEW;
    }

    private void reassemble(Chunk.Data data) throws SctpException {
        ByteArrayOutputStream buffer = partial.get(data.streamId());
        if (data.beginning()) {
            if (buffer != null) {
                throw new SctpException("sctp: stream " + data.streamId() + " began a message inside another");
            }
            buffer = new ByteArrayOutputStream(data.ending() ? data.payload().length : 4096);
            partial.put(data.streamId(), buffer);
        } else if (buffer == null) {
            throw new SctpException("sctp: stream " + data.streamId() + " continued a message it never began (tsn "
                    + Integer.toUnsignedString(data.tsn()) + ")");
        }
        if (buffer.size() + data.payload().length > maxMessageSize) {
            throw new SctpException("sctp: message on stream " + data.streamId() + " exceeds "
                    + maxMessageSize + " bytes");
        }
        buffer.writeBytes(data.payload());
        if (data.ending()) {
            partial.remove(data.streamId());
            ready.add(new Message(data.streamId(), data.ppid(), buffer.toByteArray()));
        }
    }

    /** The messages completed since the last call, in delivery order. */
    List<Message> takeMessages() {
        if (ready.isEmpty()) {
            return List.of();
        }
        List<Message> out = List.copyOf(ready);
        ready.clear();
        return out;
    }

    /** The layer above has taken {@code bytes} out of its buffers: they no longer count against the window. */
    void consumed(int bytes) {
        bufferedBytes = Math.max(0, bufferedBytes - bytes);
    }

    /** The window to advertise (section 6.2.1: buffer space minus what is held). */
    int arwnd() {
        return Math.max(0, capacity - bufferedBytes);
    }

    int cumulativeTsn() {
        return cumulativeTsn;
    }

    boolean hasGaps() {
        return !ahead.isEmpty();
    }

    /** A stream was reset (RFC 6525): a half-received message on it is dropped. */
    void resetStream(int streamId) {
        partial.remove(streamId);
    }

    /** The SACK for what arrived so far; reported duplicates are forgotten. */
    Chunk.Sack sack() {
        List<Chunk.GapBlock> gaps = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (int tsn : ahead.keySet()) {
            int offset = tsn - cumulativeTsn;
            if (start >= 0 && offset == end + 1) {
                end = offset;
                continue;
            }
            if (start >= 0) {
                gaps.add(new Chunk.GapBlock(start, end));
                if (gaps.size() == MAX_GAP_BLOCKS) {
                    start = -1;
                    break;
                }
            }
            start = offset;
            end = offset;
        }
        if (start >= 0) {
            gaps.add(new Chunk.GapBlock(start, end));
        }
        List<Integer> reported = List.copyOf(duplicates);
        duplicates.clear();
        return new Chunk.Sack(cumulativeTsn, arwnd(), List.copyOf(gaps), reported);
    }

    boolean hasDuplicates() {
        return !duplicates.isEmpty();
    }
}
