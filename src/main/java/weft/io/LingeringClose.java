package weft.io;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of closing a connection on the peer's protocol error, so that the peer reads our last frame (a
 * yamux GO_AWAY with the protocol-error code) instead of a TCP reset.
 *
 * <p>The problem: a connection reader that gives up on a frame leaves the rest of the peer's bytes unread, and
 * closing a TCP socket with unread bytes sends RST instead of FIN (RFC 1122 §4.2.2.13, RFC 2525 §2.17). A peer that
 * receives the RST before it read our GO_AWAY loses it: its read fails with "connection reset", and it never learns
 * why. So the session closes in three steps, as go's {@code net/http} server does ({@code closeWriteAndWait}):
 * <ol>
 *   <li>its {@link FrameWriter} writes the last frame and half-closes ({@code finish(goAway, true,
 *       channel::shutdownOutput)}): the peer reads the GO_AWAY, then the end of the stream;
 *   <li>the connection reader, which caught the violation, calls {@link #drainThenClose}: it reads and discards
 *       what the peer still sends, until the peer closes its side, at most {@value #MAX_DRAIN_BYTES} bytes and
 *       {@link #TIMEOUT} in all;
 *   <li>then it closes the channel. With the input drained, that close sends FIN, not RST.
 * </ol>
 * A peer that keeps sending past the bounds is cut off: the channel is closed with whatever is unread.
 */
public final class LingeringClose {
    private static final Logger log = LoggerFactory.getLogger(LingeringClose.class);

    /**
     * How long the peer gets to read our last frame and close its side: go {@code net/http} {@code
     * rstAvoidanceDelay}, 500 ms ("somewhat arbitrary (~latency around the planet)", server.go).
     */
    public static final Duration TIMEOUT = Duration.ofMillis(500);
    /**
     * The most bytes drained from a peer that keeps sending (weft's choice: four 256 KiB yamux windows, what a peer
     * may have in flight on a few streams; discarding costs a read each 8 KiB).
     */
    public static final long MAX_DRAIN_BYTES = 1 << 20;
    private static final int CHUNK_BYTES = 8 * 1024;

    private LingeringClose() {}

    /**
     * Discards what {@code input} still delivers until its end, {@value #MAX_DRAIN_BYTES} bytes or {@link #TIMEOUT}
     * (then the channel is closed under the read); waits, within the same time, for {@code writer} to end (it writes
     * the last frame and half-closes); then closes {@code channel}. Never throws; returns the bytes discarded.
     *
     * @param input the channel's input as the connection reader reads it (buffered bytes included)
     */
    public static long drainThenClose(InputStream input, DuplexStream channel, FrameWriter writer) {
        long drained = 0;
        try (Deadline deadline = Deadline.closeAfter(TIMEOUT, channel)) {
            byte[] discard = new byte[CHUNK_BYTES];
            int n;
            while (drained < MAX_DRAIN_BYTES
                    && (n = input.read(discard, 0, (int) Math.min(discard.length, MAX_DRAIN_BYTES - drained))) >= 0) {
                drained += n;
            }
            writer.awaitTermination(TIMEOUT);
        } catch (IOException e) {
            log.debug("lingering close: input ended with {} after {} bytes", e.toString(), drained);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                channel.close();
            } catch (IOException | RuntimeException e) {
                log.debug("lingering close: closing failed", e);
            }
        }
        return drained;
    }
}
