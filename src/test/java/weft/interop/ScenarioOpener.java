package weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static weft.interop.ScenarioStreams.countLine;
import static weft.interop.ScenarioStreams.expectEof;
import static weft.interop.ScenarioStreams.expectPattern;
import static weft.interop.ScenarioStreams.readLine;
import static weft.interop.ScenarioStreams.writeLine;
import static weft.interop.ScenarioStreams.writePattern;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import weft.ConnectionClosedException;
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;

/**
 * The opener's side of the interop scenarios, played by weft: opens streams on a session whose remote end runs
 * {@link ScenarioAcceptor}'s role (here: the Go peer in {@code listen} mode) and checks what comes back. Mirrors
 * the Go peer's {@code drive*} functions. Each method throws an {@link AssertionError} naming the stream and the
 * first difference.
 */
final class ScenarioOpener {
    private ScenarioOpener() {}

    /**
     * Opens {@code streams} echo streams at once; stream i sends {@code 1 + i * 5297} pattern bytes (up to about
     * 512 KiB, twice the window), half-closes, and reads the echo to the end while it writes.
     */
    static long echo(MuxedConnection session, int streams) throws Exception {
        long total = 0;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                long seed = i;
                long size = 1 + i * 5297L;
                total += size;
                done.add(threads.submit(() -> echoOne(session, threads, seed, size)));
            }
            for (Future<?> f : done) {
                get(f);
            }
        }
        return total;
    }

    /** One echo stream of {@code size} bytes: both directions of the stream carry data at once. */
    static void echoOne(MuxedConnection session, long seed, long size) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            echoOne(session, threads, seed, size);
        }
    }

    private static Void echoOne(MuxedConnection session, ExecutorService threads, long seed, long size)
            throws Exception {
        try (MuxedStream stream = session.openStream()) {
            Future<?> written = threads.submit(() -> {
                writeLine(stream, "echo");
                writePattern(stream, seed, size);
                stream.closeWrite();
                return null;
            });
            expectPattern(stream, seed, size);
            expectEof(stream);
            get(written);
        }
        return null;
    }

    /** Sends {@code n} pattern bytes, half-closes, then reads the acceptor's count and CRC-32. */
    static void sink(MuxedConnection session, long n) throws IOException {
        try (MuxedStream stream = session.openStream()) {
            writeLine(stream, "sink");
            long crc = writePattern(stream, 3, n);
            stream.closeWrite();
            assertEquals(countLine(n, crc), readLine(stream), "stream " + stream.id() + ": the acceptor's count");
            expectEof(stream);
        }
    }

    /** Asks for {@code n} pattern bytes (we half-close at once) and checks each one, then the end of stream. */
    static void source(MuxedConnection session, long n, long seed) throws IOException {
        try (MuxedStream stream = session.openStream()) {
            writeLine(stream, "source " + n + " " + seed);
            stream.closeWrite();
            expectPattern(stream, seed, n);
            expectEof(stream);
        }
    }

    /**
     * The acceptor writes {@code n} bytes and half-closes first; we read them to the end, then still write
     * {@code m} bytes and half-close. The acceptor checks them and reports in {@link #status}.
     */
    static void finFirst(MuxedConnection session, long n, long m, long seed) throws IOException {
        try (MuxedStream stream = session.openStream()) {
            writeLine(stream, "finfirst " + n + " " + m + " " + seed);
            expectPattern(stream, seed, n);
            expectEof(stream);
            writePattern(stream, seed + 1, m);
            stream.closeWrite();
        }
    }

    /**
     * Asks the acceptor to reset the stream with {@code code}: our read and then our write must throw
     * {@link StreamResetException} saying the remote reset it, with that code.
     */
    static void resetByAcceptor(MuxedConnection session, int code) throws IOException {
        MuxedStream stream = session.openStream();
        writeLine(stream, "reset " + code);
        StreamResetException onRead = assertThrows(StreamResetException.class,
                () -> stream.read(new byte[16], 0, 16), "stream " + stream.id() + ": read after the acceptor's RST");
        assertTrue(onRead.remote(), "reset by remote: " + onRead.getMessage());
        assertEquals(code, onRead.errorCode(), "error code in the RST's Length field: " + onRead.getMessage());
        assertThrows(StreamResetException.class, () -> stream.write(new byte[] {'x'}, 0, 1),
                "stream " + stream.id() + ": write after the acceptor's RST");
    }

    /** Waits for the acceptor's "ready", then resets; the acceptor checks its read and write fail. */
    static void resetByOpener(MuxedConnection session) throws IOException {
        MuxedStream stream = session.openStream();
        writeLine(stream, "awaitreset");
        assertEquals("ready", readLine(stream), "stream " + stream.id());
        stream.reset();
    }

    /**
     * Asks the acceptor to close its whole session (hashicorp: the TCP connection, without GO_AWAY). The read we
     * are blocked in, an accept and an open must all fail with {@link ConnectionClosedException}: a dead session
     * never leaves a caller hanging.
     */
    static void hangup(MuxedConnection session) throws IOException {
        MuxedStream stream = session.openStream();
        writeLine(stream, "hangup");
        assertEquals("ready", readLine(stream), "stream " + stream.id());
        writeLine(stream, "go"); // now the peer hangs up (weft drops unread data when a session dies)
        assertThrows(ConnectionClosedException.class, () -> stream.read(new byte[16], 0, 16),
                "stream " + stream.id() + ": read after the peer hung up");
        assertThrows(ConnectionClosedException.class, session::acceptStream, "accept after the peer hung up");
        assertThrows(IOException.class, session::openStream, "open after the peer hung up");
        assertTrue(session.isClosed(), "session closed after the peer hung up");
    }

    /**
     * Asks the acceptor to send GO_AWAY(normal): after it (it comes before "ready" on the wire) opening a stream
     * fails at once, while the stream already open still echoes to the end. Returns the open's error message.
     */
    static String goAway(MuxedConnection session) throws IOException {
        try (MuxedStream stream = session.openStream()) {
            writeLine(stream, "goaway");
            assertEquals("ready", readLine(stream), "stream " + stream.id());
            IOException refused = assertThrows(IOException.class, session::openStream, "open after GO_AWAY");
            writeLine(stream, "still here");
            stream.closeWrite();
            assertEquals("still here", readLine(stream), "stream " + stream.id() + ": echo after GO_AWAY");
            expectEof(stream);
            return refused.getMessage();
        }
    }

    /** Asks the acceptor whether all its handlers passed; returns its "OK ..." line. */
    static String status(MuxedConnection session) throws IOException {
        try (MuxedStream stream = session.openStream()) {
            writeLine(stream, "status");
            stream.closeWrite();
            String line = readLine(stream);
            assertTrue(line.startsWith("OK"), "the acceptor reports: " + line);
            return line;
        }
    }

    private static void get(Future<?> f) throws Exception {
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }
}
