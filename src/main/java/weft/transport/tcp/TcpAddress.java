package weft.transport.tcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import weft.multiformats.Multiaddr;
import weft.multiformats.MultiformatException;

/**
 * A multiaddr of the shape TCP handles, taken apart: {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>}, an IPv6
 * address optionally after {@code /ip6zone/<zone>}.
 *
 * @param ip the address for {@code ip4}/{@code ip6}, null for a DNS name
 * @param host the name (or the literal's text)
 * @param family which results of name resolution count ({@code dns4}: IPv4 only)
 */
record TcpAddress(InetAddress ip, String host, int port, Family family) {
    enum Family {
        ANY, IPV4, IPV6;

        String describe() {
            return switch (this) {
                case ANY -> "IP";
                case IPV4 -> "IPv4";
                case IPV6 -> "IPv6";
            };
        }
    }

    /** The parts of {@code address}, or null if it is not exactly host + tcp port. */
    static TcpAddress parse(Multiaddr address) {
        List<Multiaddr.Component> parts = address.components();
        int host = !parts.isEmpty() && parts.get(0).protocol().equals("ip6zone") ? 1 : 0;
        if (parts.size() != host + 2 || !parts.get(host + 1).protocol().equals("tcp")) {
            return null;
        }
        Multiaddr.Component name = parts.get(host);
        int port = Integer.parseInt(parts.get(host + 1).value());
        try {
            return switch (name.protocol()) {
                case "ip4", "ip6" -> {
                    if (host == 1 && name.protocol().equals("ip4")) {
                        yield null;
                    }
                    InetSocketAddress socket = address.toSocketAddress();
                    yield new TcpAddress(socket.getAddress(), name.value(), port, Family.ANY);
                }
                case "dns" -> host == 0 ? new TcpAddress(null, name.value(), port, Family.ANY) : null;
                case "dns4" -> host == 0 ? new TcpAddress(null, name.value(), port, Family.IPV4) : null;
                case "dns6" -> host == 0 ? new TcpAddress(null, name.value(), port, Family.IPV6) : null;
                default -> null;
            };
        } catch (MultiformatException e) {
            // an ip6zone naming an interface this machine does not have
            return null;
        }
    }
}
