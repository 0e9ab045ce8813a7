package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.mux.MuxedStream;
import weft.testing.ManualClock;
import weft.transport.webrtc.sctp.Association;

/**
 * What weft sends on a data channel around its close, seen by a scripted peer at the SCTP message level: nothing may
 * follow the reset of our outgoing stream. RFC 6525 section 5.2.2: the peer resets its incoming stream once it has
 * every TSN up to the request's "Sender's Last Assigned TSN"; a later message counts for the stream's next use.
 * Chromium's dcsctp delivered such a late FIN_ACK to the next channel on the same id, in place of its first data
 * message of that sequence number, and the browser's echo hung.
 */
class DataChannelResetOrderTest {
    /** weft's side (the DTLS server's data channels) and a raw peer association, joined in memory, on one thread. */
    private final ManualClock clock = new ManualClock();
    private final ArrayDeque<byte[]> toWeft = new ArrayDeque<>();
    private final ArrayDeque<byte[]> toPeer = new ArrayDeque<>();
    private final DataChannelConnection weft = new DataChannelConnection(false,
            DataChannelConfig.defaults().withScheduler(clock));
    private final List<String> peerSaw = new ArrayList<>();
    private final Association weftSide = Association.server(Association.Config.defaults(), clock, toPeer::add, weft);
    private final Association peer = Association.client(Association.Config.defaults(), clock, toWeft::add,
            new Association.Handler() {
                @Override
                public void onEstablished() {
                    peerSaw.add("established");
                }

                @Override
                public void onMessage(int streamId, int ppid, byte[] payload) {
                    peerSaw.add(streamId + " ppid " + ppid + " " + HexFormat.of().formatHex(payload));
                }

                @Override
                public void onIncomingStreamReset(int streamId) {
                    peerSaw.add(streamId + " reset by weft");
                }

                @Override
                public void onOutgoingStreamReset(int streamId) {
                    peerSaw.add(streamId + " our reset done");
                }

                @Override
                public void onClosed(IOException cause) {
                    peerSaw.add("closed");
                }
            });

    DataChannelResetOrderTest() {
        weft.attach(weftSide);
    }

    /** Carries packets both ways until none is left. */
    private void settle() {
        while (!toWeft.isEmpty() || !toPeer.isEmpty()) {
            if (!toWeft.isEmpty()) {
                byte[] packet = toWeft.poll();
                weftSide.receive(packet, packet.length);
            }
            if (!toPeer.isEmpty()) {
                byte[] packet = toPeer.poll();
                peer.receive(packet, packet.length);
            }
        }
    }

    private static String frame(MessageFrame.Flag flag) {
        return "2 ppid " + Dcep.PPID_BINARY + " " + HexFormat.of().formatHex(MessageFrame.flag(flag).encode());
    }

    @Test
    void aFinThatArrivesAfterWeClosedTheChannelGetsNoFinAckOnTheResetStream() throws Exception {
        peer.start();
        settle();
        peer.send(2, Dcep.PPID_DCEP, Dcep.LIBP2P_OPEN.encode(), false);
        settle();
        MuxedStream stream = weft.acceptStream();

        stream.close(); // FIN, STOP_SENDING: weft reads no more
        settle();
        peer.send(2, Dcep.PPID_BINARY, MessageFrame.flag(MessageFrame.Flag.FIN_ACK).encode(), false);
        settle(); // both of weft's halves are done: it resets its outgoing stream 2
        assertEquals("2 reset by weft", peerSaw.get(peerSaw.size() - 1), peerSaw.toString());
        peer.send(2, Dcep.PPID_BINARY, MessageFrame.flag(MessageFrame.Flag.FIN).encode(), false); // js sends it late
        settle();

        List<String> afterReset = peerSaw.subList(peerSaw.indexOf("2 reset by weft") + 1, peerSaw.size());
        assertEquals(List.of(), afterReset.stream().filter(e -> e.startsWith("2 ppid")).toList(), peerSaw.toString());
        assertTrue(peerSaw.contains(frame(MessageFrame.Flag.FIN)), peerSaw.toString());
        assertTrue(peerSaw.contains(frame(MessageFrame.Flag.STOP_SENDING)), peerSaw.toString());
    }

    @Test
    void aResetAfterThePeerClosedTheChannelSendsNoResetStreamOnTheResetStream() throws Exception {
        peer.start();
        settle();
        peer.send(2, Dcep.PPID_DCEP, Dcep.LIBP2P_OPEN.encode(), false);
        settle();
        MuxedStream stream = weft.acceptStream();
        peer.send(2, Dcep.PPID_BINARY, MessageFrame.flag(MessageFrame.Flag.FIN).encode(), false);
        peer.resetStream(2); // the peer closes the channel after its FIN; weft answers with its own reset
        settle();
        assertTrue(peerSaw.contains("2 reset by weft"), peerSaw.toString());

        stream.reset(); // the application gives up on its write half: too late for a RESET_STREAM message
        settle();

        List<String> afterReset = peerSaw.subList(peerSaw.indexOf("2 reset by weft") + 1, peerSaw.size());
        assertEquals(List.of(), afterReset.stream().filter(e -> e.startsWith("2 ppid")).toList(), peerSaw.toString());
        assertTrue(peerSaw.contains(frame(MessageFrame.Flag.FIN_ACK)), peerSaw.toString());
    }
}
