/**
 * The wire trace: every layer of a connection reports what it sends and receives, decoded, one event at a time, so
 * that you can watch a connection come up and carry streams the way the specs describe it. The lines of one
 * {@code weft echo --dial ... --trace}:
 *
 * <pre>
 * +0.000ms c1 · connection outbound local=/ip4/127.0.0.1/tcp/53124 remote=/ip4/127.0.0.1/tcp/4001
 * +0.212ms c1 → multistream /multistream/1.0.0                       multistream-select: the header, then a proposal
 * +0.215ms c1 → multistream /noise
 * +1.030ms c1 ← multistream /multistream/1.0.0
 * +1.041ms c1 ← multistream /noise                                   the echo: Noise it is
 * +1.322ms c1 → noise handshake 1/3 tokens=e length=32               noise spec: XX, message by message
 * +3.410ms c1 ← noise handshake 2/3 tokens=e,ee,s,es length=216
 * +3.415ms c1 ← noise payload identity_key=36 identity_sig=64 stream_muxers=[/yamux/1.0.0]
 * +4.001ms c1 → noise handshake 3/3 tokens=s,se length=184
 * +4.120ms c1 · noise secured peer=12D3KooW... muxer=/yamux/1.0.0
 * +4.380ms c1 → yamux WINDOW_UPDATE SYN stream=1 delta=0 (recv window 262144)
 * +4.391ms c1 → multistream /multistream/1.0.0 stream=1              each stream negotiates its own protocol
 * +5.412ms c1 ← yamux WINDOW_UPDATE ACK stream=1 delta=0 (send window 262144)
 * </pre>
 *
 * <p>Each line: the time since the output's first event, the connection id (the same for every layer of one
 * connection), an arrow ({@code →} sent, {@code ←} received, {@code ·} measured or decided here), the layer, then
 * the event's fields ({@link weft.trace.TraceEvent}). The same events come as JSON lines for tools
 * ({@link weft.trace.TraceListener#jsonLines}). What each layer reports:
 * <ul>
 *   <li>{@code connection}: the raw connection's addresses, then the upgrade's outcome (peer, security, muxer);
 *   <li>{@code multistream}: every message sent and received, on the connection and on each stream;
 *   <li>{@code noise}: each XX message with its tokens and size, the fields each identity payload carries (sizes
 *       only: never a key, signature or secret), the outcome, then every transport message's size and nonce;
 *   <li>{@code tls}: the handshake's summary: version, cipher suite, ALPN offered and chosen, the peer it proved;
 *   <li>{@code yamux}: every frame with its flags, stream, length field and the stream's window after it; RTT
 *       samples; the session's end. {@code mplex}: every frame;
 *   <li>{@code quic}: the stream frames weft asks quiche for or hears of (STREAM opened or accepted, DATA sizes,
 *       FIN, RESET_STREAM and STOP_SENDING with their codes) and the connection's end; a QUIC connection's
 *       {@code connection} and {@code tls} lines come from the transport, as it has no upgrade
 *       ({@code weft.transport.quic.QuicTrace});
 *   <li>WebRTC-direct (listening side): {@code connection} when a remote's ClientHello passes the cookie check,
 *       {@code dtls} (cipher suite, the client certificate's fingerprint), {@code sctp} (the association's start and
 *       end), {@code dcep} (DATA_CHANNEL_OPEN with its label, DATA_CHANNEL_ACK), {@code webrtc} (each message frame
 *       with its flag and length), then {@code noise} on channel 0 ({@code weft.transport.webrtc.WebRtcTrace});
 *   <li>{@code ping} RTTs, {@code identify} fields, {@code perf} phases, each on its stream.
 * </ul>
 *
 * <p><b>Roles.</b> A {@link weft.trace.TraceListener} receives events: the host's
 * ({@code HostConfig.withTrace}), by default SLF4J at TRACE on the logger {@code weft.trace}. The host gives each
 * connection a {@link weft.trace.Trace} (its id and the listener) before the first byte; the upgrader hands it down
 * on the raw connection ({@link weft.io.DuplexStream#traced}), and every layer takes the trace of the stream it is
 * given ({@link weft.io.DuplexStream#trace()}) and passes it on: Noise and TLS connections report to their
 * transport's, a muxed stream to its session's plus its stream id. QUIC and WebRTC-direct, which secure and
 * multiplex by themselves, get the trace from the host on dial and, for each accepted connection, from the supplier
 * given to {@code SecureTransport.listen}.
 *
 * <p><b>Cost.</b> Nothing when off: whether a connection is traced is decided once, when it starts, into a final
 * field; each hook is one line {@code if (trace.on()) ...}, so with tracing off no event, string, or array is built.
 * bench/ {@code weft.bench.trace.TraceBench} measures it ({@code -prof gc}).
 *
 * <p><b>Threads.</b> Events are delivered on the thread that emits them (connection reader, writer, application
 * threads); listeners must be thread-safe and quick. Within one thread, events come in the order they happened.
 *
 * <pre>{@code
 * HostConfig config = HostConfig.defaults()
 *         .withTrace(TraceListener.lines(System.err::println)                     // human lines
 *                 .and(TraceListener.jsonLines(jsonFile::println))                // and JSON lines
 *                 .summarizing());                                                // data frames counted, not listed
 * Host host = Host.start(config);
 * }</pre>
 */
package weft.trace;
