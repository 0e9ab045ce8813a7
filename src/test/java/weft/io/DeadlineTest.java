package weft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    /** A target that counts its closes and opens a latch on the first. */
    private static final class Target implements Closeable {
        final AtomicInteger closes = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void close() {
            closes.incrementAndGet();
            closed.countDown();
        }
    }

    @Test
    void anExpiredDeadlineClosesItsTargetOnceAndSaysSo() throws Exception {
        Target target = new Target();
        try (Deadline deadline = Deadline.closeAfter(Duration.ofMillis(1), target)) {
            assertTrue(target.closed.await(10, TimeUnit.SECONDS));
            assertTrue(deadline.expired());
        }
        assertEquals(1, target.closes.get());
    }

    @RepeatedTest(20)
    void aDeadlineCancelledAtTheMomentItFiresEitherClosedTheTargetAndSaysExpiredOrNeverClosesIt() throws Exception {
        Target target = new Target();
        Deadline deadline = Deadline.closeAfter(Duration.ofNanos(1), target);
        deadline.close();
        boolean expired = deadline.expired();
        // The timer runs deadlines in time order on one thread: once a later one fired, the first one has
        // either run or was cancelled for good.
        Target later = new Target();
        Deadline.closeAfter(Duration.ofMillis(5), later);
        assertTrue(later.closed.await(10, TimeUnit.SECONDS));
        assertEquals(expired ? 1 : 0, target.closes.get());
    }
}
