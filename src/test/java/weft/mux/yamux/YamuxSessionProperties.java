package weft.mux.yamux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import weft.ConnectionClosedException;
import weft.mux.MuxedStream;
import weft.testing.ManualClock;
import weft.testing.MemoryPipe;

/** Whatever bytes a peer sends, the session ends with a typed error, closes cleanly, and leaves no thread behind. */
class YamuxSessionProperties {

    @Property(tries = 300)
    void arbitraryBytesEndTheSessionOnlyWithATypedErrorAndNoThreadLeak(@ForAll @Size(max = 300) byte[] garbage,
            @ForAll boolean dialer) throws Exception {
        feed(garbage, dialer);
    }

    /** Mostly well-formed frames with random types, flags, ids and lengths: they get past the header checks. */
    @Provide
    Arbitrary<byte[]> plausibleFrames() {
        Arbitrary<byte[]> frame = Combinators.combine(
                Arbitraries.integers().between(0, 4).withDistribution(RandomDistribution.uniform()),
                Arbitraries.integers().between(0, 15),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 6), Arbitraries.integers()),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 40), Arbitraries.integers()),
                Arbitraries.integers().between(0, 40)).as((type, flags, id, length, payload) -> {
                    ByteBuffer b = ByteBuffer.allocate(12 + (type == 0 ? payload : 0));
                    b.put((byte) 0).put(type.byteValue()).putShort(flags.shortValue()).putInt(id).putInt(length);
                    return b.array();
                });
        return frame.list().ofMaxSize(30).map(frames -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            frames.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    @Property(tries = 300)
    void plausibleFramesEndTheSessionOnlyWithATypedErrorAndNoThreadLeak(@ForAll("plausibleFrames") byte[] frames,
            @ForAll boolean dialer) throws Exception {
        feed(frames, dialer);
    }

    private static void feed(byte[] garbage, boolean dialer) throws Exception {
        MemoryPipe.Pair pipe = MemoryPipe.pair(1 << 20);
        YamuxConfig config = YamuxConfig.defaults().withScheduler(new ManualClock())
                .withKeepAlive(false, Duration.ofSeconds(30)).withMeasureRttInterval(Duration.ZERO);
        YamuxSession session = new Yamux(config).start(pipe.a(), dialer);
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                pipe.b().input().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the session closed its end
            }
        });
        pipe.b().output().write(garbage);
        pipe.b().output().close(); // end of stream after the garbage

        ConnectionClosedException closed = null;
        while (closed == null) {
            try {
                MuxedStream s = session.acceptStream(); // the garbage may open streams: take them and drop them
                s.reset();
            } catch (ConnectionClosedException e) {
                closed = e;
            }
        }
        assertTypedCause(closed);
        session.close();
        session.readerThread().join(Duration.ofSeconds(10));
        session.writer().thread().join(Duration.ofSeconds(10));
        assertFalse(session.readerThread().isAlive(), "reader thread ended");
        assertFalse(session.writer().thread().isAlive(), "writer thread ended");
        drain.join();
        assertTrue(session.isClosed());
    }

    /** The cause is a protocol violation, the end of the input, or the peer's go-away: never a runtime exception. */
    static void assertTypedCause(ConnectionClosedException closed) {
        for (Throwable t = closed; t != null; t = t.getCause()) {
            Throwable failure = t;
            assertFalse(failure instanceof RuntimeException || failure instanceof Error,
                    () -> "untyped failure: " + failure);
        }
        Throwable cause = closed.getCause();
        assertTrue(cause == null || cause instanceof YamuxProtocolException || cause instanceof EOFException
                        || cause instanceof ConnectionClosedException c && c.remote(),
                () -> "unexpected cause " + cause);
    }
}
