package weft.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import weft.multiformats.Multiaddr;

/** Frames round-trip through the codec and a connection; arbitrary bytes never crash the reader. */
class FrameProperties {
    private static final Multiaddr NOWHERE = Multiaddr.parse("/ip4/127.0.0.1/tcp/1/ws");

    @Provide
    Arbitrary<Integer> opcodes() {
        return Arbitraries.of(Frame.CONTINUATION, Frame.TEXT, Frame.BINARY, Frame.CLOSE, Frame.PING, Frame.PONG);
    }

    @Property
    void headersRoundTrip(@ForAll boolean fin, @ForAll("opcodes") int opcode, @ForAll boolean masked,
            @ForAll int maskKey, @ForAll @IntRange(min = 0, max = 1 << 20) int length) throws IOException {
        boolean control = (opcode & 0x8) != 0;
        if (control) {
            fin = true;
            length = length % (Frame.MAX_CONTROL_PAYLOAD + 1);
        }
        byte[] header = new byte[Frame.MAX_HEADER_BYTES];
        int n = Frame.writeHeader(header, 0, fin, opcode, masked, maskKey, length);
        Frame frame = Frame.read(new ByteArrayInputStream(header, 0, n), masked, 1 << 20);
        assertEquals(new Frame(fin, opcode, masked, masked ? maskKey : 0, length), frame);
    }

    @Property
    void maskingTwiceGivesTheDataBackWhereverItStarts(@ForAll @Size(max = 300) byte[] data, @ForAll int maskKey,
            @ForAll @IntRange(min = 0, max = 1 << 20) int position) {
        byte[] copy = data.clone();
        Frame.mask(copy, 0, copy.length, maskKey, position);
        Frame.mask(copy, 0, copy.length, maskKey, position);
        assertArrayEquals(data, copy);
    }

    /** What a client writes in any split into writes, a server reads back as the same bytes. */
    @Property(tries = 100)
    void writesRoundTripThroughAClientAndAServerConnection(@ForAll @Size(max = 4) List<@Size(max = 150_000) byte[]> writes)
            throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        WebSocketConnection client = new WebSocketConnection(new Socket(), new ByteArrayInputStream(new byte[0]), wire,
                true, 1 << 20, NOWHERE, NOWHERE);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] w : writes) {
            client.output().write(w);
            expected.write(w);
        }
        WebSocketConnection server = new WebSocketConnection(new Socket(), new ByteArrayInputStream(wire.toByteArray()),
                new ByteArrayOutputStream(), false, 1 << 20, NOWHERE, NOWHERE);
        assertArrayEquals(expected.toByteArray(), server.input().readAllBytes());
    }

    /** "Arbitrary bytes never crash": the reader throws only IOExceptions (typed protocol errors, EOF). */
    @Property(tries = 2000)
    void arbitraryBytesIntoTheFrameReaderFailOnlyWithTypedExceptions(@ForAll @Size(max = 400) byte[] wire,
            @ForAll boolean fromClient) {
        WebSocketConnection reader = new WebSocketConnection(new Socket(), new ByteArrayInputStream(wire),
                new ByteArrayOutputStream(), !fromClient, 64, NOWHERE, NOWHERE);
        try {
            reader.input().readAllBytes();
        } catch (WebSocketProtocolException | EOFException expected) {
            // typed: the peer broke a rule, or the bytes ran out mid-frame
        } catch (IOException e) {
            throw new AssertionError("untyped failure: " + e, e);
        }
    }

    /** Valid frames with any payload, fragmented anyhow, read back as the concatenated payloads. */
    @Property(tries = 200)
    void fragmentedMessagesWithPingsBetweenReadAsOneStream(@ForAll @Size(min = 1, max = 6) List<@Size(max = 3000) byte[]> fragments,
            @ForAll int maskKey) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < fragments.size(); i++) {
            byte[] payload = fragments.get(i).clone();
            expected.write(payload);
            writeFrame(wire, i == fragments.size() - 1, i == 0 ? Frame.BINARY : Frame.CONTINUATION, maskKey, payload);
            writeFrame(wire, true, Frame.PING, maskKey, Arrays.copyOf(payload, Math.min(payload.length, 125)));
        }
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        WebSocketConnection server = new WebSocketConnection(new Socket(), new ByteArrayInputStream(wire.toByteArray()),
                replies, false, 1 << 20, NOWHERE, NOWHERE);
        assertArrayEquals(expected.toByteArray(), server.input().readAllBytes());
    }

    private static void writeFrame(ByteArrayOutputStream wire, boolean fin, int opcode, int maskKey, byte[] payload) {
        byte[] header = new byte[Frame.MAX_HEADER_BYTES];
        wire.write(header, 0, Frame.writeHeader(header, 0, fin, opcode, true, maskKey, payload.length));
        Frame.mask(payload, 0, payload.length, maskKey, 0);
        wire.writeBytes(payload);
    }
}
