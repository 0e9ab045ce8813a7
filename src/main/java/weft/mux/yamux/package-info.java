/**
 * Yamux, the libp2p stream multiplexer {@code /yamux/1.0.0}: many ordered, flow-controlled byte streams over one
 * secured connection.
 *
 * <p>Spec: <a href="https://github.com/libp2p/specs/blob/master/yamux/README.md">libp2p/specs yamux</a> (r0,
 * 2023-02-17, a copy of hashicorp's {@code spec.md}). Behaviour follows go-yamux v5 (libp2p/go-yamux), the
 * implementation go-libp2p runs, so that weft interoperates with go, js ({@code @chainsafe/libp2p-yamux}) and rust
 * peers; where they differ, the class docs say which one weft follows and why.
 *
 * <h2>Roles</h2>
 * <ul>
 *   <li>{@link weft.mux.yamux.Yamux}: the {@link weft.mux.StreamMuxer}; {@code start(channel, dialer)} begins a
 *       session. The dialer of the underlying connection opens odd stream ids, the listener even.
 *   <li>{@link weft.mux.yamux.YamuxSession}: open, accept, go-away, close, {@code rtt()}. Owns the reader thread,
 *       the {@link weft.io.FrameWriter} and the stream map.
 *   <li>{@code YamuxStream}: one stream; split read and write halves, reset from any state. A write of 16 KiB or more
 *       lends its array to the writer ({@link weft.io.BorrowedFrames}) and returns once its frames are written; a
 *       smaller one is copied and returns once queued.
 *   <li>{@code SessionFrameHandler}: what each received frame does (ACK, data, FIN, RST, pings, go-away).
 *   <li>{@code Frame} / {@code FrameReader}: the 12-byte header, encoded and decoded.
 *   <li>{@code ReceiveWindow} / {@code SendWindow}: per-stream flow control with go-yamux's auto-tuning.
 *   <li>{@code KeepAlive}: RTT pings and the keep-alive timeout.
 *   <li>{@link weft.mux.yamux.YamuxConfig}, {@link weft.mux.yamux.GoAwayCode},
 *       {@link weft.mux.yamux.YamuxProtocolException}.
 * </ul>
 *
 * <h2>Threads</h2>
 * {@code weft-reader-<conn>} (virtual) decodes and dispatches frames and only queues control frames;
 * {@code weft-writer-<conn>} (virtual) is the only writer to the channel; application threads block in
 * {@code read}, {@code write}, {@code acceptStream} and {@code openStream}; the {@link weft.io.Scheduler} runs the
 * ping timers. Every blocked call is woken with {@link weft.ConnectionClosedException} when the session ends.
 *
 * <pre>{@code
 * YamuxSession session = new Yamux().start(secureConnection, true);
 * MuxedStream stream = session.openStream();
 * stream.write(request, 0, request.length);
 * stream.closeWrite();
 * byte[] reply = stream.input().readAllBytes();
 * }</pre>
 */
package weft.mux.yamux;
