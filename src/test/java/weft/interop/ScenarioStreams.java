package weft.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import weft.mux.MuxedStream;

/**
 * Reading and writing the interop scenarios' stream protocol on a {@link MuxedStream}: ASCII command and reply
 * lines, pattern bytes, the end of stream. The protocol itself is described in the Go peer's package comment
 * ({@code src/test/interop/go/yamuxpeer/main.go}); {@link ScenarioOpener} and {@link ScenarioAcceptor} are its two
 * roles on the weft side. Failures are {@link AssertionError}s that say what differed and where.
 */
final class ScenarioStreams {
    static final int CHUNK = 64 * 1024;

    private ScenarioStreams() {}

    static void writeLine(MuxedStream stream, String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        stream.write(bytes, 0, bytes.length);
    }

    /** Reads one {@code \n}-terminated line byte by byte, so that no byte after it is consumed. */
    static String readLine(MuxedStream stream) throws IOException {
        StringBuilder line = new StringBuilder();
        byte[] one = new byte[1];
        while (line.length() < 200) {
            int n = stream.read(one, 0, 1);
            if (n < 0) {
                throw new AssertionError("stream " + stream.id() + ": end of stream inside a line: \"" + line + "\"");
            }
            if (n == 1) {
                if (one[0] == '\n') {
                    return line.toString();
                }
                line.append((char) (one[0] & 0xff));
            }
        }
        throw new AssertionError("stream " + stream.id() + ": line too long: \"" + line + "\"");
    }

    /** Writes {@code n} pattern bytes from {@code seed}; returns their CRC-32 (as Go's crc32.ChecksumIEEE). */
    static long writePattern(MuxedStream stream, long seed, long n) throws IOException {
        Pattern pattern = new Pattern(seed);
        CRC32 crc = new CRC32();
        byte[] buf = new byte[CHUNK];
        for (long left = n; left > 0; ) {
            int len = (int) Math.min(buf.length, left);
            pattern.fill(buf, 0, len);
            crc.update(buf, 0, len);
            stream.write(buf, 0, len);
            left -= len;
        }
        return crc.getValue();
    }

    /** Reads exactly {@code n} bytes and checks each against the pattern from {@code seed}. */
    static void expectPattern(MuxedStream stream, long seed, long n) throws IOException {
        Pattern pattern = new Pattern(seed);
        byte[] got = new byte[CHUNK];
        byte[] want = new byte[CHUNK];
        for (long off = 0; off < n; ) {
            int k = stream.read(got, 0, (int) Math.min(got.length, n - off));
            if (k < 0) {
                throw new AssertionError("stream " + stream.id() + ": end of stream after " + off + " of " + n + " bytes");
            }
            pattern.fill(want, 0, k);
            int at = Arrays.mismatch(got, 0, k, want, 0, k);
            if (at >= 0) {
                throw new AssertionError("stream " + stream.id() + ": byte " + (off + at) + " of " + n + " differs (got 0x"
                        + Integer.toHexString(got[at] & 0xff) + ", want 0x" + Integer.toHexString(want[at] & 0xff) + ")");
            }
            off += k;
        }
    }

    /** Checks that the stream ends here: the peer's FIN came after all its data. */
    static void expectEof(MuxedStream stream) throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = stream.read(one, 0, 1);
        } while (n == 0);
        if (n > 0) {
            throw new AssertionError("stream " + stream.id() + ": wanted end of stream, got more bytes");
        }
    }

    /** The sink's reply: {@code "<count> <crc32 as 8 hex digits>"}. */
    static String countLine(long count, long crc) {
        return count + " " + String.format("%08x", crc);
    }
}
