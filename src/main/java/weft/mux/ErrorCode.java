package weft.mux;

/**
 * libp2p error codes a stream reset (and a connection close) can carry: the libp2p specs' error-codes draft
 * ({@code error-codes/README.md}), the same table for connections and streams. yamux carries a stream's code in
 * the length of its RST frame (go-yamux v5) and a connection's in GO_AWAY; unknown codes keep their raw value.
 */
public final class ErrorCode {
    /** No code given (what a peer without error codes sends). */
    public static final int NONE = 0;
    /** The peers did not agree on a protocol, or did not in time. */
    public static final int PROTOCOL_NEGOTIATION_FAILED = 0x1000;
    /** A configured bound was hit: too many streams, a full accept backlog, too many connections. */
    public static final int RESOURCE_LIMIT_EXCEEDED = 0x1001;
    /** The peer did something too often. */
    public static final int RATE_LIMITED = 0x1002;
    /** The peer broke a rule of the protocol. */
    public static final int PROTOCOL_VIOLATION = 0x1003;

    private ErrorCode() {}
}
