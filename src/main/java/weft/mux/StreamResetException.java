package weft.mux;

import java.io.IOException;
import weft.Rethrowable;

/** The stream was reset: by the remote peer (RST received) or locally. Only this stream is affected. */
public class StreamResetException extends IOException implements Rethrowable {
    private final long streamId;
    private final int errorCode;
    private final boolean remote;

    public StreamResetException(long streamId, int errorCode, boolean remote) {
        super("mux: stream " + streamId + " reset by " + (remote ? "remote" : "local")
                + (errorCode != 0 ? " (error code 0x" + Integer.toHexString(errorCode) + ")" : ""));
        this.streamId = streamId;
        this.errorCode = errorCode;
        this.remote = remote;
    }

    private StreamResetException(StreamResetException recorded) {
        super(recorded.getMessage(), Rethrowable.causeForCopy(recorded));
        this.streamId = recorded.streamId;
        this.errorCode = recorded.errorCode;
        this.remote = recorded.remote;
    }

    /** Same message, stream id, error code and side; the cause as {@link Rethrowable} describes. */
    @Override
    public StreamResetException freshCopy() {
        return new StreamResetException(this);
    }

    /** The id of the stream that was reset. */
    public long streamId() {
        return streamId;
    }

    /** The error code (0 = none given). Unknown codes keep their raw value. */
    public int errorCode() {
        return errorCode;
    }

    public boolean remote() {
        return remote;
    }
}
