package weft.interop;

import static weft.interop.ScenarioStreams.countLine;
import static weft.interop.ScenarioStreams.expectEof;
import static weft.interop.ScenarioStreams.expectPattern;
import static weft.interop.ScenarioStreams.readLine;
import static weft.interop.ScenarioStreams.writeLine;
import static weft.interop.ScenarioStreams.writePattern;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.mux.MuxedConnection;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;

/**
 * The acceptor's side of the interop scenarios, played by weft: accepts every stream the remote (here: the Go
 * peer in {@code dial} mode) opens, and behaves as the stream's command line says. Mirrors the Go peer's
 * {@code handle}. One virtual thread per stream; failures are kept for {@link #failures()} and for the
 * {@code status} command, which the Go opener sends last.
 */
final class ScenarioAcceptor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScenarioAcceptor.class);

    private final MuxedConnection session;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int active; // guarded by lock
    private int handled; // guarded by lock
    private final List<String> failures = new ArrayList<>(); // guarded by lock
    private final CompletableFuture<IOException> acceptEnded = new CompletableFuture<>();

    private ScenarioAcceptor(MuxedConnection session) {
        this.session = session;
    }

    /** Starts accepting streams on {@code session} until it ends. */
    static ScenarioAcceptor serve(MuxedConnection session) {
        ScenarioAcceptor acceptor = new ScenarioAcceptor(session);
        acceptor.threads.submit(acceptor::acceptLoop);
        return acceptor;
    }

    private void acceptLoop() {
        while (true) {
            MuxedStream stream;
            try {
                stream = session.acceptStream();
            } catch (IOException e) {
                log.debug("accept loop ends: {}", e.toString());
                acceptEnded.complete(e); // the session ended
                return;
            }
            lock.lock();
            try {
                active++;
            } finally {
                lock.unlock();
            }
            threads.submit(() -> {
                try {
                    handle(stream);
                } catch (Throwable t) {
                    fail("stream " + stream.id() + ": " + t);
                    stream.reset(); // so that the opener fails now instead of waiting for us
                } finally {
                    end();
                }
            });
        }
    }

    private void handle(MuxedStream stream) throws IOException {
        String command = readLine(stream);
        String[] f = command.split(" ");
        switch (f[0]) {
            case "echo" -> {
                byte[] buf = new byte[ScenarioStreams.CHUNK];
                for (int n; (n = stream.read(buf, 0, buf.length)) >= 0; ) {
                    stream.write(buf, 0, n);
                }
                stream.closeWrite();
                stream.close();
            }
            case "sink" -> {
                byte[] buf = new byte[ScenarioStreams.CHUNK];
                CRC32 crc = new CRC32();
                long count = 0;
                for (int n; (n = stream.read(buf, 0, buf.length)) >= 0; ) {
                    crc.update(buf, 0, n);
                    count += n;
                }
                writeLine(stream, countLine(count, crc.getValue())); // written after the opener's FIN
                stream.closeWrite();
                stream.close();
            }
            case "source" -> {
                writePattern(stream, Long.parseLong(f[2]), Long.parseLong(f[1]));
                stream.closeWrite();
                expectEof(stream);
                stream.close();
            }
            case "finfirst" -> {
                long n = Long.parseLong(f[1]);
                long m = Long.parseLong(f[2]);
                long seed = Long.parseLong(f[3]);
                writePattern(stream, seed, n);
                stream.closeWrite(); // our FIN goes first ...
                expectPattern(stream, seed + 1, m); // ... and we still read what the opener writes after it
                expectEof(stream);
                stream.close();
            }
            case "reset" -> {
                int code = Integer.parseInt(f[1]);
                if (code == 0) {
                    stream.reset();
                } else {
                    stream.reset(code);
                }
            }
            case "hangup" -> {
                writeLine(stream, "ready");
                String line = readLine(stream);
                if (!line.equals("go")) {
                    throw new AssertionError("stream " + stream.id() + ": hangup: wanted \"go\", got \"" + line + "\"");
                }
                session.close(); // weft: GO_AWAY(normal), then the connection closes
            }
            case "awaitreset" -> {
                writeLine(stream, "ready");
                expectRemoteReset(stream, "read", () -> stream.read(new byte[16], 0, 16));
                expectRemoteReset(stream, "write", () -> stream.write(new byte[] {'x'}, 0, 1));
            }
            case "status" -> {
                if (!awaitIdle(1, Duration.ofSeconds(30))) {
                    fail("status: other handlers still running after 30 s");
                }
                List<String> seen = failures();
                writeLine(stream, seen.isEmpty() ? "OK " + handled() : "FAIL " + seen.get(0));
                stream.closeWrite();
                stream.close();
            }
            default -> throw new AssertionError("unknown command \"" + command + "\"");
        }
    }

    private interface StreamCall {
        void run() throws IOException;
    }

    private static void expectRemoteReset(MuxedStream stream, String what, StreamCall call) throws IOException {
        try {
            call.run();
        } catch (StreamResetException e) {
            if (!e.remote()) {
                throw new AssertionError("stream " + stream.id() + ": " + what + ": reset, but not by remote: " + e);
            }
            return;
        }
        throw new AssertionError("stream " + stream.id() + ": " + what + " after the opener's RST did not throw");
    }

    private void end() {
        lock.lock();
        try {
            active--;
            handled++;
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void fail(String message) {
        log.error("acceptor: {}", message);
        lock.lock();
        try {
            failures.add(message);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at most {@code others} handlers run, or the timeout; true if they did. */
    boolean awaitIdle(int others, Duration timeout) {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (active > others) {
                if (left <= 0) {
                    return false;
                }
                left = idle.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** How {@link MuxedConnection#acceptStream()} ended, once the session is gone; fails after the timeout. */
    IOException acceptEnded(Duration timeout) throws Exception {
        return acceptEnded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<String> failures() {
        lock.lock();
        try {
            return List.copyOf(failures);
        } finally {
            lock.unlock();
        }
    }

    int handled() {
        lock.lock();
        try {
            return handled;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the handler threads (the session's own close wakes any that are blocked). */
    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
