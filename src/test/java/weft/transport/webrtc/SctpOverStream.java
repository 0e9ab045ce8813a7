package weft.transport.webrtc;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import weft.io.DuplexStream;
import weft.io.Scheduler;
import weft.mux.MuxedConnection;
import weft.mux.StreamMuxer;
import weft.transport.webrtc.sctp.Association;

/**
 * Data channels as a {@link StreamMuxer} for tests: SCTP packets, each prefixed with a two-byte length, over any
 * byte stream (the conformance suite's memory pipe) instead of DTLS over UDP. The dialer plays the DTLS client.
 * Packets leave through a queue and a writer thread, so the association never blocks on the pipe.
 */
final class SctpOverStream implements StreamMuxer {
    private final DataChannelConfig config;
    private final Association.Config sctp;

    /** The defaults (the unread-stream case of the conformance suite may wait out the 5 s slow-reader timeout). */
    SctpOverStream() {
        this(DataChannelConfig.defaults(), Association.Config.defaults());
    }

    SctpOverStream(DataChannelConfig config, Association.Config sctp) {
        this.config = config;
        this.sctp = sctp;
    }

    @Override
    public String protocolId() {
        return "/test/sctp-over-stream";
    }

    @Override
    public MuxedConnection start(DuplexStream channel, boolean dialer) throws IOException {
        DataChannelConnection connection = new DataChannelConnection(dialer, config);
        LinkedBlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>();
        Association.Handler handler = new Association.Handler() {
            @Override
            public void onEstablished() {
                connection.onEstablished();
            }

            @Override
            public void onMessage(int streamId, int ppid, byte[] payload) {
                connection.onMessage(streamId, ppid, payload);
            }

            @Override
            public void onIncomingStreamReset(int streamId) {
                connection.onIncomingStreamReset(streamId);
            }

            @Override
            public void onOutgoingStreamReset(int streamId) {
                connection.onOutgoingStreamReset(streamId);
            }

            @Override
            public void onClosed(IOException cause) {
                connection.onClosed(cause);
                outbound.add(new byte[0]); // tells the writer to close the pipe once the last packets are out
            }
        };
        Association association = dialer
                ? Association.client(sctp, Scheduler.system(), outbound::add, handler)
                : Association.server(sctp, Scheduler.system(), outbound::add, handler);
        connection.attach(association);
        Thread.ofVirtual().name("test-sctp-writer").start(() -> {
            try (DataOutputStream out = new DataOutputStream(channel.output())) {
                while (true) {
                    byte[] packet = outbound.take();
                    if (packet.length == 0) {
                        break;
                    }
                    out.writeShort(packet.length);
                    out.write(packet);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the pipe ended
            } finally {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        });
        Thread.ofVirtual().name("test-sctp-reader").start(() -> {
            try {
                DataInputStream in = new DataInputStream(channel.input());
                while (true) {
                    byte[] packet = new byte[in.readUnsignedShort()];
                    in.readFully(packet);
                    association.receive(packet, packet.length);
                }
            } catch (IOException e) {
                association.abort(e);
            }
        });
        if (dialer) {
            association.start();
        }
        return connection;
    }
}
