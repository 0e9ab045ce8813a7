/**
 * WebSocket, the transport browsers can dial: {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>/ws}, and
 * {@code /wss} (or {@code /tls/ws}) with TLS underneath. RFC 6455 (https://www.rfc-editor.org/rfc/rfc6455), as
 * libp2p uses it (libp2p specs have no WebSocket document; go-libp2p {@code p2p/transport/websocket} and
 * js-libp2p {@code @libp2p/websockets} 10 define the practice): the libp2p connection is a byte stream carried in
 * the payloads of binary messages, and message boundaries mean nothing. The upgrade (multistream-select, Noise or
 * TLS, yamux) then runs over it exactly as over TCP.
 *
 * <p>The pieces, in the order bytes meet them:
 * <ul>
 *   <li>{@link weft.transport.websocket.WebSocketTransport}: TCP connect or bind (via
 *       {@link weft.transport.tcp.TcpTransport}), TLS for {@code wss} from the JDK ({@code SSLSocket}, default
 *       trust store, SNI and host name check), then the opening handshake.
 *   <li>{@code Handshake}: the HTTP/1.1 {@code GET ... Upgrade: websocket} and its {@code 101} answer, with the
 *       {@code Sec-WebSocket-Accept} check (RFC 6455 §4). A request that is not an upgrade gets {@code 400}.
 *   <li>{@code Frame}: the §5.2 frame header, masking (§5.3) and every check a receiver must make.
 *   <li>{@code WebSocketConnection}: frames as an {@code InputStream}/{@code OutputStream} pair; answers Ping
 *       with Pong and Close with Close; fails the connection with a Close frame and a
 *       {@link weft.transport.websocket.WebSocketProtocolException} when the peer breaks a rule.
 *   <li>{@code WebSocketListener}: accept thread, one handshake thread per client, a queue of ready connections.
 * </ul>
 *
 * <p>Roles: the dialer is the WebSocket client (masks its frames, "a client MUST mask all frames that it sends to
 * the server", §5.1) and the libp2p initiator; the listener is the server.
 *
 * <p>Why written here instead of taken from a library: weft runs blocking sockets on virtual threads, and RFC 6455
 * framing is a few hundred lines. The JDK's {@code java.net.http.WebSocket} is a client only, asynchronous and
 * message-oriented (listener callbacks, {@code CompletableFuture}s), and has no server; Netty, Undertow, Jetty and
 * Grizzly are non-blocking frameworks with their own threads and buffers; Java-WebSocket (TooTallNate) runs its own
 * selector threads and callback API. Each would need an adapter back to a blocking byte stream larger than the
 * framing itself, and a dependency to keep current.
 *
 * <p>Threads: none of its own besides the listener's accept thread and one short-lived handshake thread per
 * inbound client (all virtual). A connection is read by one thread (the upgrader's, then the muxer's reader) and
 * written by one (the connection writer); the reader sends its Pong and Close replies through the same lock as the
 * writer, never waiting for it.
 *
 * <pre>{@code
 * WebSocketTransport ws = new WebSocketTransport();
 * Listener listener = ws.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws"));
 * RawConnection conn = ws.dial(listener.addresses().get(0), Duration.ofSeconds(5));   // .../tcp/40123/ws
 * conn.output().write("hello".getBytes(StandardCharsets.UTF_8));                       // one binary frame
 * listener.accept().input().readNBytes(5);                                             // "hello"
 * }</pre>
 */
package weft.transport.websocket;
