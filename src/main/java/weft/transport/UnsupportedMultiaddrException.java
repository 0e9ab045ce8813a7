package weft.transport;

import java.io.IOException;
import weft.multiformats.Multiaddr;

/**
 * A transport was asked to dial or listen on an address it cannot handle ({@code /ip4/1.2.3.4/udp/1/quic-v1} for
 * TCP, a {@code /dnsaddr} that needs resolving first). Checked, because such addresses come from peers and users:
 * a host trying several addresses skips this one and goes on.
 */
public class UnsupportedMultiaddrException extends IOException {
    private final transient Multiaddr address;

    public UnsupportedMultiaddrException(String message, Multiaddr address) {
        super(message);
        this.address = address;
    }

    public Multiaddr address() {
        return address;
    }
}
