package weft.transport.webrtc.sctp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stream reset (RFC 6525), the way WebRTC closes a data channel: RFC 8831 section 6.7, "Closing of a data channel
 * MUST be signaled by resetting the corresponding outgoing streams [...] the peer [...] MUST also reset its
 * corresponding outgoing stream". Not thread-safe; the association calls it under its lock.
 *
 * <p>Outgoing: one request in flight at a time (RFC 6525 section 6.1: "at most one [...] request [...]
 * outstanding"); streams asked for meanwhile wait for the next. The request names our last assigned TSN, and the
 * peer performs the reset only once everything up to it arrived. Incoming: a peer's Outgoing SSN Reset Request is
 * performed as soon as our cumulative TSN reaches the TSN it names (section 5.2.2, "deferred reset processing"),
 * then answered "Success - Performed".
 */
final class StreamResets {
    /** RFC 6525 section 4.4 result codes. */
    static final int SUCCESS_NOTHING_TO_DO = 0;
    static final int SUCCESS_PERFORMED = 1;
    static final int DENIED = 2;
    static final int BAD_SEQUENCE_NUMBER = 5;
    static final int IN_PROGRESS = 6;

    /** What a RE-CONFIG chunk or an advanced cumulative TSN led to. */
    record Effects(List<Chunk.Param> responses, List<Integer> incomingReset, List<Integer> outgoingReset) {
        static final Effects NONE = new Effects(List.of(), List.of(), List.of());
    }

    private record Request(int seq, int lastTsn, List<Integer> streams) {
    }

    private int nextRequestSeq;
    private int expectedPeerSeq;
    private final Set<Integer> queued = new LinkedHashSet<>();
    private Request outstanding;
    private Request deferred;
    private Chunk.Param lastResponse;

    /** Section 3.1: request sequence numbers start at the sender's initial TSN. */
    StreamResets(int localInitialTsn, int peerInitialTsn) {
        this.nextRequestSeq = localInitialTsn;
        this.expectedPeerSeq = peerInitialTsn;
    }

    void request(int streamId) {
        queued.add(streamId);
    }

    boolean hasOutstanding() {
        return outstanding != null;
    }

    /** A new request if none is outstanding and some stream waits; its chunk parameter. */
    Chunk.Param nextRequest(int lastAssignedTsn) {
        if (outstanding != null || queued.isEmpty()) {
            return null;
        }
        outstanding = new Request(nextRequestSeq, lastAssignedTsn, List.copyOf(queued));
        queued.clear();
        return outstandingParam();
    }

    /** The outstanding request again, for a retransmission. */
    Chunk.Param outstandingParam() {
        ByteBuffer value = ByteBuffer.allocate(12 + 2 * outstanding.streams().size());
        value.putInt(outstanding.seq()).putInt(expectedPeerSeq - 1).putInt(outstanding.lastTsn());
        outstanding.streams().forEach(s -> value.putShort((short) (int) s));
        return new Chunk.Param(Chunk.Param.OUTGOING_SSN_RESET_REQUEST, value.array());
    }

    /** Applies the parameters of a RE-CONFIG chunk; {@code cumulativeTsn} is what we received in order. */
    Effects onReConfig(Chunk.ReConfig chunk, int cumulativeTsn) throws SctpException {
        List<Chunk.Param> responses = new ArrayList<>();
        List<Integer> incoming = new ArrayList<>();
        List<Integer> outgoing = new ArrayList<>();
        for (Chunk.Param param : chunk.params()) {
            ByteBuffer in = ByteBuffer.wrap(param.value());
            switch (param.type()) {
                case Chunk.Param.OUTGOING_SSN_RESET_REQUEST -> {
                    need(param, 12);
                    int seq = in.getInt();
                    in.getInt(); // the response sequence number the peer last saw from us; informational here
                    int lastTsn = in.getInt();
                    List<Integer> streams = new ArrayList<>();
                    while (in.remaining() >= 2) {
                        streams.add(in.getShort() & 0xffff);
                    }
                    if (seq == expectedPeerSeq - 1 && lastResponse != null && deferred == null) {
                        responses.add(lastResponse); // a retransmission of the request we answered
                    } else if (deferred != null && seq == deferred.seq()) {
                        continue; // still waiting for its data
                    } else if (seq != expectedPeerSeq) {
                        responses.add(response(seq, BAD_SEQUENCE_NUMBER));
                    } else {
                        expectedPeerSeq++;
                        deferred = new Request(seq, lastTsn, List.copyOf(streams));
                        Effects performed = checkDeferred(cumulativeTsn);
                        responses.addAll(performed.responses());
                        incoming.addAll(performed.incomingReset());
                    }
                }
                case Chunk.Param.INCOMING_SSN_RESET_REQUEST -> {
                    need(param, 4);
                    int seq = in.getInt();
                    if (seq == expectedPeerSeq) {
                        expectedPeerSeq++;
                        lastResponse = response(seq, DENIED); // data channels never ask us to reset ours
                        responses.add(lastResponse);
                    }
                }
                case Chunk.Param.RECONFIGURATION_RESPONSE -> {
                    need(param, 8);
                    int seq = in.getInt();
                    int result = in.getInt();
                    if (outstanding == null || seq != outstanding.seq()) {
                        continue;
                    }
                    if (result == IN_PROGRESS) {
                        continue; // the retransmission timer asks again
                    }
                    if (result == SUCCESS_PERFORMED || result == SUCCESS_NOTHING_TO_DO) {
                        outgoing.addAll(outstanding.streams());
                    }
                    outstanding = null;
                    nextRequestSeq++;
                }
                default -> {
                    // other RE-CONFIG parameters (add streams, SSN/TSN reset) are not used by data channels
                }
            }
        }
        return new Effects(List.copyOf(responses), List.copyOf(incoming), List.copyOf(outgoing));
    }

    /** Performs a deferred incoming reset once everything up to its last TSN arrived. */
    Effects checkDeferred(int cumulativeTsn) {
        if (deferred == null || Tsn.before(cumulativeTsn, deferred.lastTsn())) {
            return Effects.NONE;
        }
        Request done = deferred;
        deferred = null;
        lastResponse = response(done.seq(), SUCCESS_PERFORMED);
        return new Effects(List.of(lastResponse), done.streams(), List.of());
    }

    private static Chunk.Param response(int seq, int result) {
        return new Chunk.Param(Chunk.Param.RECONFIGURATION_RESPONSE,
                ByteBuffer.allocate(8).putInt(seq).putInt(result).array());
    }

    private static void need(Chunk.Param param, int bytes) throws SctpException {
        if (param.value().length < bytes) {
            throw new SctpException("sctp: re-config parameter " + param.type() + " too short ("
                    + param.value().length + " < " + bytes + " bytes)");
        }
    }
}
