package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class MultihashProperties {
    @Property(tries = 300)
    void identityAndSha256RoundTrip(@ForAll @Size(max = 100) byte[] data) {
        for (Multihash mh : new Multihash[] {Multihash.identity(data), Multihash.sha256(data)}) {
            Multihash decoded = Multihash.decode(mh.encode());
            assertEquals(mh, decoded);
            assertEquals(mh.hashCode(), decoded.hashCode());
            assertArrayEquals(mh.encode(), decoded.encode());
        }
    }

    @Property(tries = 500)
    void arbitraryBytesDecodeOrThrowTheTypedException(@ForAll @Size(max = 40) byte[] bytes) {
        try {
            assertArrayEquals(bytes, Multihash.decode(bytes).encode());
        } catch (MultiformatException expected) {
            // the only exception allowed
        }
    }
}
