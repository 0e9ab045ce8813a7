package weft.transport.webrtc.stun;

import weft.ProtocolViolationException;

/**
 * A datagram that is not a STUN message we accept: malformed, failing its MESSAGE-INTEGRITY or FINGERPRINT, or
 * not a binding request for a libp2p ufrag. The listener drops the datagram; nothing is sent back.
 */
public final class StunException extends ProtocolViolationException {
    public StunException(String message) {
        super(message);
    }
}
