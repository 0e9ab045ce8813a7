package weft.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class LengthPrefixedProperties {
    @Property(tries = 200)
    void messagesWrittenBackToBackReadBackInOrder(@ForAll @Size(max = 5) List<@Size(max = 300) byte[]> messages)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            LengthPrefixed.write(out, m);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        for (byte[] m : messages) {
            assertArrayEquals(m, LengthPrefixed.read(in, 300));
        }
        assertNull(LengthPrefixed.read(in, 300));
    }

    @Property(tries = 500)
    void arbitraryBytesReadOrThrowIoExceptions(@ForAll @Size(max = 20) byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        try {
            while (LengthPrefixed.read(in, 8) != null) {
                // keep reading until the end or an error
            }
        } catch (IOException expected) {
            // ProtocolViolationException or EOFException: the only failures allowed
        }
    }
}
