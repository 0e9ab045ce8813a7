package weft.mux;

import java.io.IOException;

/** The stream was reset: by the remote peer (RST received) or locally. Only this stream is affected. */
public class StreamResetException extends IOException {
    private final int errorCode;
    private final boolean remote;

    public StreamResetException(long streamId, int errorCode, boolean remote) {
        super("mux: stream " + streamId + " reset by " + (remote ? "remote" : "local")
                + (errorCode != 0 ? " (error code 0x" + Integer.toHexString(errorCode) + ")" : ""));
        this.errorCode = errorCode;
        this.remote = remote;
    }

    /** The error code (0 = none given). Unknown codes keep their raw value. */
    public int errorCode() {
        return errorCode;
    }

    public boolean remote() {
        return remote;
    }
}
