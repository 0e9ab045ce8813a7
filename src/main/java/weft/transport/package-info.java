/**
 * Transports: how bytes get from one machine to another before libp2p does anything with them.
 *
 * <p>A {@link weft.transport.Transport} dials and listens on multiaddrs of its family and produces
 * {@link weft.transport.RawConnection}s: ordered, reliable, unauthenticated byte streams. The upgrader
 * ({@code weft.connection}) then runs multistream-select, a security handshake and a muxer over one (libp2p specs,
 * {@code connections/README.md}: "the process of upgrading a raw connection into a secure, multiplexed
 * connection"). Transports that bring their own security and streams (QUIC) skip the upgrade.
 *
 * <p>Roles: the dialer opens the connection and is the initiator of every handshake on it; the listener accepts
 * and is the responder. {@link weft.transport.UnsupportedMultiaddrException} says an address has the wrong shape
 * for a transport (checked: addresses come from peers).
 *
 * <p>Threads: {@code dial} blocks the calling thread; a {@link weft.transport.Listener} is driven by one accept
 * thread that hands each connection to a virtual thread of its own, so one bad connection never stops it. The
 * connections are plain blocking streams; reads come from one thread, writes from one thread.
 *
 * <pre>{@code
 * Transport tcp = new TcpTransport();
 * try (Listener listener = tcp.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))) {
 *     Multiaddr bound = listener.addresses().get(0);          // /ip4/127.0.0.1/tcp/40123
 *     RawConnection out = tcp.dial(bound, Duration.ofSeconds(5));
 *     RawConnection in = listener.accept();
 * }
 * }</pre>
 */
package weft.transport;
