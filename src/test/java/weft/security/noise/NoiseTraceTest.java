package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import weft.crypto.KeyType;
import weft.crypto.PrivateKey;
import weft.io.DuplexStream;
import weft.security.SecureConnection;
import weft.testing.MemoryPipe;
import weft.testing.TraceRecorder;

/**
 * Golden test: a Noise XX handshake and one transport message, traced on both sides, produce exactly these lines:
 * each handshake message with its tokens and size, each identity payload's fields (sizes only, never key material),
 * the outcome, then the sealed transport message.
 */
class NoiseTraceTest {
    private static final String YAMUX = "/yamux/1.0.0";

    @Test
    void aHandshakeAndOneMessageTraceEveryStepOnBothSides() throws Exception {
        PrivateKey alice = PrivateKey.generate(KeyType.ED25519);
        PrivateKey bob = PrivateKey.generate(KeyType.ED25519);
        TraceRecorder initiatorTrace = new TraceRecorder();
        TraceRecorder responderTrace = new TraceRecorder();
        MemoryPipe pipe = MemoryPipe.create(NoisePeers.PIPE_CAPACITY);
        DuplexStream left = DuplexStream.traced(pipe.left(), initiatorTrace.trace("c1", ms()));
        DuplexStream right = DuplexStream.traced(pipe.right(), responderTrace.trace("c2", ms()));
        NoiseSecureChannel responder = new NoiseSecureChannel(bob).withMuxers(List.of(YAMUX));
        Future<SecureConnection> inbound = NoisePeers.inBackground(() -> responder.secureInbound(right));
        SecureConnection outbound = new NoiseSecureChannel(alice).withMuxers(List.of(YAMUX))
                .secureOutbound(left, bob.peerId());
        SecureConnection accepted = NoisePeers.await(inbound);
        outbound.output().write("hello".getBytes(StandardCharsets.UTF_8));
        outbound.output().flush();
        assertEquals(5, accepted.input().readNBytes(5).length);

        String payload = "noise payload identity_key=36 identity_sig=64 stream_muxers=[/yamux/1.0.0]";
        assertEquals(List.of(
                "+0.000ms c1 → noise handshake 1/3 tokens=e length=32",
                "+1.000ms c1 ← noise handshake 2/3 tokens=e,ee,s,es length=216",
                "+2.000ms c1 ← " + payload,
                "+3.000ms c1 → noise handshake 3/3 tokens=s,se length=184",
                "+4.000ms c1 → " + payload,
                "+5.000ms c1 · noise secured peer=" + bob.peerId() + " muxer=/yamux/1.0.0",
                "+6.000ms c1 → noise transport length=21 nonce=0"), initiatorTrace.lines());
        assertEquals(List.of(
                "+0.000ms c2 ← noise handshake 1/3 tokens=e length=32",
                "+1.000ms c2 → noise handshake 2/3 tokens=e,ee,s,es length=216",
                "+2.000ms c2 → " + payload,
                "+3.000ms c2 ← noise handshake 3/3 tokens=s,se length=184",
                "+4.000ms c2 ← " + payload,
                "+5.000ms c2 · noise secured peer=" + alice.peerId() + " muxer=/yamux/1.0.0",
                "+6.000ms c2 ← noise transport length=21 nonce=0"), responderTrace.lines());
    }

    private static java.util.function.LongSupplier ms() {
        return TraceRecorder.ticking(Duration.ofMillis(1));
    }
}
