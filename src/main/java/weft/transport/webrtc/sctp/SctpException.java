package weft.transport.webrtc.sctp;

import weft.ProtocolViolationException;

/** The SCTP peer broke a wire rule: a malformed packet or chunk, or a chunk the association's state forbids. */
public final class SctpException extends ProtocolViolationException {
    public SctpException(String message) {
        super(message);
    }
}
