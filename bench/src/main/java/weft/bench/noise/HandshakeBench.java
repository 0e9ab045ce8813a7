package weft.bench.noise;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import weft.bench.pipe.FastPipe;
import weft.crypto.KeyType;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.security.SecureConnection;
import weft.security.noise.NoiseSecureChannel;

/**
 * Complete Noise XX handshakes per second ({@code Noise_XX_25519_ChaChaPoly_SHA256}, Ed25519 identities) over a
 * fresh in-memory pipe ({@link FastPipe}) each: the initiator ({@link NoiseSecureChannel#secureOutbound}, checking
 * the responder's peer id) in the JMH thread, the responder ({@link NoiseSecureChannel#secureInbound}) in a virtual
 * thread. One op = both sides done and each side's view of the other's peer id checked; so with two cores the score
 * is bounded by the CPU of two handshake sides (a fresh X25519 static key, 3 DH, one Ed25519 sign and verify each).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djmh.executor=VIRTUAL"})
public class HandshakeBench {
    private NoiseSecureChannel initiator;
    private NoiseSecureChannel responder;
    private PeerId initiatorPeer;
    private PeerId responderPeer;

    @Setup
    public void setup() {
        PrivateKey initiatorKey = PrivateKey.generate(KeyType.ED25519);
        PrivateKey responderKey = PrivateKey.generate(KeyType.ED25519);
        initiator = new NoiseSecureChannel(initiatorKey);
        responder = new NoiseSecureChannel(responderKey);
        initiatorPeer = initiatorKey.peerId();
        responderPeer = responderKey.peerId();
    }

    @Benchmark
    public void handshake(Blackhole bh) throws Exception {
        FastPipe.Pair pipe = FastPipe.pair(4096);
        AtomicReference<Object> inbound = new AtomicReference<>();
        Thread responding = Thread.ofVirtual().start(() -> {
            try {
                inbound.set(responder.secureInbound(pipe.b()));
            } catch (IOException | RuntimeException e) {
                inbound.set(e);
            }
        });
        SecureConnection outbound = initiator.secureOutbound(pipe.a(), responderPeer);
        responding.join();
        if (!(inbound.get() instanceof SecureConnection in)) {
            throw new IllegalStateException("bench: responder failed", (Throwable) inbound.get());
        }
        if (!in.remotePeer().equals(initiatorPeer) || !outbound.remotePeer().equals(responderPeer)) {
            throw new IllegalStateException("bench: handshake authenticated the wrong peers");
        }
        bh.consume(outbound);
        bh.consume(in);
    }
}
