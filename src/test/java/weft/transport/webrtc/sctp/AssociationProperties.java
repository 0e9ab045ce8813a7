package weft.transport.webrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class AssociationProperties {
    /**
     * Whatever the link does (up to a fifth of packets lost, duplicates, reordering), both directions deliver every
     * byte, in order. Heavier loss can legitimately end the association: RFC 9260 section 8.1 closes it after
     * Association.Max.Retrans (10) consecutive unanswered retransmissions and heartbeats, and at 30 % loss each way
     * a round trip fails half the time (a run of eleven failures, 0.5^11, shows up within a few hundred runs;
     * jqwik found seed -34 with 30 % loss). {@link #heavyLossDeliversAnInOrderPrefixAndEnds} covers that range.
     */
    @Property(tries = 25)
    void everyByteArrivesInOrderWhateverTheLinkDoes(@ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 0.2) double drop,
            @ForAll @DoubleRange(min = 0, max = 0.2) double duplicate,
            @ForAll boolean reorder, @ForAll @IntRange(min = 1, max = 40) int messages) throws Exception {
        AssociationTest.Pair pair = new AssociationTest.Pair(new LossyLink(seed, drop, duplicate, reorder));
        Sent sent = sendBothWays(pair, seed, messages);
        pair.link.runUntil(() -> pair.serverEvents.receivedBytes == sent.up().length
                && pair.clientEvents.receivedBytes == sent.down().length, Duration.ofHours(1));
        assertArrayEquals(sent.up(), pair.serverEvents.stream(1));
        assertArrayEquals(sent.down(), pair.clientEvents.stream(1));
    }

    /**
     * Under heavy loss (up to half the packets) each direction delivers an in-order prefix of what was sent, never
     * a wrong byte, and the run ends: everything arrived, or both associations closed (peer unreachable).
     */
    @Property(tries = 15)
    void heavyLossDeliversAnInOrderPrefixAndEnds(@ForAll long seed,
            @ForAll @DoubleRange(min = 0.2, max = 0.5) double drop, @ForAll boolean reorder,
            @ForAll @IntRange(min = 1, max = 20) int messages) throws Exception {
        AssociationTest.Pair pair;
        try {
            pair = new AssociationTest.Pair(new LossyLink(seed, drop, 0.05, reorder));
        } catch (AssertionError handshakeNeverFinished) {
            return; // the handshake gave up (Max.Init.Retransmits): nothing was sent, nothing to check
        }
        Sent sent = sendBothWays(pair, seed, messages);
        pair.link.runUntil(() -> pair.serverEvents.receivedBytes == sent.up().length
                && pair.clientEvents.receivedBytes == sent.down().length
                || pair.client.isClosed() && pair.server.isClosed(), Duration.ofHours(2));
        assertPrefix(sent.up(), pair.serverEvents.stream(1));
        assertPrefix(sent.down(), pair.clientEvents.stream(1));
    }

    /** What each side sent on stream 1, in order: {@code up} the client's, {@code down} the server's. */
    private record Sent(byte[] up, byte[] down) {}

    /**
     * Queues {@code messages} random messages each way on stream 1 (PPID 53), sizes and bytes drawn from
     * {@code seed}: up to 6000 bytes from the client, up to 3000 from the server.
     */
    private static Sent sendBothWays(AssociationTest.Pair pair, long seed, int messages) throws Exception {
        Random random = new Random(seed);
        ByteArrayOutputStream up = new ByteArrayOutputStream();
        ByteArrayOutputStream down = new ByteArrayOutputStream();
        for (int i = 0; i < messages; i++) {
            byte[] a = AssociationTest.random(random.nextLong(), 1 + random.nextInt(6000));
            pair.client.send(1, 53, a, false);
            up.writeBytes(a);
            byte[] b = AssociationTest.random(random.nextLong(), 1 + random.nextInt(3000));
            pair.server.send(1, 53, b, false);
            down.writeBytes(b);
        }
        return new Sent(up.toByteArray(), down.toByteArray());
    }

    private static void assertPrefix(byte[] sent, byte[] received) {
        assertTrue(received.length <= sent.length, received.length + " > " + sent.length + " bytes");
        assertArrayEquals(Arrays.copyOf(sent, received.length), received);
    }
}
