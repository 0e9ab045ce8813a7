package weft.transport.webrtc.sctp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.time.Duration;
import weft.testing.ManualClock;

/**
 * Two associations joined by an in-memory datagram link that drops, duplicates and reorders packets with seeded
 * randomness, on a {@link ManualClock}: everything runs on the test's thread, so a run is a pure function of the
 * seed. Time moves only when no packet is in flight.
 */
final class LossyLink {
    private record InFlight(boolean toServer, byte[] packet) {
    }

    final ManualClock clock = new ManualClock();
    private final Random random;
    private final double drop;
    private final double duplicate;
    private final boolean reorder;
    private final List<InFlight> inFlight = new ArrayList<>();
    private Association client;
    private Association server;
    boolean serverUnreachable;
    int delivered;
    int dropped;

    LossyLink(long seed, double drop, double duplicate, boolean reorder) {
        this.random = new Random(seed);
        this.drop = drop;
        this.duplicate = duplicate;
        this.reorder = reorder;
    }

    static LossyLink perfect() {
        return new LossyLink(1, 0, 0, false);
    }

    Association.Output toServer() {
        return packet -> carry(true, packet);
    }

    Association.Output toClient() {
        return packet -> carry(false, packet);
    }

    void connect(Association client, Association server) {
        this.client = client;
        this.server = server;
    }

    private void carry(boolean toServer, byte[] packet) throws IOException {
        if (random.nextDouble() < drop) {
            dropped++;
            return;
        }
        inFlight.add(new InFlight(toServer, packet));
        if (random.nextDouble() < duplicate) {
            inFlight.add(new InFlight(toServer, packet.clone()));
        }
    }

    /** Delivers packets (in a random order when reordering) and advances time when idle, until {@code done}. */
    void runUntil(BooleanSupplier done, Duration limit) {
        long deadline = clock.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (clock.nanoTime() > deadline) {
                throw new AssertionError("not done after " + limit + " of simulated time");
            }
            if (inFlight.isEmpty()) {
                clock.advance(Duration.ofMillis(10));
                continue;
            }
            InFlight next = inFlight.remove(reorder ? random.nextInt(Math.min(inFlight.size(), 8)) : 0);
            if (next.toServer() && serverUnreachable) {
                continue;
            }
            delivered++;
            (next.toServer() ? server : client).receive(next.packet(), next.packet().length);
        }
    }
}
