/**
 * weft: a libp2p networking stack on virtual threads and blocking sockets.
 *
 * <p>The packages read bottom-up like the libp2p stack; dependencies point only down:
 *
 * <pre>
 *   protocol.ping / identify / echo / perf     application protocols on streams
 *   host                                       Host: listen, dial, streams, handlers
 *   connection                                 Connection, Upgrader (raw → secured → muxed)
 *   mux, mux.yamux                             stream multiplexing        specs/yamux
 *   security, security.noise                   authenticated encryption  specs/noise
 *   multistream                                protocol negotiation       multistream-select 1.0
 *   transport, transport.tcp / websocket       raw byte streams           RFC 6455 (ws)
 *   io                                         writer thread, bounded buffers, framing
 *   crypto                                     keys and peer IDs          specs/peer-ids
 *   multiformats                               varint, multibase, multihash, multiaddr
 *   trace                                      the wire trace every layer above reports to
 * </pre>
 *
 * <p>This package holds only the exceptions that cross layers: {@link weft.ConnectionClosedException},
 * {@link weft.ProtocolViolationException} and {@link weft.ResourceLimitException}, and {@link weft.Rethrowable}, how a
 * failure recorded once (a reset, a dead connection) is thrown to many callers: each gets its own copy.
 *
 * @see <a href="https://github.com/libp2p/specs">libp2p specifications</a>
 */
package weft;
