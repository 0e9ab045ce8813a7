package weft.multistream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class MultistreamProperties {
    @Property(tries = 300)
    void messagesRoundTrip(@ForAll("protocolIds") String id) throws IOException {
        byte[] bytes = MessageCodec.encode(id);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        assertEquals(id, MessageCodec.read(in));
        assertEquals(-1, in.read());
    }

    @Property(tries = 200)
    void lsListsRoundTrip(@ForAll @Size(max = 10) List<@From("protocolIds") String> ids) throws IOException {
        byte[] bytes = MessageCodec.encodeList(ids);
        byte[] body = MessageCodec.readBytes(new ByteArrayInputStream(bytes), MessageCodec.MAX_LIST_LENGTH);
        assertEquals(ids, MessageCodec.decodeList(body));
    }

    @Property(tries = 500)
    void listenerFedArbitraryBytesOnlyThrowsIoExceptions(@ForAll("peerBytes") byte[] bytes) {
        try {
            MultistreamSelect.handle(new ScriptedStream(bytes), Set.of("/noise", "/yamux/1.0.0"));
        } catch (IOException expected) {
            // ProtocolViolationException or EOFException: the only outcomes besides success
        }
    }

    @Property(tries = 500)
    void dialerFedArbitraryBytesOnlyThrowsIoExceptions(@ForAll("peerBytes") byte[] bytes) {
        try {
            MultistreamSelect.select(new ScriptedStream(bytes), List.of("/noise", "/tls/1.0.0"));
        } catch (IOException expected) {
            // ProtocolViolationException, ProtocolNotSupportedException or EOFException
        }
        try {
            MultistreamSelect.list(new ScriptedStream(bytes));
        } catch (IOException expected) {
            // same
        }
    }

    @Property(tries = 500)
    void lazyDialerFedArbitraryBytesOnlyThrowsIoExceptions(@ForAll("peerBytes") byte[] bytes) {
        try {
            MultistreamSelect.selectLazily(new ScriptedStream(bytes), "/noise").input().readAllBytes();
        } catch (IOException expected) {
            // same
        }
    }

    @Property(tries = 300)
    void lsBodiesDecodeOrThrowProtocolViolation(@ForAll @Size(max = 30) byte[] body) {
        try {
            MessageCodec.decodeList(body);
        } catch (weft.ProtocolViolationException expected) {
            // the only exception allowed
        }
    }

    /** The dialer ends up with the first of its proposals the listener supports, and both agree. */
    @Property(tries = 40)
    void dialerGetsItsFirstProposalTheListenerSupports(
            @ForAll @Size(min = 1, max = 4) List<@From("fewIds") String> proposals,
            @ForAll @Size(max = 3) Set<@From("fewIds") String> supported)
            throws Exception {
        String expected = proposals.stream().filter(supported::contains).findFirst().orElse(null);
        PipedDuplex[] ends = PipedDuplex.pair();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> listener = threads.submit(() -> MultistreamSelect.handle(ends[1], supported));
            try {
                assertEquals(expected, MultistreamSelect.select(ends[0], proposals));
                assertEquals(expected, listener.get());
            } catch (ProtocolNotSupportedException e) {
                assertEquals(null, expected);
                assertEquals(proposals, e.offered());
                ends[0].close();
                try {
                    listener.get();
                } catch (ExecutionException listenerFailed) {
                    assertTrue(listenerFailed.getCause() instanceof IOException);
                }
            } finally {
                ends[0].close();
                ends[1].close();
            }
        }
    }

    @Provide
    Arbitrary<String> protocolIds() {
        // UTF-16 without lone surrogates, and short enough that the UTF-8 message fits in 1024 bytes.
        return Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(300)
                .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= 1023);
    }

    @Provide
    Arbitrary<String> fewIds() {
        return Arbitraries.of("/noise", "/tls/1.0.0", "/yamux/1.0.0", "/mplex/6.7.0", "/ipfs/ping/1.0.0");
    }

    /** What a peer might send: valid messages, headers, garbage and truncations, in any order. */
    @Provide
    Arbitrary<byte[]> peerBytes() {
        Arbitrary<byte[]> piece = Arbitraries.oneOf(
                Arbitraries.of("/multistream/1.0.0", "/noise", "/tls/1.0.0", "/yamux/1.0.0", "na", "ls", "")
                        .map(MessageCodec::encode),
                Arbitraries.just(MessageCodec.encodeList(List.of("/noise", "/tls/1.0.0"))),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8),
                Arbitraries.of(new byte[] {(byte) 0x81, 0x08}, new byte[] {(byte) 0xff, (byte) 0xff},
                        new byte[] {0x05, 0x2f}));
        return piece.list().ofMaxSize(5).map(pieces -> {
            List<Byte> all = new ArrayList<>();
            for (byte[] p : pieces) {
                for (byte b : p) {
                    all.add(b);
                }
            }
            byte[] out = new byte[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        });
    }
}
