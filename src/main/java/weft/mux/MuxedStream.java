package weft.mux;

import java.io.IOException;
import java.time.Duration;
import weft.io.DuplexStream;

/**
 * One stream of a multiplexed session. Blocking is the API: {@link #read} waits for data or end of stream,
 * {@link #write} waits for send window. {@link #input()} and {@link #output()} are views of the same calls.
 *
 * <p>States (yamux spec and go-yamux): open; half-closed local after {@link #closeWrite()} (we can only read);
 * half-closed remote after the peer's FIN (reads drain the buffer, then return -1; we can still write); closed
 * when both; reset from any state ({@link StreamResetException} for every later call).
 *
 * <p>A reset or a dead session is recorded once and reported to every later call, each with its own exception
 * object ({@link weft.Rethrowable}): callers on different threads may add suppressed exceptions to what they caught.
 */
public interface MuxedStream extends DuplexStream {
    /** The stream id on the wire. */
    long id();

    /** Reads up to {@code len} bytes; -1 after the peer half-closed and the buffer is drained. */
    int read(byte[] buf, int off, int len) throws IOException;

    /** Returns once all bytes are framed and queued for the connection's writer. */
    void write(byte[] buf, int off, int len) throws IOException;

    /** Half-closes: sends FIN after the data already queued. Writing afterwards throws {@link StreamClosedException}. */
    void closeWrite() throws IOException;

    /** A stream's half-close is {@link #closeWrite()}. */
    @Override
    default void shutdownOutput() throws IOException {
        closeWrite();
    }

    /** Abruptly ends both directions and tells the peer (RST); unread data is dropped. Error code 0. */
    void reset();

    /** Resets with an error code (libp2p error-codes draft; go-yamux v5 carries it in the RST frame). */
    void reset(int errorCode);

    /** Bounds each blocking {@link #read}; {@code null} or zero means no bound. Expiry throws SocketTimeoutException. */
    void setReadTimeout(Duration timeout);

    /** Bounds each blocking {@link #write}; {@code null} or zero means no bound. */
    void setWriteTimeout(Duration timeout);

    /** Half-closes our side and stops reading (as go-yamux's Close = CloseRead + CloseWrite). */
    @Override
    void close() throws IOException;
}
