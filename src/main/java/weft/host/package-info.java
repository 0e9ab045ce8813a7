/**
 * The host: a libp2p node you can use from plain Java. It owns the transports (TCP and WebSocket; each address
 * goes to the first that accepts its shape; QUIC and, listen-only, WebRTC-direct, which secure and multiplex their
 * connections themselves), the upgrader (the configured security protocols, Noise and TLS, and
 * muxers, yamux and mplex, in order of preference) and the connections, and routes inbound streams to protocol
 * handlers.
 *
 * <p>What it does, as go-libp2p's {@code p2p/host/basic} does it: listens on its addresses, advertising a
 * wildcard listener ({@code /ip4/0.0.0.0}, {@code /ip6/::}) as this machine's interface addresses on the bound
 * port; dials a multiaddr and reuses the open connection to that peer; opens streams and selects their protocol
 * with multistream-select; answers inbound streams with the registered {@link weft.host.StreamHandler} (a protocol
 * nobody registered gets {@code na}); runs identify on every new connection and keeps the answer, its listen
 * addresses in a bounded address book that {@code connect(PeerId)} dials from; serves ping and identify always,
 * echo and perf when configured.
 *
 * <p>Threads: all virtual. One accept loop per listener, one upgrade per inbound connection (a failure closes
 * that connection only), one stream-accepting thread per connection, one thread per inbound stream for its
 * handler (an exception resets only that stream). The methods you call do their IO on your thread.
 *
 * <p>Bounds: every peer may be hostile, so each resource a peer can make us spend has a bound in
 * {@link weft.host.Limits} (connections in total, per peer and mid-upgrade; protocol negotiation per stream; an
 * optional idle timeout), {@link weft.host.HostConfig#upgradeTimeout()} (multistream, security handshake and
 * muxer selection together) and the muxer's config (streams, accept backlog, summed receive windows). Each bound
 * ends in a closed connection or a reset stream with a libp2p error code ({@link weft.mux.ErrorCode}) and a debug
 * log line; the {@link weft.host.Host} type doc lists them.
 *
 * <pre>{@code
 * try (Host host = Host.start(HostConfig.defaults().withEcho(true)
 *         .withListenAddresses(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))))) {
 *     System.out.println(host.addresses());             // [/ip4/127.0.0.1/tcp/40123/p2p/12D3KooW...]
 *     MuxedStream s = host.newStream(peerAddress, Echo.PROTOCOL_ID);
 *     byte[] back = Echo.echo(s, "hi".getBytes(StandardCharsets.UTF_8));
 * }
 * }</pre>
 */
package weft.host;
