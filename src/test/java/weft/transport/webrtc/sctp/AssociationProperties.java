package weft.transport.webrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class AssociationProperties {
    /** Whatever the link does (up to a third of packets lost), both directions deliver every byte, in order. */
    @Property(tries = 25)
    void everyByteArrivesInOrderWhateverTheLinkDoes(@ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 0.3) double drop,
            @ForAll @DoubleRange(min = 0, max = 0.2) double duplicate,
            @ForAll boolean reorder, @ForAll @IntRange(min = 1, max = 40) int messages) throws Exception {
        AssociationTest.Pair pair = new AssociationTest.Pair(new LossyLink(seed, drop, duplicate, reorder));
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
        pair.link.runUntil(() -> pair.serverEvents.receivedBytes == up.size()
                && pair.clientEvents.receivedBytes == down.size(), Duration.ofHours(1));
        assertArrayEquals(up.toByteArray(), pair.serverEvents.stream(1));
        assertArrayEquals(down.toByteArray(), pair.clientEvents.stream(1));
    }
}
