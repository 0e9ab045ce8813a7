package weft.mux.yamux;

/**
 * The codes a yamux GO_AWAY frame carries in its length field. Spec "Type", Go Away: "The Length should be set to
 * one of the following to provide an error code: 0x0 Normal termination, 0x1 Protocol error, 0x2 Internal error"
 * (go-yamux {@code const.go} {@code goAwayNormal}, {@code goAwayProtoErr}, {@code goAwayInternalErr}). A peer may
 * send any other u32 (go-yamux v5 {@code CloseWithError}); such codes are kept as their raw value.
 */
public final class GoAwayCode {
    /** Normal termination. */
    public static final int NORMAL = 0x0;
    /** The peer broke a wire rule. */
    public static final int PROTOCOL_ERROR = 0x1;
    /** The sender failed internally. */
    public static final int INTERNAL_ERROR = 0x2;

    private GoAwayCode() {}

    /** {@code normal}, {@code protocol error}, {@code internal error}, or the code in hex. */
    public static String describe(int code) {
        return switch (code) {
            case NORMAL -> "normal";
            case PROTOCOL_ERROR -> "protocol error";
            case INTERNAL_ERROR -> "internal error";
            default -> "code 0x" + Integer.toHexString(code);
        };
    }
}
