/**
 * TCP, the transport every libp2p implementation speaks: {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>}.
 *
 * <p>Built on blocking {@link java.net.Socket}s: on a virtual thread a blocked read or write parks only that
 * thread. Sockets get {@code TCP_NODELAY} and 30 s keep-alive probes (as go-libp2p's
 * {@code p2p/transport/tcp/tcp.go}); port 0 listens on an ephemeral port and the listener reports the real one.
 * There is no connection reuse of ports (go's {@code SO_REUSEPORT} dialing) yet.
 *
 * <p>Threads: none of its own. {@code dial} runs on the caller's thread; {@code accept} on the host's accept
 * thread.
 *
 * <pre>{@code
 * TcpTransport tcp = new TcpTransport();
 * Listener listener = tcp.listen(Multiaddr.parse("/ip6/::1/tcp/0"));
 * RawConnection conn = tcp.dial(listener.addresses().get(0), Duration.ofSeconds(5));
 * conn.output().write("hello".getBytes(StandardCharsets.UTF_8));
 * listener.accept().input().readNBytes(5);                    // "hello"
 * }</pre>
 */
package weft.transport.tcp;
