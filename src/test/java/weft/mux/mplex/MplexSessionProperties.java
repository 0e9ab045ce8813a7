package weft.mux.mplex;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import weft.ConnectionClosedException;
import weft.ResourceLimitException;
import weft.mux.MuxedStream;
import weft.testing.ManualClock;
import weft.testing.MemoryPipe;
import weft.testing.ScriptedMplexPeer;

/** Whatever bytes a peer sends, the session ends with a typed error, closes cleanly, and leaves no thread behind. */
class MplexSessionProperties {

    @Property(tries = 300)
    void arbitraryBytesEndTheSessionOnlyWithATypedErrorAndNoThreadLeak(@ForAll @Size(max = 300) byte[] garbage,
            @ForAll boolean dialer) throws Exception {
        feed(garbage, dialer);
    }

    /**
     * Well-formed frames with random flags (7 included), small ids that hit both sides' streams, and lengths that
     * mostly match the data: they get past the varint checks and exercise the stream logic.
     */
    @Provide
    Arbitrary<byte[]> plausibleFrames() {
        Arbitrary<byte[]> frame = Combinators.combine(
                Arbitraries.longs().between(0, 4),
                Arbitraries.integers().between(0, 7),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40)).as((id, flag, data) ->
                        ScriptedMplexPeer.frame(id, flag, data));
        return frame.list().ofMaxSize(40).map(frames -> {
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
        // small bounds, so that random input also reaches the limits
        MplexConfig config = MplexConfig.defaults().withScheduler(new ManualClock()).withMaxFramePayload(64)
                .withMaxBufferedBytes(64).withSlowReaderTimeout(Duration.ZERO).withMaxInboundStreams(3)
                .withDisconnectThreshold(2);
        MplexSession session = new Mplex(config).start(pipe.a(), dialer);
        MuxedStream ours = session.openStream(); // stream 0 of ours: the peer's receiver frames reach it
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                pipe.b().input().transferTo(OutputStream.nullOutputStream());
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
        ours.reset();
        session.close();
        session.readerThread().join(Duration.ofSeconds(10));
        assertTrue(session.writer().awaitTermination(Duration.ofSeconds(10)), "writer thread ended");
        assertFalse(session.readerThread().isAlive(), "reader thread ended");
        drain.join();
        assertTrue(session.isClosed());
        assertTrue(session.streamCount() == 0);
    }

    /** The cause is a protocol violation, a limit, or the end of the input: never a runtime exception. */
    static void assertTypedCause(ConnectionClosedException closed) {
        for (Throwable t = closed; t != null; t = t.getCause()) {
            Throwable failure = t;
            assertFalse(failure instanceof RuntimeException || failure instanceof Error,
                    () -> "untyped failure: " + failure);
        }
        Throwable cause = closed.getCause();
        assertTrue(cause instanceof MplexProtocolException || cause instanceof EOFException
                        || cause instanceof ResourceLimitException, () -> "unexpected cause " + cause);
    }
}
