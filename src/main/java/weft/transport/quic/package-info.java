/**
 * QUIC v1: transport, security and stream multiplexing in one protocol, as libp2p runs it.
 *
 * <p>Specs: <a href="https://github.com/libp2p/specs/blob/master/quic/README.md">libp2p QUIC</a> (multiaddr
 * {@code /udp/<port>/quic-v1}, ALPN {@code libp2p}, the certificate of
 * <a href="https://github.com/libp2p/specs/blob/master/tls/tls.md">libp2p TLS</a>, QUIC streams used directly as
 * libp2p streams), <a href="https://www.rfc-editor.org/rfc/rfc9000">RFC 9000</a> (QUIC) and
 * <a href="https://www.rfc-editor.org/rfc/rfc9001">RFC 9001</a> (TLS in QUIC). Interoperates with go-libp2p
 * (quic-go), rust-libp2p and js-libp2p's {@code @chainsafe/libp2p-quic} (both quinn).
 *
 * <h2>Roles</h2>
 * The dialer is the QUIC and TLS client, the listener the server; both present a libp2p certificate and the server
 * requires the client's. The dialer checks that the certificate proves the peer ID of the {@code /p2p/} it dialed
 * ({@link weft.security.PeerIdMismatchException} otherwise). Either side opens streams: client streams have even
 * ids (0, 4, 8, ...), server streams odd ones (1, 5, ...), RFC 9000 §2.1.
 *
 * <h2>What maps to what</h2>
 * <pre>
 * weft                          QUIC
 * Connection.openStream()       a new bidirectional stream (waits for the peer's MAX_STREAMS)
 * MuxedStream.closeWrite()      STREAM frame with FIN, after the data written before (with its last buffer)
 * MuxedStream.reset(code)       RESET_STREAM(code) and STOP_SENDING(code)
 * MuxedStream.close()           FIN, and STOP_SENDING(0) if the peer's data did not end yet
 * Connection.close()            CONNECTION_CLOSE, application error 0 (streams end at once)
 * flow control                  MAX_STREAM_DATA / MAX_DATA, granted as the application reads
 * </pre>
 *
 * <h2>Threads</h2>
 * Netty's QUIC codec (quiche and BoringSSL over JNI) runs on one event-loop group per {@link
 * weft.transport.quic.QuicTransport}: by default a single platform thread does the UDP IO, the QUIC and TLS work
 * and the timers of every connection and listener of the transport. A connection costs no thread (measured:
 * {@code bench/} {@code QuicPerf}, 0 platform threads per connection; the host adds one virtual thread per
 * connection and side that accepts streams, and one per stream for its handler). Application
 * threads (virtual) block in stream reads and writes; the event loop hands data over on demand and wakes them. Only
 * bounded amounts wait between the two: a read asks for one buffer at a time and keeps at most 256 KiB ahead, a
 * write blocks while 1 MiB waits for quiche, and quiche holds at most the flow-control windows
 * ({@link weft.transport.quic.QuicConfig}).
 *
 * <h2>The FIN rides with data</h2>
 * The quiche in netty 4.2.18 can lose a FIN sent on its own (quiche issue 2525): the side that closes last loses it
 * when the FIN waits behind a full congestion window and the acknowledgement of the data before it comes first. So
 * each stream channel's {@code FinCarrier} keeps the last buffer of a write back until the next write or the FIN,
 * which then carries it; it lets it go alone when the writer waits for an answer, or a millisecond after the last
 * call of the stream.
 *
 * <h2>Wire trace</h2>
 * A connection dialed or accepted with a {@link weft.trace.Trace} reports its start, the TLS handshake's outcome,
 * every stream frame weft asks quiche for or hears of and its end ({@code QuicTrace}); each stream's trace adds its
 * stream id, so multistream and the protocols on it show as they do on yamux.
 *
 * <h2>Dependency</h2>
 * netty's {@code io.netty:netty-codec-native-quic} with the native jar of the platform is optional for weft: without
 * it {@link weft.transport.quic.QuicTransport#isAvailable()} is false and a host has no QUIC. On Linux,
 * {@code io.netty:netty-transport-native-epoll} (classifier {@code linux-x86_64}, also optional) puts the UDP
 * sockets on epoll with GSO and GRO ({@code UdpChannels}); without it they are the JDK's NIO ones.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * QuicTransport quic = new QuicTransport(identity, QuicConfig.defaults());
 * SecureTransport.Listener listener = quic.listen(Multiaddr.parse("/ip4/0.0.0.0/udp/4001/quic-v1"));
 * Connection conn = quic.dial(Multiaddr.parse("/ip4/10.0.0.7/udp/4001/quic-v1/p2p/12D3KooW..."), null);
 * MuxedStream stream = conn.openStream();
 * stream.output().write(bytes);
 * }</pre>
 */
package weft.transport.quic;
