package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import weft.crypto.PrivateKey;
import weft.security.HandshakeException;

class NoiseProperties {
    private static final PrivateKey IDENTITY = PrivateKey.generate();
    private static final PrivateKey RESPONDER = PrivateKey.generate();

    @Provide
    Arbitrary<List<Integer>> writeSizes() {
        return Arbitraries.oneOf(
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.integers().between(65500, 65540),
                        Arbitraries.integers().between(0, 300_000))
                .list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Integer>> readSizes() {
        return Arbitraries.integers().between(1, 140_000).list().ofMinSize(1).ofMaxSize(8);
    }

    /** Whatever the sizes of the writes and of the reader's buffers, the bytes arrive exactly. */
    @Property(tries = 200)
    void arbitraryWritesAndReadChunkingsRoundTripByteExact(@ForAll("writeSizes") List<Integer> writes,
            @ForAll("readSizes") List<Integer> reads, @ForAll("pipeCapacities") int pipeCapacity) throws Exception {
        NoiseConnection[] pair = NoiseConnectionTest.pair(pipeCapacity);
        int total = writes.stream().mapToInt(Integer::intValue).sum();
        byte[] data = new byte[total];
        new java.util.Random(total).nextBytes(data);

        CompletableFuture<Void> writer = NoisePeers.inBackground(() -> {
            int off = 0;
            for (int size : writes) {
                pair[0].write(data, off, size);
                off += size;
            }
            pair[0].output().close(); // sends what a last small write left held

            return null;
        });
        ByteArrayOutputStream received = new ByteArrayOutputStream(total);
        for (int i = 0; ; i++) {
            byte[] buffer = new byte[reads.get(i % reads.size())];
            int n = pair[1].read(buffer, 0, buffer.length);
            if (n < 0) {
                break;
            }
            received.write(buffer, 0, n);
        }
        NoisePeers.await(writer);
        assertEquals(total, received.size());
        assertArrayEquals(data, received.toByteArray());
    }

    @Provide
    Arbitrary<Integer> pipeCapacities() {
        return Arbitraries.of(1000, 65537, 1 << 20);
    }

    /** Arbitrary bytes from an initiator never crash the responder: it throws a {@link HandshakeException}. */
    @Property(tries = 300)
    void arbitraryBytesFedToTheResponderOnlyEverFailTheHandshake(@ForAll @Size(max = 400) byte[] input) {
        Exception e = assertThrows(Exception.class,
                () -> new NoiseSecureChannel(IDENTITY).secureInbound(NoisePeers.scripted(input)));
        assertInstanceOf(HandshakeException.class, e);
    }

    /** The same with a well-framed message 1 first, so that the garbage reaches the message 3 parser. */
    @Property(tries = 300)
    void arbitraryBytesAfterAValidMessageOneOnlyEverFailTheResponder(@ForAll @Size(max = 400) byte[] rest)
            throws IOException {
        HandshakeState initiator = new HandshakeState(true, new byte[0], HandshakeState.generatePrivateKey());
        byte[] first = NoisePeers.framed(initiator.writeMessage(new byte[0]));
        byte[] input = concat(first, rest);
        Exception e = assertThrows(Exception.class,
                () -> new NoiseSecureChannel(IDENTITY).secureInbound(NoisePeers.scripted(input)));
        assertInstanceOf(HandshakeException.class, e);
    }

    /** Arbitrary bytes as message 2 never crash the initiator. */
    @Property(tries = 300)
    void arbitraryBytesFedToTheInitiatorOnlyEverFailTheHandshake(@ForAll @Size(max = 400) byte[] input,
            @ForAll boolean framed) {
        byte[] wire = framed ? NoisePeers.framed(input) : input;
        Exception e = assertThrows(Exception.class,
                () -> new NoiseSecureChannel(IDENTITY).secureOutbound(NoisePeers.scripted(wire), null));
        assertInstanceOf(HandshakeException.class, e);
    }

    /** Arbitrary payload bytes never crash the payload decoder: a payload or a {@link HandshakeException}. */
    @Property
    void arbitraryPayloadBytesDecodeOrThrowHandshakeException(@ForAll @Size(max = 200) byte[] payload) {
        try {
            HandshakePayload.decode(payload);
        } catch (HandshakeException expected) {
            // typed: fine
        }
    }

    /** Encoding then decoding a payload gives it back. */
    @Property
    void payloadsRoundTrip(@ForAll @Size(max = 80) byte[] key, @ForAll @Size(max = 80) byte[] signature,
            @ForAll @Size(max = 4) List<@AlphaChars @StringLength(max = 30) String> muxers) throws HandshakeException {
        HandshakePayload decoded =
                HandshakePayload.decode(new HandshakePayload(key, signature, List.of(), muxers).encode());
        assertArrayEquals(key, decoded.identityKey());
        assertArrayEquals(signature, decoded.identitySignature());
        assertEquals(muxers, decoded.muxers());
    }

    @Provide
    Arbitrary<List<String>> muxerLists() {
        return Arbitraries.of("/yamux/1.0.0", "/mplex/6.7.0", "/a", "/b").list().uniqueElements().ofMaxSize(4);
    }

    /** Both sides derive the same early muxer: the first of the initiator's list the responder has, else none. */
    @Property(tries = 60)
    void bothSidesAgreeOnTheEarlyMuxer(@ForAll("muxerLists") List<String> initiatorMuxers,
            @ForAll("muxerLists") List<String> responderMuxers) throws Exception {
        var pair = NoisePeers.handshake(new NoiseSecureChannel(IDENTITY).withMuxers(initiatorMuxers),
                new NoiseSecureChannel(RESPONDER).withMuxers(responderMuxers), RESPONDER.peerId());
        var expected = initiatorMuxers.stream().filter(responderMuxers::contains).findFirst();
        assertEquals(expected, pair.initiator().negotiatedMuxer());
        assertEquals(expected, pair.responder().negotiatedMuxer());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
