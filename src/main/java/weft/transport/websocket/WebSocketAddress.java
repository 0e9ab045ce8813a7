package weft.transport.websocket;

import java.util.List;
import weft.multiformats.Multiaddr;

/**
 * A WebSocket multiaddr taken apart: a TCP address, then {@code /ws} (plain) or {@code /wss}, {@code /tls/ws} or
 * {@code /tls/sni/<name>/ws} (over TLS). {@code /wss} is the older spelling of {@code /tls/ws}; go-libp2p and
 * js-libp2p ({@code @multiformats/multiaddr-matcher}'s {@code WebSocketsSecure}) accept both.
 *
 * @param tcp the TCP part, {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>}
 * @param secure TLS under the WebSocket
 * @param serverName the TLS server name to send (SNI) and to check the certificate against: the {@code sni} value,
 *     else the DNS name; null for an IP literal with no {@code sni} (RFC 6066 §3: "Literal IPv4 and IPv6 addresses
 *     are not permitted in 'HostName'")
 * @param host the {@code Host} header of the upgrade request (RFC 6455 §4.1: host, then {@code :port} unless the
 *     port is the scheme's default)
 */
record WebSocketAddress(Multiaddr tcp, boolean secure, String serverName, String host) {
    /** The parts of {@code address} (without {@code /p2p/...}), or null if it is not a WebSocket address. */
    static WebSocketAddress parse(Multiaddr address) {
        List<Multiaddr.Component> parts = address.components();
        int tcpEnd = -1;
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).protocol().equals("tcp")) {
                tcpEnd = i + 1;
                break;
            }
        }
        if (tcpEnd < 2) {
            return null; // no tcp, or no host before it
        }
        List<String> rest = parts.subList(tcpEnd, parts.size()).stream().map(Multiaddr.Component::protocol).toList();
        String sni = null;
        boolean secure;
        if (rest.equals(List.of("ws"))) {
            secure = false;
        } else if (rest.equals(List.of("wss")) || rest.equals(List.of("tls", "ws"))) {
            secure = true;
        } else if (rest.equals(List.of("tls", "sni", "ws"))) {
            secure = true;
            sni = parts.get(tcpEnd + 1).value();
        } else {
            return null;
        }
        Multiaddr tcp = address.decapsulate(parts.get(tcpEnd).protocol());
        Multiaddr.Component name = parts.get(tcpEnd - 2);
        int port = Integer.parseInt(parts.get(tcpEnd - 1).value());
        boolean dns = name.protocol().startsWith("dns");
        String hostName = name.protocol().equals("ip6") ? "[" + name.value() + "]" : name.value();
        String host = port == (secure ? 443 : 80) ? hostName : hostName + ":" + port;
        return new WebSocketAddress(tcp, secure, sni != null ? sni : dns ? name.value() : null, host);
    }

    /** The address of a connection's end: the socket's TCP address with {@code /ws} or {@code /wss}. */
    static Multiaddr of(Multiaddr tcp, boolean secure) {
        return tcp.encapsulate(secure ? "/wss" : "/ws");
    }
}
