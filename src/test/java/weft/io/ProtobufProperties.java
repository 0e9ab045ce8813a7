package weft.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ProtobufProperties {
    /** A field to write: a varint if {@code bytes} is null. */
    record Field(int number, long varint, byte[] bytes) {}

    @Provide
    Arbitrary<List<Field>> messages() {
        Arbitrary<Integer> numbers = Arbitraries.oneOf(Arbitraries.integers().between(1, 20),
                Arbitraries.integers().between(1, ProtobufReader.MAX_FIELD));
        Arbitrary<Field> varints = Combinators.combine(numbers, Arbitraries.longs())
                .as((n, v) -> new Field(n, v, null));
        Arbitrary<Field> bytes = Combinators.combine(numbers, Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as((n, b) -> new Field(n, 0, b));
        return Arbitraries.oneOf(varints, bytes).list().ofMaxSize(10);
    }

    @Property
    void whatTheWriterWritesTheReaderReadsBack(@ForAll("messages") List<Field> fields) {
        ProtobufWriter out = new ProtobufWriter();
        for (Field f : fields) {
            if (f.bytes() == null) {
                out.varint(f.number(), f.varint());
            } else {
                out.bytes(f.number(), f.bytes());
            }
        }
        byte[] message = out.toByteArray();
        assertEquals(message.length, out.size());
        ProtobufReader in = new ProtobufReader(message);
        for (Field f : fields) {
            assertTrue(in.next());
            assertEquals(f.number(), in.field());
            if (f.bytes() == null) {
                assertEquals(f.varint(), in.readVarint());
            } else {
                assertArrayEquals(f.bytes(), in.readBytes());
            }
        }
        assertFalse(in.next());
    }

    @Property
    void arbitraryBytesOnlyEverThrowProtobufException(@ForAll @Size(max = 64) byte[] bytes,
            @ForAll @IntRange(min = 0, max = 4) int how) {
        try {
            ProtobufReader in = new ProtobufReader(bytes);
            while (in.next()) {
                switch (how) {
                    case 0 -> in.skip();
                    case 1 -> in.readVarint();
                    case 2 -> in.readBytes();
                    case 3 -> in.readString();
                    default -> {
                        ProtobufReader inner = in.readMessage();
                        while (inner.next()) {
                            inner.skip();
                        }
                    }
                }
            }
        } catch (ProtobufException expected) {
            // the one typed failure
        }
    }
}
