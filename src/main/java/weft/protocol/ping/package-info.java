/**
 * Ping, {@code /ipfs/ping/1.0.0}: a liveness check and RTT measurement on an established connection.
 *
 * <p>Spec: libp2p specs {@code ping/ping.md} (r0, 2022-11-04), https://github.com/libp2p/specs/blob/master/ping/ping.md.
 * The client opens a stream and writes 32 random bytes; the server writes the same 32 bytes back; the client
 * measures the time between. Both may repeat on the same stream; the client ends by half-closing, and the server
 * then closes. The spec's diagram:
 *
 * <pre>
 * loop until Client closes write
 *     Client -> Server: 32 random bytes
 *     Client <- Server: Same 32 random bytes
 * </pre>
 *
 * <p>Limits, from go-libp2p ({@code p2p/protocol/ping/ping.go}): a server closes a stream after 10 s without a
 * ping. The spec also says a peer "MUST NOT" keep more than one outbound ping stream per peer and should accept at
 * most two inbound; enforcing that is the host's job.
 *
 * <p>Threads: both sides run on the stream's own (virtual) thread and block in reads and writes.
 *
 * <pre>{@code
 * MuxedStream stream = host.newStream(peer, Ping.PROTOCOL_ID);
 * Duration rtt = Ping.ping(stream);
 * stream.closeWrite();
 * // on the other side, the handler for Ping.PROTOCOL_ID:
 * Ping.serve(stream);
 * }</pre>
 */
package weft.protocol.ping;
