package weft.transport.webrtc.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The STUN half of an ICE-lite agent (RFC 8445 section 2.5): it never sends checks, it answers them.
 *
 * <p>webrtc-direct.md, step 6: "Once _A_ sets the SDP offer and answer, it will start sending STUN requests to _B_.
 * _B_ reads the _ufrag_ from the incoming STUN request's _username_ field." The client chose one random string,
 * prefixed {@code libp2p+webrtc+v1/}, as both its own and our ufrag and password, so a check arrives with
 * {@code USERNAME = "<ufrag>:<ufrag>"} (RFC 8445 section 7.2.2: "RFRAG:LFRAG", the receiver's ufrag first) and a
 * MESSAGE-INTEGRITY keyed by that same string as our password. We answer with a binding success response that
 * carries XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY (same key, RFC 8445 section 7.3.1.4) and FINGERPRINT.
 *
 * <p>Nothing here keeps state: the listener keys its per-remote state by address and ufrag and tracks consent
 * freshness (RFC 7675) from the checks this class accepts. Requests that fail any rule throw {@link StunException}
 * and get no answer at all, so a spoofed source address earns no reply (RFC 8489 section 16.1.2).
 */
public final class IceLiteResponder {
    /** webrtc-direct.md step 4: "_A_ generates a random string prefixed with {@code libp2p+webrtc+v1/}". */
    public static final String UFRAG_PREFIX = "libp2p+webrtc+v1/";

    /** An accepted connectivity check and the datagram that answers it. */
    public record Answer(String ufrag, byte[] response, boolean useCandidate) {
    }

    private IceLiteResponder() {
    }

    /**
     * Checks a binding request from {@code from} and builds its answer. A binding indication (a keep-alive,
     * RFC 8489 section 6.3.2) is valid but needs none: the result is empty.
     */
    public static Optional<Answer> answer(StunMessage request, InetSocketAddress from) throws StunException {
        if (request.type() == StunMessage.BINDING_INDICATION) {
            return Optional.empty();
        }
        if (request.type() != StunMessage.BINDING_REQUEST) {
            throw new StunException("stun: not a binding request (type 0x" + Integer.toHexString(request.type()) + ")");
        }
        String username = request.username()
                .orElseThrow(() -> new StunException("stun: binding request without username"));
        String ufrag = localUfrag(username);
        if (!request.hasValidFingerprint()) {
            throw new StunException("stun: missing or wrong fingerprint");
        }
        byte[] password = ufrag.getBytes(StandardCharsets.UTF_8);
        if (!request.hasValidIntegrity(password)) {
            throw new StunException("stun: missing or wrong message-integrity for ufrag " + ufrag);
        }
        byte[] response = StunMessage.builder(StunMessage.BINDING_SUCCESS, request.transactionId())
                .addXorMappedAddress(from)
                .encode(password, true);
        if (response.length > request.bytes().length) {
            // webrtc-direct.md FAQ: responses "only slight larger than the request" (RFC 9000 section 8 limit);
            // we never answer with more bytes than the unvalidated address sent.
            throw new StunException("stun: answer larger than request (" + response.length + " > "
                    + request.bytes().length + " bytes)");
        }
        return Optional.of(new Answer(ufrag, response, request.attribute(StunMessage.USE_CANDIDATE).isPresent()));
    }

    /** {@code "<our ufrag>:<their ufrag>"}; in libp2p both are the client's random string. */
    static String localUfrag(String username) throws StunException {
        int colon = username.indexOf(':');
        if (colon < 0) {
            throw new StunException("stun: username without ':' (" + username.length() + " chars)");
        }
        String ufrag = username.substring(0, colon);
        if (!ufrag.startsWith(UFRAG_PREFIX) || ufrag.length() == UFRAG_PREFIX.length()) {
            throw new StunException("stun: ufrag lacks the " + UFRAG_PREFIX + " prefix");
        }
        return ufrag;
    }
}
