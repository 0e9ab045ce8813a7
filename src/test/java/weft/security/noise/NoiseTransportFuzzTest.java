package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import weft.ProtocolViolationException;
import weft.io.DuplexStream;

/**
 * The Noise transport phase fuzzed past the encryption: the fuzzer's bytes are a script of what the peer sends
 * after the handshake, and a scripted sender with the peer's key seals the messages it asks for, so that they
 * authenticate (random bytes never would). Our {@link NoiseConnection} reads it all.
 *
 * <p>The script, read until the input runs out, one step after another (the first byte's low two bits say which):
 * <ul>
 *   <li>{@code 0}: a sealed message: a u16 plaintext length (taken modulo 65520), then that many plaintext bytes;
 *   <li>{@code 1}: a forged message: a u16 length prefix as given, then up to that many raw bytes;
 *   <li>{@code 2}: a sealed message with one bit flipped: a u16 plaintext length, a u16 position and a bit index,
 *       then the plaintext;
 *   <li>{@code 3}: the rest of the input, raw (a message cut short, trailing garbage).
 * </ul>
 * The oracle: our side returns exactly the plaintexts of the sealed messages before the first step that is not one,
 * in order. Then, if the script ended there, a clean end of stream; otherwise only a typed failure,
 * {@link ProtocolViolationException} (a message that does not authenticate or is shorter than its tag) or
 * {@link EOFException} (the stream ended inside a length or a message). Seeds:
 * {@code src/test/resources/weft/security/noise/NoiseTransportFuzzTestInputs/peerMessages/}.
 */
class NoiseTransportFuzzTest {
    private static final byte[] PEER_KEY = new byte[32];
    private static final int SEALED = 0, FORGED = 1, TAMPERED = 2, RAW_REST = 3;

    static {
        Arrays.fill(PEER_KEY, (byte) 0x42);
    }

    @FuzzTest
    void peerMessages(byte[] script) throws IOException {
        Script peer = new Script(script);
        NoiseConnection ours = new NoiseConnection(new Wire(peer.wire()), cipher(), cipher(), null, null, null,
                Optional.empty());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 + script.length % 70_000]; // reads of every size: into the caller's array or not
        try {
            for (int n; (n = ours.read(buffer, 0, buffer.length)) >= 0; ) {
                got.write(buffer, 0, n);
            }
            assertTrue(peer.cleanEnd(), "a clean end of stream after a step that must fail");
        } catch (ProtocolViolationException | EOFException expected) {
            assertTrue(!peer.cleanEnd(), "a failure although every message was sealed: " + expected);
        }
        assertArrayEquals(peer.validPlaintext(), got.toByteArray(), "exactly the sealed plaintexts, in order");
    }

    private static CipherState cipher() {
        CipherState state = new CipherState();
        state.initializeKey(PEER_KEY);
        return state;
    }

    /** Turns the fuzzer's bytes into what the peer sends, remembering what our side must make of it. */
    private static final class Script {
        private final ByteBuffer in;
        private final CipherState sender = cipher();
        private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        private final ByteArrayOutputStream valid = new ByteArrayOutputStream();
        private boolean broken; // a step that must fail was sent; nothing after it counts

        Script(byte[] script) throws IOException {
            in = ByteBuffer.wrap(script);
            while (in.hasRemaining() && !broken) {
                int step = in.get() & 3;
                switch (step) {
                    case SEALED -> sealed(false);
                    case TAMPERED -> sealed(true);
                    case FORGED -> {
                        int length = u16();
                        wire.write(length >>> 8);
                        wire.write(length);
                        wire.writeBytes(take(length));
                        broken = true;
                    }
                    case RAW_REST -> {
                        byte[] rest = take(in.remaining());
                        wire.writeBytes(rest);
                        broken = rest.length > 0; // nothing at all is a clean end
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }

        private void sealed(boolean tamper) throws IOException {
            int length = u16() % (NoiseConnection.MAX_PLAINTEXT + 1);
            int position = tamper ? u16() : 0;
            int bit = tamper && in.hasRemaining() ? in.get() & 7 : 0;
            byte[] plaintext = take(length);
            byte[] message = new byte[plaintext.length + CipherState.TAG_LENGTH];
            sender.encryptWithAd(null, plaintext, 0, plaintext.length, message, 0);
            if (tamper) {
                message[position % message.length] ^= (byte) (1 << bit);
                broken = true;
            } else {
                valid.writeBytes(plaintext);
            }
            wire.write(message.length >>> 8);
            wire.write(message.length);
            wire.writeBytes(message);
        }

        private int u16() {
            int hi = in.hasRemaining() ? in.get() & 0xFF : 0;
            int lo = in.hasRemaining() ? in.get() & 0xFF : 0;
            return hi << 8 | lo;
        }

        private byte[] take(int n) {
            byte[] b = new byte[Math.min(n, in.remaining())];
            in.get(b);
            return b;
        }

        byte[] wire() {
            return wire.toByteArray();
        }

        byte[] validPlaintext() {
            return valid.toByteArray();
        }

        boolean cleanEnd() {
            return !broken;
        }
    }

    /** The insecure stream: the scripted bytes in, our writes discarded. */
    private static final class Wire implements DuplexStream {
        private final InputStream input;

        Wire(byte[] peerSends) {
            input = new ByteArrayInputStream(peerSends);
        }

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public void close() {}
    }
}
