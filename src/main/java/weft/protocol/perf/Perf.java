package weft.protocol.perf;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import weft.ProtocolViolationException;
import weft.mux.MuxedStream;

/**
 * The perf protocol, {@code /perf/1.0.0} (libp2p specs {@code perf/perf.md}, r0 2022-11-16): measures throughput
 * over one stream. "The client opens a stream, sends the number of bytes it wants to receive as a u64 big-endian,
 * then the upload bytes, then closes its write side. The server reads the u64, reads until EOF, then sends that
 * many bytes and closes." Upload and download never overlap, so each direction is timed on its own.
 *
 * <pre>{@code
 * Perf.Result r = Perf.run(stream, 100 << 20, 100 << 20, Perf.Progress.NONE);   // client
 * Perf.serve(stream);                                                           // server
 * }</pre>
 *
 * <p>The spec says perf "SHOULD NOT be enabled by default": a host registers {@link #serve} only when asked (the
 * CLI does).
 */
public final class Perf {
    public static final String PROTOCOL_ID = "/perf/1.0.0";

    /** Bytes per write and read: 64 KiB, as the go, js and rust perf implementations use. */
    public static final int BLOCK_SIZE = 64 * 1024;

    private Perf() {}

    /**
     * Called on the IO thread after every block with the totals so far; must be quick (the CLI samples them).
     */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (uploaded, downloaded) -> {};

        void bytes(long uploaded, long downloaded);
    }

    /**
     * What a client run measured.
     *
     * @param uploadTime from the first byte written to our FIN queued
     * @param downloadTime from our FIN to the server's end of stream: the first download byte waits for the
     *     server to read our whole upload, so this includes draining what was still in flight
     */
    public record Result(long uploadedBytes, long downloadedBytes, Duration uploadTime, Duration downloadTime) {
        public Duration total() {
            return uploadTime.plus(downloadTime);
        }
    }

    /**
     * Runs the client side on a fresh {@code /perf/1.0.0} stream.
     *
     * @param downloadBytes how many bytes to ask for; treated as unsigned (the spec's u64)
     * @throws ProtocolViolationException if the server sends a different number of bytes than asked for
     */
    public static Result run(MuxedStream stream, long uploadBytes, long downloadBytes, Progress progress)
            throws IOException {
        if (uploadBytes < 0) {
            throw new IllegalArgumentException("perf: negative upload size " + uploadBytes);
        }
        byte[] block = new byte[BLOCK_SIZE];
        long start = System.nanoTime();
        stream.write(ByteBuffer.allocate(Long.BYTES).putLong(downloadBytes).array(), 0, Long.BYTES);
        if (stream.trace().on()) trace(stream, "requested", downloadBytes, -1);
        long uploaded = 0;
        while (uploaded < uploadBytes) {
            int n = (int) Math.min(BLOCK_SIZE, uploadBytes - uploaded);
            stream.write(block, 0, n);
            uploaded += n;
            progress.bytes(uploaded, 0);
        }
        stream.closeWrite();
        long uploadDone = System.nanoTime();
        if (stream.trace().on()) trace(stream, "uploaded", uploaded, uploadDone - start);
        long downloaded = 0;
        int n;
        while ((n = stream.read(block, 0, BLOCK_SIZE)) >= 0) {
            downloaded += n;
            progress.bytes(uploaded, downloaded);
        }
        long end = System.nanoTime();
        if (stream.trace().on()) trace(stream, "downloaded", downloaded, end - uploadDone);
        stream.close();
        if (downloaded != downloadBytes) {
            throw new ProtocolViolationException("perf: asked for " + Long.toUnsignedString(downloadBytes)
                    + " bytes, received " + downloaded);
        }
        return new Result(uploaded, downloaded, Duration.ofNanos(uploadDone - start), Duration.ofNanos(end - uploadDone));
    }

    /**
     * Serves one perf stream: reads the u64 size, drains the upload until the client's FIN, then sends that many
     * bytes and closes.
     *
     * @return the number of bytes the client uploaded
     * @throws EOFException if the stream ends inside the 8-byte size
     */
    public static long serve(MuxedStream stream) throws IOException {
        byte[] size = stream.input().readNBytes(Long.BYTES);
        if (size.length < Long.BYTES) {
            throw new EOFException("perf: stream ended inside the u64 size (" + size.length + " of 8 bytes)");
        }
        long toSend = ByteBuffer.wrap(size).getLong();
        if (stream.trace().on()) trace(stream, "asked", toSend, -1);
        byte[] block = new byte[BLOCK_SIZE];
        long uploaded = 0;
        int n;
        while ((n = stream.read(block, 0, BLOCK_SIZE)) >= 0) {
            uploaded += n;
        }
        if (stream.trace().on()) trace(stream, "drained", uploaded, -1);
        // Unsigned: the spec's "timer" variant asks for 2^64 - 1 bytes and resets the stream when its time is up.
        long left = toSend;
        while (left != 0) {
            int chunk = Long.compareUnsigned(left, BLOCK_SIZE) < 0 ? (int) left : BLOCK_SIZE;
            stream.write(block, 0, chunk);
            left -= chunk;
        }
        if (stream.trace().on()) trace(stream, "sent", toSend, -1);
        stream.close();
        return uploaded;
    }

    /**
     * {@code · perf uploaded bytes=104857600 time=812.345ms stream=3}: a phase of the run, with its bytes (the
     * download size asked for, the upload drained, ...) and, for the client's timed phases, how long it took.
     */
    private static void trace(MuxedStream stream, String phase, long bytes, long nanos) {
        Object size = bytes >= 0 ? bytes : Long.toUnsignedString(bytes); // a u64 (the timer variant asks 2^64 - 1)
        stream.trace().local("perf").word("event", phase).pair("bytes", size)
                .pair("time", nanos < 0 ? null : Duration.ofNanos(nanos)).emit();
    }
}
