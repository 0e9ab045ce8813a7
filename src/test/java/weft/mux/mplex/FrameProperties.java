package weft.mux.mplex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import weft.testing.ScriptedMplexPeer;

/** The frame codec: what {@code Frame} encodes, {@code FrameReader} decodes to the same fields, in order. */
class FrameProperties {
    private static final HexFormat HEX = HexFormat.of();

    /** A decoded frame as the handler saw it: the flag is rebuilt from the handler method and its role. */
    record Seen(long id, int flag, String dataHex) {}

    static List<Seen> decodeAll(byte[] bytes) throws IOException {
        List<Seen> seen = new ArrayList<>();
        FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes), Frame.SPEC_MAX_PAYLOAD);
        FrameReader.Handler handler = new FrameReader.Handler() {
            @Override
            public void newStream(long id, int length, InputStream payload) throws IOException {
                seen.add(new Seen(id, Frame.NEW_STREAM, HEX.formatHex(FrameReader.readPayload(payload, id, length))));
            }

            @Override
            public void message(long id, boolean peerOpened, int length, InputStream payload) throws IOException {
                seen.add(new Seen(id, peerOpened ? Frame.MESSAGE_INITIATOR : Frame.MESSAGE_RECEIVER,
                        HEX.formatHex(FrameReader.readPayload(payload, id, length))));
            }

            @Override
            public void close(long id, boolean peerOpened) {
                seen.add(new Seen(id, peerOpened ? Frame.CLOSE_INITIATOR : Frame.CLOSE_RECEIVER, ""));
            }

            @Override
            public void reset(long id, boolean peerOpened) {
                seen.add(new Seen(id, peerOpened ? Frame.RESET_INITIATOR : Frame.RESET_RECEIVER, ""));
            }
        };
        while (reader.nextFrame(handler)) {
            // collected by the handler
        }
        return seen;
    }

    static boolean carriesData(int flag) {
        return flag <= Frame.MESSAGE_INITIATOR;
    }

    @Property
    void oneFrameRoundTrips(@ForAll @LongRange(min = 0, max = Frame.MAX_STREAM_ID) long id,
            @ForAll @IntRange(min = 0, max = 6) int flag, @ForAll @Size(max = 300) byte[] data) throws IOException {
        byte[] payload = carriesData(flag) ? data : new byte[0];
        byte[] frame = Frame.encode(id, flag, payload, 0, payload.length);
        assertEquals(List.of(new Seen(id, flag, HEX.formatHex(payload))), decodeAll(frame));
    }

    @Property
    void theEncoderWritesWhatTheSpecSays(@ForAll @LongRange(min = 0, max = Frame.MAX_STREAM_ID) long id,
            @ForAll @IntRange(min = 0, max = 6) int flag, @ForAll @Size(max = 300) byte[] data) {
        // ScriptedMplexPeer encodes from the spec on its own: uvarint(id << 3 | flag), uvarint(length), data
        assertArrayEquals(ScriptedMplexPeer.frame(id, flag, data), Frame.encode(id, flag, data, 0, data.length));
    }

    @Provide
    Arbitrary<List<Seen>> frameLists() {
        Arbitrary<Seen> frame = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.longs().between(0, 20),
                        Arbitraries.longs().between(0, Frame.MAX_STREAM_ID)),
                Arbitraries.integers().between(0, 6),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200)).as((id, flag, data) ->
                        new Seen(id, flag, carriesData(flag) ? HEX.formatHex(data) : ""));
        return frame.list().ofMaxSize(20);
    }

    @Property
    void framesBackToBackDecodeInOrder(@ForAll("frameLists") List<Seen> frames) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (Seen f : frames) {
            byte[] data = HEX.parseHex(f.dataHex());
            wire.writeBytes(Frame.encode(f.id(), f.flag(), data, 0, data.length));
        }
        assertEquals(frames, decodeAll(wire.toByteArray()));
    }

    @Property
    void theTraceLineDescribesTheEncodedFrame(@ForAll @LongRange(min = 0, max = Frame.MAX_STREAM_ID) long id,
            @ForAll @IntRange(min = 0, max = 6) int flag, @ForAll @Size(max = 300) byte[] data) {
        String[] names = {"NEW_STREAM", "MESSAGE_RECEIVER", "MESSAGE_INITIATOR", "CLOSE_RECEIVER", "CLOSE_INITIATOR",
            "RESET_RECEIVER", "RESET_INITIATOR"};
        assertEquals(names[flag] + " stream=" + id + " length=" + data.length,
                Frame.describe(Frame.encode(id, flag, data, 0, data.length)));
    }
}
