package weft.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import weft.testing.MemoryPipe;

/**
 * Random sequences of open / write / read / closeWrite / close / reset on both ends of up to three streams, checked
 * against a model of the stream states (open, half-closed local, half-closed remote, closed, reset) that every
 * muxer shares: yamux and mplex run it. After each step a barrier (a throw-away stream carrying one byte, which
 * trails every frame queued before it) makes sure the peer has processed it, so the model can say exactly what each
 * next call must do.
 */
public abstract class MuxerStateProperties {
    /** The muxer under test; its timers, if any, on a manual clock so that a run depends on the operations alone. */
    protected abstract StreamMuxer muxer();

    /** Far longer than any step takes; only a read the model expects to return and that blocks gets near it. */
    static final Duration STUCK = Duration.ofSeconds(10);

    enum Kind { OPEN, WRITE, READ, CLOSE_WRITE, CLOSE, RESET }

    record Op(Kind kind, int side, int stream, int size) {}

    @Provide
    Arbitrary<Op> op() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 2000)).as(Op::new);
    }

    /** One end of a stream, as the model sees it. */
    static final class End {
        final MuxedStream stream;
        boolean writeClosed;
        Boolean writeReset; // null: not reset; else remote?
        boolean finReceived;
        boolean readLocallyClosed;
        Boolean readReset; // null: not reset; else remote?
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        End peer;

        End(MuxedStream stream) {
            this.stream = stream;
            // the model never reads where nothing is due: a read that blocks is a bug, and fails here, not hangs
            stream.setReadTimeout(STUCK);
        }

        boolean writeOpen() {
            return !writeClosed && writeReset == null;
        }

        boolean readOpen() {
            return !finReceived && !readLocallyClosed && readReset == null;
        }

        boolean finished() {
            return !writeOpen() && !readOpen();
        }

        boolean acceptsData() {
            return !readLocallyClosed && readReset == null;
        }
    }

    @Property(tries = 200)
    void streamsFollowTheStateModel(@ForAll @Size(max = 40) List<@net.jqwik.api.From("op") Op> ops)
            throws Exception {
        MemoryPipe.Pair pipe = MemoryPipe.pair(64 * 1024);
        StreamMuxer muxer = muxer();
        MuxedConnection[] sessions = {muxer.start(pipe.a(), true), muxer.start(pipe.b(), false)};
        List<End[]> streams = new ArrayList<>(); // [side 0 end, side 1 end]
        try {
            for (Op op : ops) {
                if (op.kind() == Kind.OPEN) {
                    if (streams.size() < 3) {
                        MuxedStream opened = sessions[op.side()].openStream();
                        MuxedStream accepted = sessions[1 - op.side()].acceptStream();
                        End mine = new End(opened);
                        End theirs = new End(accepted);
                        mine.peer = theirs;
                        theirs.peer = mine;
                        streams.add(op.side() == 0 ? new End[] {mine, theirs} : new End[] {theirs, mine});
                    }
                    continue;
                }
                if (streams.isEmpty()) {
                    continue;
                }
                End e = streams.get(op.stream() % streams.size())[op.side()];
                step(op, e);
                barrier(sessions[op.side()], sessions[1 - op.side()]);
            }
        } finally {
            sessions[0].close();
            sessions[1].close();
        }
    }

    private static void step(Op op, End e) throws Exception {
        switch (op.kind()) {
            case WRITE -> {
                byte[] data = new byte[op.size()];
                java.util.Arrays.fill(data, (byte) op.size());
                if (e.writeReset != null) {
                    expectReset(() -> e.stream.write(data, 0, data.length), e.writeReset);
                } else if (e.writeClosed) {
                    expect(StreamClosedException.class, () -> e.stream.write(data, 0, data.length));
                } else {
                    e.stream.write(data, 0, data.length);
                    if (e.peer.acceptsData()) {
                        e.peer.pending.writeBytes(data);
                    }
                }
            }
            case READ -> {
                if (e.readLocallyClosed) {
                    expect(StreamClosedException.class, () -> e.stream.read(new byte[1], 0, 1));
                } else if (e.readReset != null) {
                    expectReset(() -> e.stream.read(new byte[1], 0, 1), e.readReset);
                } else if (e.pending.size() > 0) {
                    byte[] got = e.stream.input().readNBytes(e.pending.size());
                    assertArrayEquals(e.pending.toByteArray(), got);
                    e.pending.reset();
                } else if (e.finReceived) {
                    assertEquals(-1, e.stream.read(new byte[1], 0, 1));
                }
            }
            case CLOSE_WRITE -> {
                if (e.writeReset != null) {
                    expectReset(e.stream::closeWrite, e.writeReset);
                } else if (!e.writeClosed) {
                    e.stream.closeWrite();
                    e.writeClosed = true;
                    e.peer.finReceived = true;
                }
            }
            case CLOSE -> {
                e.stream.close(); // never throws, whatever the state
                if (e.readOpen()) { // as go's CloseRead: after the peer's FIN or Close, buffered data stays readable
                    e.readLocallyClosed = true;
                    e.pending.reset();
                }
                if (e.writeOpen()) {
                    e.writeClosed = true;
                    e.peer.finReceived = true;
                }
            }
            case RESET -> {
                boolean wasFinished = e.finished();
                boolean peerFinished = e.peer.finished();
                e.stream.reset();
                if (!e.readLocallyClosed && e.readReset == null) {
                    e.readReset = false;
                }
                e.pending.reset();
                if (!wasFinished) {
                    if (e.writeOpen()) {
                        e.writeReset = false;
                    }
                    if (!peerFinished) { // the RST reaches a peer that still has the stream
                        End p = e.peer;
                        if (!p.readLocallyClosed && p.readReset == null) {
                            p.readReset = true;
                        }
                        p.pending.reset();
                        if (p.writeOpen()) {
                            p.writeReset = true;
                        }
                    }
                }
            }
            case OPEN -> throw new AssertionError();
        }
    }

    /** Everything {@code from} queued so far has been processed by {@code to} once this returns. */
    private static void barrier(MuxedConnection from, MuxedConnection to) throws IOException {
        MuxedStream a = from.openStream();
        a.write(new byte[] {1}, 0, 1);
        MuxedStream b = to.acceptStream();
        b.setReadTimeout(STUCK);
        assertEquals(1, b.read(new byte[1], 0, 1));
        a.reset();
        b.reset();
    }

    interface Call {
        void run() throws Exception;
    }

    private static void expect(Class<? extends Exception> type, Call call) throws Exception {
        try {
            call.run();
            fail("expected " + type.getSimpleName());
        } catch (Exception e) {
            assertInstanceOf(type, e);
        }
    }

    private static void expectReset(Call call, boolean remote) throws Exception {
        try {
            call.run();
            fail("expected a reset");
        } catch (StreamResetException e) {
            assertEquals(remote, e.remote(), "reset by remote");
        }
    }
}
