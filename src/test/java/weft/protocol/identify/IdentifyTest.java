package weft.protocol.identify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.ProtocolViolationException;
import weft.io.LengthPrefixed;
import weft.io.ProtobufWriter;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.testing.Background;
import weft.testing.StreamPair;

class IdentifyTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ED25519_KEY =
            HEX.parseHex("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");

    private final StreamPair pair = StreamPair.create();
    private final MuxedStream asker = pair.left();
    private final MuxedStream answerer = pair.right();

    private static IdentifyMessage sample() {
        return new IdentifyMessage("ipfs/0.1.0", "weft/0.1.0", null,
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")), Multiaddr.parse("/ip4/1.2.3.4/tcp/5"),
                List.of("/a"), null);
    }

    @Test
    void encodesFieldsInNumberOrderWithBinaryMultiaddrs() throws Exception {
        String expected = ""
                + "12" + "08" + "047f000001060fa1"            // 2 listenAddrs: /ip4/127.0.0.1/tcp/4001
                + "1a" + "02" + "2f61"                        // 3 protocols: "/a"
                + "22" + "08" + "0401020304060005"            // 4 observedAddr: /ip4/1.2.3.4/tcp/5
                + "2a" + "0a" + "697066732f302e312e30"        // 5 protocolVersion: "ipfs/0.1.0"
                + "32" + "0a" + "776566742f302e312e30";       // 6 agentVersion: "weft/0.1.0"
        assertEquals(expected, HEX.formatHex(sample().encode()));
        assertEquals(sample(), IdentifyMessage.decode(HEX.parseHex(expected)));
    }

    @Test
    void aMessageWrittenByTheAnswererIsReadByTheAsker() throws Exception {
        IdentifyMessage full = new IdentifyMessage("ipfs/0.1.0", "weft/0.1.0", ED25519_KEY,
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/4001")),
                Multiaddr.parse("/ip4/127.0.0.1/tcp/53000"),
                List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"), new byte[] {1, 2, 3});
        Background<Void> answering = Background.start(() -> {
            Identify.write(answerer, full);
            return null;
        });
        assertEquals(full, Identify.read(asker));
        answering.join();
    }

    @Test
    void severalMessagesAreMergedLaterFieldsWinListsAppend() throws Exception {
        IdentifyMessage first = new IdentifyMessage("ipfs/0.1.0", "old-agent", ED25519_KEY,
                List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1")), null, List.of("/a"), null);
        IdentifyMessage second = new IdentifyMessage(null, "new-agent", null,
                List.of(Multiaddr.parse("/ip4/10.0.0.2/tcp/2")), null, List.of("/b"), new byte[] {9});
        send(first.encode(), second.encode());
        IdentifyMessage merged = Identify.read(asker);
        assertEquals("ipfs/0.1.0", merged.protocolVersion());
        assertEquals("new-agent", merged.agentVersion());
        assertArrayEquals(ED25519_KEY, merged.publicKey());
        assertEquals(List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1"), Multiaddr.parse("/ip4/10.0.0.2/tcp/2")),
                merged.listenAddrs());
        assertEquals(List.of("/a", "/b"), merged.protocols());
        assertArrayEquals(new byte[] {9}, merged.signedPeerRecord());
    }

    @Test
    void tenMessagesAreAcceptedAndAnEleventhIsAProtocolViolation() throws Exception {
        byte[][] ten = new byte[10][];
        for (int i = 0; i < 10; i++) {
            ten[i] = new IdentifyMessage(null, null, null, List.of(), null, List.of("/p" + i), null).encode();
        }
        send(ten);
        assertEquals(10, Identify.read(asker).protocols().size());

        StreamPair another = StreamPair.create();
        byte[][] eleven = new byte[11][];
        for (int i = 0; i < 11; i++) {
            eleven[i] = ten[0];
        }
        send(another.right(), eleven);
        ProtocolViolationException e =
                assertThrows(ProtocolViolationException.class, () -> Identify.read(another.left()));
        assertEquals("identify: more than 10 messages", e.getMessage());
    }

    @Test
    void aMessageOf8KiBIsAcceptedAndOneByteMoreIsNot() throws Exception {
        send(paddedMessage(8 * 1024));
        assertEquals(1, Identify.read(asker).protocols().size());

        StreamPair another = StreamPair.create();
        send(another.right(), paddedMessage(8 * 1024 + 1));
        ProtocolViolationException e =
                assertThrows(ProtocolViolationException.class, () -> Identify.read(another.left()));
        assertEquals("length-prefixed: message too long (8193 > 8192 bytes)", e.getMessage());
    }

    @Test
    void noMessageAtAllReadsAsAnEmptyMessage() throws Exception {
        answerer.closeWrite();
        assertEquals(IdentifyMessage.EMPTY, Identify.read(asker));
    }

    @Test
    void aStreamEndingInsideAMessageIsAnEofException() throws Exception {
        answerer.write(new byte[] {10, 1, 2}, 0, 3);
        answerer.closeWrite();
        assertThrows(EOFException.class, () -> Identify.read(asker));
    }

    @Test
    void invalidListenAndObservedAddressesAreSkippedNotFatal() throws Exception {
        byte[] bytes = new ProtobufWriter()
                .bytes(2, new byte[] {(byte) 0xff, 0x7f})                         // not a multiaddr
                .bytes(2, Multiaddr.parse("/ip4/127.0.0.1/tcp/1").toBytes())
                .bytes(4, new byte[] {4, 1})                                      // truncated ip4
                .string(6, "agent")
                .toByteArray();
        IdentifyMessage m = IdentifyMessage.decode(bytes);
        assertEquals(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")), m.listenAddrs());
        assertNull(m.observedAddr());
        assertEquals("agent", m.agentVersion());
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        byte[] bytes = new ProtobufWriter().varint(7, 300).bytes(99, new byte[5]).string(5, "ipfs/0.1.0").toByteArray();
        assertEquals("ipfs/0.1.0", IdentifyMessage.decode(bytes).protocolVersion());
    }

    @Test
    void aFieldWithTheWrongWireTypeIsAProtocolViolation() throws Exception {
        byte[] bytes = new ProtobufWriter().varint(5, 1).toByteArray();
        ProtocolViolationException e =
                assertThrows(ProtocolViolationException.class, () -> IdentifyMessage.decode(bytes));
        assertTrue(e.getMessage().startsWith("identify: malformed message (2 bytes): "), e.getMessage());
    }

    @Test
    void ourMessageIsTrimmedTo4KiBByDroppingTheLastListenAddresses() throws Exception {
        List<Multiaddr> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(Multiaddr.parse("/ip4/10.0." + (i / 250) + "." + (i % 250) + "/tcp/4001"));
        }
        List<byte[]> frames = Identify.frames(sample().withListenAddrs(many));
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).length <= Identify.MAX_OWN_MESSAGE_SIZE, frames.get(0).length + " bytes");
        IdentifyMessage sent = IdentifyMessage.decode(frames.get(0));
        assertEquals(many.subList(0, sent.listenAddrs().size()), sent.listenAddrs());
        assertTrue(sent.listenAddrs().size() > 300, "kept as many as fit");
    }

    @Test
    void aLargeSignedPeerRecordTravelsInASecondMessageAndIsMergedBack() throws Exception {
        IdentifyMessage withRecord = sample().withSignedPeerRecord(new byte[3000]);
        List<byte[]> frames = Identify.frames(withRecord);
        assertEquals(2, frames.size());
        assertEquals(sample(), IdentifyMessage.decode(frames.get(0)));
        assertEquals(IdentifyMessage.EMPTY.withSignedPeerRecord(new byte[3000]), IdentifyMessage.decode(frames.get(1)));
        Background<Void> answering = Background.start(() -> {
            Identify.write(answerer, withRecord);
            return null;
        });
        assertEquals(withRecord, Identify.read(asker));
        answering.join();
    }

    @Test
    void aSmallSignedPeerRecordStaysInTheOneMessage() throws Exception {
        assertEquals(1, Identify.frames(sample().withSignedPeerRecord(new byte[100])).size());
    }

    private static byte[] paddedMessage(int size) {
        // field 3 (protocols) with a string long enough that the whole message is `size` bytes
        int payload = size - 1 - 2; // tag + 2-byte length
        return new ProtobufWriter().string(3, "x".repeat(payload)).toByteArray();
    }

    private void send(byte[]... frames) throws Exception {
        send(answerer, frames);
    }

    private static void send(MuxedStream stream, byte[]... frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            LengthPrefixed.write(out, frame);
        }
        stream.write(out.toByteArray(), 0, out.size());
        stream.closeWrite();
    }
}
