package weft.multiformats;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A self-describing network address: a path of protocols, each with its value, such as
 * {@code /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW...}. The multiaddr spec (multiformats/multiaddr {@code README.md},
 * "Specification"): "Human-readable multiaddr: {@code (/<protoName string>/<value string>)+}", "Machine-readable
 * multiaddr: {@code (<protoCode uvarint><value []byte>)+}"; a value is either the fixed size its protocol defines
 * or {@code uvarint(length) || bytes}.
 *
 * <pre>
 * /ip4/127.0.0.1/udp/1234   =  04 7f000001  91 02 04d2
 *                               ip4 address  udp   port
 * </pre>
 *
 * <p>An immutable value. {@link #toString()} is the canonical text (so {@code /ipfs/Qm...} prints as
 * {@code /p2p/Qm...}, a CID peer ID as base58, a certhash in base64url); {@link #equals} compares the binary form.
 * The protocols it knows are those of the multicodec table that libp2p uses (see {@link MultiaddrProtocol}).
 *
 * <p>Every parser here throws {@link MultiformatException} with a message that says what was wrong and never
 * looks a name up in DNS: IP literals are parsed by hand.
 */
public final class Multiaddr {
    private final List<Component> components;
    private final byte[] bytes;
    private final String text;

    private Multiaddr(List<Component> components) {
        this.components = List.copyOf(components);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder sb = new StringBuilder();
        for (Component c : this.components) {
            c.protocol.writeTo(out, c.valueBytes);
            sb.append(c);
        }
        this.bytes = out.toByteArray();
        this.text = sb.toString();
    }

    /**
     * Parses the text form. A trailing {@code /} is ignored (as in go-multiaddr); {@code ipfs} is read as
     * {@code p2p}; a {@code unix} value is the rest of the address ({@code /unix/tmp/p2p.sock}).
     *
     * @throws MultiformatException for an unknown protocol, a missing or invalid value, or an empty address
     */
    public static Multiaddr parse(String text) {
        if (!text.startsWith("/")) {
            throw new MultiformatException("multiaddr: must begin with '/' ('" + text + "')");
        }
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '/') {
            end--;
        }
        String[] parts = text.substring(0, end).split("/", -1);
        if (parts.length < 2) {
            throw new MultiformatException("multiaddr: empty address ('" + text + "')");
        }
        List<Component> components = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            MultiaddrProtocol protocol = MultiaddrProtocol.forName(parts[i]);
            if (!protocol.hasValue()) {
                components.add(new Component(protocol, new byte[0]));
                continue;
            }
            if (i + 1 >= parts.length) {
                throw new MultiformatException("multiaddr: " + protocol.text + " needs a value ('" + text + "')");
            }
            String value;
            if (protocol.isPath()) {
                value = "/" + String.join("/", Arrays.asList(parts).subList(i + 1, parts.length));
                i = parts.length;
            } else {
                value = parts[++i];
            }
            components.add(new Component(protocol, protocol.parseValue(value)));
        }
        return new Multiaddr(components);
    }

    /**
     * Decodes the binary form, as carried in identify's {@code listenAddrs} and {@code observedAddr}.
     *
     * @throws MultiformatException for an unknown code, a truncated or invalid value, an empty input, or any
     *     component after a {@code unix} path
     */
    public static Multiaddr fromBytes(byte[] bytes) {
        if (bytes.length == 0) {
            throw new MultiformatException("multiaddr: empty address (0 bytes)");
        }
        List<Component> components = new ArrayList<>();
        int offset = 0;
        while (offset < bytes.length) {
            if (!components.isEmpty() && components.get(components.size() - 1).protocol.isPath()) {
                throw new MultiformatException("multiaddr: nothing may follow a unix path (" + (bytes.length - offset)
                        + " bytes left at offset " + offset + ")");
            }
            UnsignedVarint.Decoded code = varintAt(bytes, offset, "protocol code");
            MultiaddrProtocol protocol = MultiaddrProtocol.forCode(code.value());
            offset += code.length();
            long size = protocol.value.size;
            if (size < 0) {
                UnsignedVarint.Decoded length = varintAt(bytes, offset, protocol.text + " value length");
                offset += length.length();
                size = length.value();
            }
            if (size > bytes.length - offset) {
                throw new MultiformatException("multiaddr: truncated " + protocol.text + " value (needs " + size
                        + " bytes, " + (bytes.length - offset) + " left)");
            }
            byte[] value = Arrays.copyOfRange(bytes, offset, offset + (int) size);
            protocol.checkValue(value);
            components.add(new Component(protocol, value));
            offset += (int) size;
        }
        return new Multiaddr(components);
    }

    private static UnsignedVarint.Decoded varintAt(byte[] bytes, int offset, String what) {
        try {
            return UnsignedVarint.decode(bytes, offset, bytes.length);
        } catch (MultiformatException e) {
            throw new MultiformatException("multiaddr: bad " + what + " at offset " + offset + ": " + e.getMessage(), e);
        }
    }

    /**
     * The address of a socket: {@code /ip4/<a>/tcp/<port>}, {@code /ip6/<a>/udp/<port>}, or {@code /dns/<host>/...}
     * for an unresolved address. A scoped IPv6 address gets an {@code ip6zone} component first.
     *
     * @param transport {@code "tcp"} or {@code "udp"}
     */
    public static Multiaddr fromSocketAddress(InetSocketAddress address, String transport) {
        MultiaddrProtocol port = switch (transport) {
            case "tcp" -> MultiaddrProtocol.TCP;
            case "udp" -> MultiaddrProtocol.UDP;
            default -> throw new IllegalArgumentException("multiaddr: transport must be tcp or udp, not " + transport);
        };
        List<Component> components = new ArrayList<>();
        InetAddress ip = address.getAddress();
        if (ip == null) {
            components.add(component(MultiaddrProtocol.DNS, address.getHostString()));
        } else if (ip instanceof Inet4Address) {
            components.add(new Component(MultiaddrProtocol.IP4, ip.getAddress()));
        } else {
            Inet6Address ip6 = (Inet6Address) ip;
            if (ip6.getScopedInterface() != null) {
                components.add(component(MultiaddrProtocol.IP6ZONE, ip6.getScopedInterface().getName()));
            } else if (ip6.getScopeId() != 0) {
                components.add(component(MultiaddrProtocol.IP6ZONE, Integer.toString(ip6.getScopeId())));
            }
            components.add(new Component(MultiaddrProtocol.IP6, ip6.getAddress()));
        }
        components.add(component(port, Integer.toString(address.getPort())));
        return new Multiaddr(components);
    }

    private static Component component(MultiaddrProtocol protocol, String value) {
        return new Component(protocol, protocol.parseValue(value));
    }

    /** The binary form (a copy). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The protocol-value tuples, outermost (first) to innermost. */
    public List<Component> components() {
        return components;
    }

    /** True for the address with no components, which only {@link #decapsulate} can produce. */
    public boolean isEmpty() {
        return components.isEmpty();
    }

    /** This address with {@code inner} appended: {@code /ip4/1.2.3.4/tcp/80} + {@code /ws}. */
    public Multiaddr encapsulate(Multiaddr inner) {
        List<Component> joined = new ArrayList<>(components);
        joined.addAll(inner.components);
        return fromBytesOf(joined);
    }

    /** Same as {@code encapsulate(Multiaddr.parse(inner))}. */
    public Multiaddr encapsulate(String inner) {
        return encapsulate(parse(inner));
    }

    /**
     * Removes the last occurrence of {@code suffix} and everything after it, as go-multiaddr and js do:
     * {@code /ip4/1.2.3.4/udp/1/quic-v1} minus {@code /udp/1} is {@code /ip4/1.2.3.4}. Returns this address
     * unchanged when {@code suffix} does not occur in it.
     */
    public Multiaddr decapsulate(Multiaddr suffix) {
        List<Component> needle = suffix.components;
        if (needle.isEmpty()) {
            return this;
        }
        for (int start = components.size() - needle.size(); start >= 0; start--) {
            if (components.subList(start, start + needle.size()).equals(needle)) {
                return new Multiaddr(components.subList(0, start));
            }
        }
        return this;
    }

    /**
     * With text that starts with {@code /}, {@link #decapsulate(Multiaddr)} of the parsed address; otherwise a
     * protocol name, and this removes the last component of that protocol and everything after it:
     * {@code /ip4/1.2.3.4/tcp/80/p2p/Qm...} minus {@code "tcp"} is {@code /ip4/1.2.3.4}.
     */
    public Multiaddr decapsulate(String suffixOrProtocolName) {
        if (suffixOrProtocolName.startsWith("/")) {
            return decapsulate(parse(suffixOrProtocolName));
        }
        MultiaddrProtocol protocol = MultiaddrProtocol.forName(suffixOrProtocolName);
        for (int i = components.size() - 1; i >= 0; i--) {
            if (components.get(i).protocol == protocol) {
                return new Multiaddr(components.subList(0, i));
            }
        }
        return this;
    }

    /**
     * The text value of the first component of {@code protocolName}, if any ("" for protocols without one).
     *
     * @throws MultiformatException if no protocol has that name
     */
    public Optional<String> valueOf(String protocolName) {
        MultiaddrProtocol protocol = MultiaddrProtocol.forName(protocolName);
        for (Component c : components) {
            if (c.protocol == protocol) {
                return Optional.of(c.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The peer ID this address dials, as its multihash bytes: the value of the last component when that is
     * {@code p2p}. In {@code /ip4/.../p2p/QmRelay/p2p-circuit} the relay's ID is not the address's peer ID, so
     * this is empty, as go-libp2p's {@code peer.SplitAddr} has it.
     */
    public Optional<byte[]> peerIdBytes() {
        if (components.isEmpty()) {
            return Optional.empty();
        }
        Component last = components.get(components.size() - 1);
        return last.protocol == MultiaddrProtocol.P2P ? Optional.of(last.valueBytes()) : Optional.empty();
    }

    /** The base58btc text of {@link #peerIdBytes()}: {@code 12D3KooW...}. */
    public Optional<String> peerId() {
        return peerIdBytes().map(Base58::encode);
    }

    /** This address without its trailing {@code /p2p/<id>}, or this address if it has none. */
    public Multiaddr withoutPeerId() {
        return peerIdBytes().isPresent() ? new Multiaddr(components.subList(0, components.size() - 1)) : this;
    }

    /**
     * The socket address of a host followed by a port: the first two components must be {@code ip4}, {@code ip6}
     * (optionally after {@code ip6zone}) or {@code dns}/{@code dns4}/{@code dns6}, then {@code tcp} or {@code udp};
     * anything after them ({@code /ws}, {@code /quic-v1}, {@code /p2p/...}) is ignored.
     *
     * <p>A DNS name is not resolved here: the result is {@link InetSocketAddress#createUnresolved} and the socket
     * resolves it on connect (a {@code dns4}/{@code dns6} caller that cares about the family resolves it itself).
     *
     * @throws MultiformatException if the address does not start with a host and a tcp or udp port, or names an
     *     IPv6 zone this machine has no interface for
     */
    public InetSocketAddress toSocketAddress() {
        int i = 0;
        String zone = null;
        if (!components.isEmpty() && components.get(0).protocol == MultiaddrProtocol.IP6ZONE) {
            zone = components.get(0).value();
            i = 1;
        }
        if (components.size() < i + 2) {
            throw notSocket();
        }
        Component host = components.get(i);
        Component port = components.get(i + 1);
        if (port.protocol != MultiaddrProtocol.TCP && port.protocol != MultiaddrProtocol.UDP) {
            throw notSocket();
        }
        int portNumber = Integer.parseInt(port.value());
        if (zone != null && host.protocol != MultiaddrProtocol.IP6) {
            throw notSocket();
        }
        return switch (host.protocol) {
            case IP4 -> new InetSocketAddress(inetAddress(host.valueBytes, null), portNumber);
            case IP6 -> new InetSocketAddress(inetAddress(host.valueBytes, zone), portNumber);
            case DNS, DNS4, DNS6 -> InetSocketAddress.createUnresolved(host.value(), portNumber);
            default -> throw notSocket();
        };
    }

    /** An address from its bytes; never a DNS lookup. A zone is a numeric scope id or an interface name. */
    private InetAddress inetAddress(byte[] ip, String zone) {
        try {
            if (zone == null) {
                return InetAddress.getByAddress(ip);
            }
            if (zone.chars().allMatch(c -> c >= '0' && c <= '9') && zone.length() < 10) {
                return Inet6Address.getByAddress(null, ip, Integer.parseInt(zone));
            }
            NetworkInterface nif = NetworkInterface.getByName(zone);
            if (nif == null) {
                throw new MultiformatException("multiaddr: no network interface '" + zone + "' for ip6zone (" + text
                        + ")");
            }
            return Inet6Address.getByAddress(null, ip, nif);
        } catch (UnknownHostException | SocketException e) {
            throw new MultiformatException("multiaddr: cannot use ip6zone '" + zone + "' (" + text + "): "
                    + e.getMessage(), e);
        }
    }

    private MultiformatException notSocket() {
        return new MultiformatException("multiaddr: " + text + " is not ip4|ip6|dns followed by tcp|udp");
    }

    private static Multiaddr fromBytesOf(List<Component> components) {
        Multiaddr joined = new Multiaddr(components);
        // Joining may put something after a unix path; re-decoding applies every rule of fromBytes.
        return joined.isEmpty() ? joined : fromBytes(joined.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr m && Arrays.equals(m.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The canonical text form; {@code ""} for the empty address. */
    @Override
    public String toString() {
        return text;
    }

    /**
     * One protocol-value tuple: {@code /tcp/4001} is protocol {@code "tcp"}, code 6, value {@code "4001"}, value
     * bytes {@code 0f a1}. Protocols without a value ({@code ws}, {@code p2p-circuit}) have value {@code ""} and
     * no value bytes.
     */
    public static final class Component {
        private final MultiaddrProtocol protocol;
        private final byte[] valueBytes;
        private final String value;

        Component(MultiaddrProtocol protocol, byte[] valueBytes) {
            this.protocol = protocol;
            this.valueBytes = valueBytes;
            this.value = protocol.formatValue(valueBytes);
        }

        /** The protocol name, as in the text form: {@code "ip4"}, {@code "p2p"}, {@code "quic-v1"}. */
        public String protocol() {
            return protocol.text;
        }

        /** The multicodec code: 0x04 for ip4, 0x01a5 for p2p. */
        public int code() {
            return protocol.code;
        }

        /** The value in canonical text ({@code ""} if the protocol has none). */
        public String value() {
            return value;
        }

        /** The value as it is on the wire, without the length prefix (a copy). */
        public byte[] valueBytes() {
            return valueBytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.valueBytes, valueBytes);
        }

        @Override
        public int hashCode() {
            return 31 * protocol.hashCode() + Arrays.hashCode(valueBytes);
        }

        /** {@code /tcp/4001}, {@code /ws}, {@code /unix/tmp/p2p.sock}. */
        @Override
        public String toString() {
            if (!protocol.hasValue()) {
                return "/" + protocol.text;
            }
            return protocol.isPath() ? "/" + protocol.text + value : "/" + protocol.text + "/" + value;
        }
    }
}
