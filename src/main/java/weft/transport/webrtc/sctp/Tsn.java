package weft.transport.webrtc.sctp;

import java.util.Comparator;

/**
 * TSN and sequence-number arithmetic modulo 2^32 (RFC 9260 section 1.6: "Serial Number Arithmetic" as RFC 1982
 * defines it). {@code a} is before {@code b} when {@code b - a}, as a 32-bit signed number, is positive.
 */
final class Tsn {
    /** Orders TSNs that lie within 2^31 of each other, which every window here guarantees. */
    static final Comparator<Integer> ORDER = (a, b) -> Integer.signum(a - b);

    private Tsn() {
    }

    static boolean before(int a, int b) {
        return a - b < 0;
    }

    static boolean atOrBefore(int a, int b) {
        return a - b <= 0;
    }
}
