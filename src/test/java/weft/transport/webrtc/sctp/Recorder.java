package weft.transport.webrtc.sctp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link Association.Handler} that records everything, per stream, and consumes messages as they arrive. */
final class Recorder implements Association.Handler {
    boolean established;
    boolean closed;
    IOException closeCause;
    boolean consume = true;
    Association association;
    final Map<Integer, ByteArrayOutputStream> received = new TreeMap<>();
    final List<Integer> messageSizes = new ArrayList<>();
    final List<Integer> incomingResets = new ArrayList<>();
    final List<Integer> outgoingResets = new ArrayList<>();
    long receivedBytes;
    int unconsumed;

    @Override
    public void onEstablished() {
        established = true;
    }

    @Override
    public void onMessage(int streamId, int ppid, byte[] payload) {
        received.computeIfAbsent(streamId, s -> new ByteArrayOutputStream()).writeBytes(payload);
        messageSizes.add(payload.length);
        receivedBytes += payload.length;
        if (consume) {
            association.consumed(payload.length);
        } else {
            unconsumed += payload.length;
        }
    }

    void consumeAll() {
        int bytes = unconsumed;
        unconsumed = 0;
        consume = true;
        association.consumed(bytes);
    }

    @Override
    public void onIncomingStreamReset(int streamId) {
        incomingResets.add(streamId);
    }

    @Override
    public void onOutgoingStreamReset(int streamId) {
        outgoingResets.add(streamId);
    }

    @Override
    public void onClosed(IOException cause) {
        closed = true;
        closeCause = cause;
    }

    byte[] stream(int id) {
        ByteArrayOutputStream out = received.get(id);
        return out == null ? new byte[0] : out.toByteArray();
    }
}
