package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class UnsignedVarintProperties {
    @Property(tries = 500)
    void encodeThenDecodeGivesTheValueBack(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long value)
            throws IOException {
        byte[] bytes = UnsignedVarint.encode(value);
        assertEquals(bytes.length, UnsignedVarint.size(value));
        assertEquals(value, UnsignedVarint.decode(bytes));
        assertEquals(value, UnsignedVarint.read(new ByteArrayInputStream(bytes)));
    }

    @Property(tries = 500)
    void arbitraryBytesDecodeOrThrowTheTypedException(@ForAll @Size(max = 12) byte[] bytes) {
        try {
            long value = UnsignedVarint.decode(bytes);
            assertEquals(bytes.length, UnsignedVarint.size(value)); // accepted means minimal
        } catch (MultiformatException expected) {
            // the only exception allowed
        }
    }

    @Property(tries = 500)
    void arbitraryStreamsReadOrThrowTypedExceptions(@ForAll @Size(max = 12) byte[] bytes) throws IOException {
        try {
            UnsignedVarint.read(new ByteArrayInputStream(bytes));
        } catch (MultiformatException | java.io.EOFException expected) {
            // a malformed varint, or the stream ended inside one
        }
    }
}
