package weft.transport.webrtc.sctp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The State Cookie a responder puts in its INIT-ACK and gets back in COOKIE-ECHO, so that it keeps no state for
 * an INIT until the initiator proves it can receive (RFC 9260 section 5.1.3): "the State Cookie [...] MUST contain
 * a MAC [...] a timestamp on when the State Cookie is created, and the lifespan of the State Cookie".
 *
 * <p>Layout: peer initiate tag, peer initial TSN, peer a_rwnd, peer stream counts, creation time in milliseconds,
 * then HMAC-SHA256 over all of it with a secret that never leaves this object.
 */
final class StateCookie {
    /**
     * How long a cookie stays valid: ten minutes, not RFC 9260 section 16's suggested "Valid.Cookie.Life: 60
     * seconds". A client retransmits its COOKIE ECHO with the cookie it first got, up to Max.Init.Retransmits (8)
     * times with the timeout doubling to RTO.Max (60 s): on a lossy path the cookie is older than 60 s long before
     * the client gives up, and a stale cookie would make the whole handshake fail (found by
     * {@code AssociationProperties} at 19 % loss). Ten minutes outlasts 8 retransmissions at RTO.Max (480 s). The
     * shorter life guards against replayed cookies; here SCTP runs inside one remote's DTLS session, so only that
     * remote can send one at all.
     */
    static final long LIFE_NANOS = 600_000_000_000L;
    private static final int FIELDS = 4 + 4 + 4 + 2 + 2 + 8;
    private static final int MAC_LENGTH = 32;

    /** What the cookie carries from the INIT. */
    record Contents(int peerTag, int peerInitialTsn, int peerArwnd, int peerOutboundStreams, int peerInboundStreams) {
    }

    private final byte[] secret = new byte[32];

    StateCookie(SecureRandom random) {
        random.nextBytes(secret);
    }

    byte[] make(Chunk.Init init, long nowNanos) {
        ByteBuffer out = ByteBuffer.allocate(FIELDS + MAC_LENGTH);
        out.putInt(init.initiateTag()).putInt(init.initialTsn()).putInt(init.arwnd())
                .putShort((short) init.outboundStreams()).putShort((short) init.inboundStreams()).putLong(nowNanos);
        out.put(mac(out.array()));
        return out.array();
    }

    /** The contents of a cookie we made, unaltered and younger than its life; otherwise an exception. */
    Contents open(byte[] cookie, long nowNanos) throws SctpException {
        Contents contents = authenticate(cookie);
        long age = nowNanos - ByteBuffer.wrap(cookie).getLong(FIELDS - 8);
        if (age > LIFE_NANOS || age < 0) {
            throw new SctpException("sctp: stale state cookie (" + age / 1_000_000 + " ms old)");
        }
        return contents;
    }

    /**
     * The contents of a cookie we made and nobody altered, whatever its age. RFC 9260 section 5.2.4: for an
     * existing association, a cookie's age matters only when its tags do not match the association's, so a
     * COOKIE ECHO retransmitted for longer than the cookie's life (its COOKIE ACKs lost) is still answered.
     */
    Contents authenticate(byte[] cookie) throws SctpException {
        if (cookie.length != FIELDS + MAC_LENGTH) {
            throw new SctpException("sctp: state cookie has " + cookie.length + " bytes, not " + (FIELDS + MAC_LENGTH));
        }
        byte[] expected = mac(cookie);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(cookie, FIELDS, FIELDS + MAC_LENGTH))) {
            throw new SctpException("sctp: state cookie fails its mac");
        }
        ByteBuffer in = ByteBuffer.wrap(cookie);
        return new Contents(in.getInt(), in.getInt(), in.getInt(), in.getShort() & 0xffff, in.getShort() & 0xffff);
    }

    private byte[] mac(byte[] cookie) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(cookie, 0, FIELDS);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new AssertionError("every JDK has HmacSHA256", e);
        }
    }
}
