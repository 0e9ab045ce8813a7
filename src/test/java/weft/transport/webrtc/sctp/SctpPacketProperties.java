package weft.transport.webrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SctpPacketProperties {
    @Property(tries = 500)
    void everyChunkRoundTripsByteForByte(@ForAll("chunks") List<Chunk> chunks, @ForAll int tag) throws Exception {
        byte[] bytes = new SctpPacket(5000, 5000, tag, chunks).encode();
        SctpPacket back = SctpPacket.decode(bytes, bytes.length);
        assertArrayEquals(bytes, back.encode());
    }

    @Property(tries = 1000)
    void arbitraryBytesDecodeOrThrowOnlySctpException(@ForAll("packets") byte[] bytes) {
        try {
            SctpPacket.decode(bytes, bytes.length);
        } catch (SctpException expected) {
            // the only exception allowed
        }
    }

    @Provide
    Arbitrary<List<Chunk>> chunks() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<Chunk.Param> param = Combinators.combine(Arbitraries.integers().between(0, 0xffff), bytes)
                .as(Chunk.Param::new);
        Arbitrary<Chunk> data = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.integers(), Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 65535), Arbitraries.integers(), bytes).as(Chunk.Data::new);
        Arbitrary<Chunk> init = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers(),
                Arbitraries.integers(), Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 65535), Arbitraries.integers(), param.list().ofMaxSize(4))
                .as(Chunk.Init::new);
        Arbitrary<Chunk.GapBlock> gap = Combinators.combine(Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 65535)).as(Chunk.GapBlock::new);
        Arbitrary<Chunk> sack = Combinators.combine(Arbitraries.integers(), Arbitraries.integers(),
                gap.list().ofMaxSize(5), Arbitraries.integers().list().ofMaxSize(3)).as(Chunk.Sack::new);
        Arbitrary<Chunk> heartbeat = Combinators.combine(Arbitraries.of(true, false), bytes).as(Chunk.Heartbeat::new);
        Arbitrary<Chunk> simple = Combinators.combine(Arbitraries.of(Chunk.ABORT, Chunk.ERROR, Chunk.SHUTDOWN_ACK,
                Chunk.SHUTDOWN_COMPLETE, Chunk.COOKIE_ECHO, Chunk.COOKIE_ACK), Arbitraries.of(true, false), bytes)
                .as(Chunk.Simple::new);
        Arbitrary<Chunk> shutdown = Arbitraries.integers().map(Chunk.Shutdown::new);
        Arbitrary<Chunk> reconfig = param.list().ofMinSize(1).ofMaxSize(2).map(Chunk.ReConfig::new);
        Arbitrary<Chunk> unknown = Combinators.combine(Arbitraries.of(12, 13, 63, 64, 127, 128, 192, 255),
                Arbitraries.integers().between(0, 255), bytes).as(Chunk.Unknown::new);
        return Arbitraries.oneOf(data, init, sack, heartbeat, simple, shutdown, reconfig, unknown).list().ofMaxSize(4);
    }

    /** Random bytes resealed with a valid CRC32c most of the time, so the chunk decoders see them. */
    @Provide
    Arbitrary<byte[]> packets() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(120),
                Arbitraries.integers().between(0, 9)).as((bytes, coin) -> {
                    if (bytes.length >= 12 && coin > 0) {
                        return SctpPacketTest.reseal(bytes);
                    }
                    return bytes;
                });
    }
}
