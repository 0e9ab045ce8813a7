package weft.transport.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ClientHelloAssemblerProperties {
    @Property(tries = 300)
    void anySplitInAnyOrderMakesTheWholeHelloOnceTheLastByteArrives(
            @ForAll @IntRange(min = 1, max = 3000) int length, @ForAll @IntRange(min = 1, max = 8) int pieces,
            @ForAll long seed) {
        Random random = new Random(seed);
        byte[] body = new byte[length];
        random.nextBytes(body);
        List<int[]> ranges = new ArrayList<>(); // {offset, length}, covering the body, possibly overlapping
        int at = 0;
        for (int i = 0; i < pieces && at < length; i++) {
            int end = i == pieces - 1 ? length : Math.min(length, at + 1 + random.nextInt(Math.max(1, length / pieces)));
            int start = Math.max(0, at - random.nextInt(4));
            ranges.add(new int[] {start, end - start});
            at = end;
        }
        if (at < length) {
            ranges.add(new int[] {at, length - at});
        }
        Collections.shuffle(ranges, random);
        byte[] expected = ClientHelloAssemblerTest.fragment(5, 0, body, 0, length);
        ClientHelloAssembler assembler = new ClientHelloAssembler();
        BitSet covered = new BitSet(length);
        for (int[] range : ranges) {
            byte[] out = assembler.add(ClientHelloAssemblerTest.fragment(5, 0, body, range[0], range[1]));
            covered.set(range[0], range[0] + range[1]);
            if (covered.cardinality() == length) {
                assertArrayEquals(expected, out);
                return;
            }
            assertNull(out);
        }
        throw new AssertionError("the ranges did not cover the hello");
    }

    @Property(tries = 1000)
    void arbitraryDatagramsNeverThrow(@ForAll("datagrams") List<byte[]> datagrams) {
        ClientHelloAssembler assembler = new ClientHelloAssembler();
        for (byte[] datagram : datagrams) {
            assembler.add(datagram);
        }
    }

    /** Random bytes, and real fragments with random bytes changed (which get past the header checks). */
    @Provide
    Arbitrary<List<byte[]>> datagrams() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> mutated = Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            byte[] body = new byte[1 + r.nextInt(300)];
            int offset = r.nextInt(body.length);
            byte[] fragment = ClientHelloAssemblerTest.fragment(r.nextInt(4), r.nextInt(3), body, offset,
                    r.nextInt(body.length - offset + 1));
            for (int i = 0; i < 3; i++) {
                fragment[r.nextInt(fragment.length)] = (byte) r.nextInt(256);
            }
            return fragment;
        });
        return Arbitraries.oneOf(random, mutated).list().ofMaxSize(8);
    }
}
