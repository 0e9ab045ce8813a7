package weft.transport.quic;

import java.net.InetSocketAddress;
import java.util.List;
import weft.multiformats.Multiaddr;
import weft.multiformats.MultiformatException;

/**
 * The multiaddrs QUIC v1 handles: {@code /ip4|ip6/<ip>/udp/<port>/quic-v1} (an IPv6 address optionally after
 * {@code /ip6zone/<zone>}), libp2p specs {@code quic/README.md}. {@code /quic} (draft-29) is not spoken, as current
 * go-libp2p and js-libp2p no longer do.
 */
final class QuicAddress {
    /** The multiaddr protocol name of QUIC v1 (RFC 9000). */
    static final String QUIC_V1 = "quic-v1";

    private QuicAddress() {}

    /** The UDP socket address of {@code address} (no {@code /p2p/}), or null if it is not of the shape above. */
    static InetSocketAddress parse(Multiaddr address) {
        List<Multiaddr.Component> parts = address.components();
        int host = !parts.isEmpty() && parts.get(0).protocol().equals("ip6zone") ? 1 : 0;
        if (parts.size() != host + 3
                || !parts.get(host + 1).protocol().equals("udp")
                || !parts.get(host + 2).protocol().equals(QUIC_V1)) {
            return null;
        }
        String ip = parts.get(host).protocol();
        if (!ip.equals("ip6") && !(ip.equals("ip4") && host == 0)) {
            return null;
        }
        try {
            return address.decapsulate(QUIC_V1).toSocketAddress();
        } catch (MultiformatException e) { // an ip6zone naming an interface this machine does not have
            return null;
        }
    }

    /** {@code /ip4|ip6/<ip>/udp/<port>/quic-v1} of a socket address. */
    static Multiaddr multiaddr(InetSocketAddress address) {
        return Multiaddr.fromSocketAddress(address, "udp").encapsulate("/" + QUIC_V1);
    }
}
