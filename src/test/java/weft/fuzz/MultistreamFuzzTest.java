package weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import weft.ProtocolViolationException;
import weft.io.DuplexStream;
import weft.multiformats.UnsignedVarint;
import weft.multistream.MultistreamSelect;
import weft.multistream.ProtocolNotSupportedException;

/**
 * multistream-select fed whatever a peer might send, in each role. Besides success, a negotiation may only end
 * in {@link ProtocolViolationException}, {@link ProtocolNotSupportedException} or {@link EOFException}, and a
 * listener that accepted must not have read a byte past the proposal it accepted.
 */
class MultistreamFuzzTest {
    private static final List<String> SUPPORTED = List.of("/noise", "/yamux/1.0.0", "/ipfs/ping/1.0.0");

    @FuzzTest
    void listener(byte[] data) {
        PeerBytes peer = new PeerBytes(data);
        String accepted;
        try {
            accepted = MultistreamSelect.handle(peer, SUPPORTED);
        } catch (ProtocolViolationException | EOFException expected) {
            return;
        } catch (IOException unexpected) {
            throw new AssertionError("listener threw " + unexpected, unexpected);
        }
        assertTrue(SUPPORTED.contains(accepted));
        assertReadExactlyThrough(data, data.length - peer.unread(), accepted);
    }

    @FuzzTest
    void listenerMatchingByRule(byte[] data) {
        PeerBytes peer = new PeerBytes(data);
        String accepted;
        try {
            accepted = MultistreamSelect.handle(peer, p -> p.startsWith("/ipfs/ping/"));
        } catch (ProtocolViolationException | EOFException expected) {
            return;
        } catch (IOException unexpected) {
            throw new AssertionError("listener threw " + unexpected, unexpected);
        }
        assertTrue(accepted.startsWith("/ipfs/ping/"));
        assertReadExactlyThrough(data, data.length - peer.unread(), accepted);
    }

    @FuzzTest
    void dialer(byte[] data) {
        try {
            String selected = MultistreamSelect.select(new PeerBytes(data), SUPPORTED);
            assertTrue(SUPPORTED.contains(selected));
        } catch (ProtocolViolationException | ProtocolNotSupportedException | EOFException expected) {
            // refused
        } catch (IOException unexpected) {
            throw new AssertionError("dialer threw " + unexpected, unexpected);
        }
        try {
            MultistreamSelect.list(new PeerBytes(data));
        } catch (ProtocolViolationException | ProtocolNotSupportedException | EOFException expected) {
            // refused
        } catch (IOException unexpected) {
            throw new AssertionError("ls threw " + unexpected, unexpected);
        }
    }

    @FuzzTest
    void lazyDialer(byte[] data) {
        try (DuplexStream stream = MultistreamSelect.selectLazily(new PeerBytes(data), "/noise")) {
            stream.output().write(1);
            stream.input().readAllBytes();
        } catch (ProtocolViolationException | ProtocolNotSupportedException | EOFException expected) {
            // refused
        } catch (IOException unexpected) {
            throw new AssertionError("lazy dialer threw " + unexpected, unexpected);
        }
    }

    /** The last bytes the listener consumed are exactly the message proposing {@code accepted}. */
    private static void assertReadExactlyThrough(byte[] data, int consumed, String accepted) {
        byte[] id = accepted.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(UnsignedVarint.encode(id.length + 1L));
        message.writeBytes(id);
        message.write('\n');
        byte[] expected = message.toByteArray();
        assertTrue(consumed >= expected.length, "consumed " + consumed + " bytes");
        assertArrayEquals(expected, Arrays.copyOfRange(data, consumed - expected.length, consumed));
    }
}
