/**
 * mplex, the legacy libp2p stream multiplexer {@code /mplex/6.7.0}: many ordered byte streams over one secured
 * connection, with half-close and reset but <b>no flow control</b>.
 *
 * <p>Spec: <a href="https://github.com/libp2p/specs/blob/master/mplex/README.md">libp2p/specs mplex</a> (marked
 * deprecated in favour of yamux in 2025, still deployed: js {@code @libp2p/mplex}, rust-libp2p
 * {@code libp2p-mplex}, go-mplex). The protocol id comes from the implementations, not the spec. Where the spec is
 * silent (limits, unknown streams, the undefined flag 7), the class docs say which implementation weft follows.
 *
 * <h2>The frame</h2>
 * Every frame is {@code uvarint(id << 3 | flag)}, {@code uvarint(length)}, then {@code length} bytes of data, at
 * most 1 MiB. The flag says what the frame does and which side sends it: the stream's <em>initiator</em> (the side
 * that opened it) sends the even flags, its <em>receiver</em> the odd ones.
 * <pre>
 * flag  name               sent by     data
 *  0    NewStream          initiator   the stream's name (any bytes; go uses the id in decimal)
 *  1/2  Message            receiver/initiator   stream bytes
 *  3/4  Close (half-close) receiver/initiator   empty
 *  5/6  Reset              receiver/initiator   empty
 *  7    undefined: a protocol violation here (as rust-libp2p)
 * </pre>
 * Byte for byte, on the first stream we open (id 0) and on the peer's stream 0:
 * <pre>
 * 00 01 30        NewStream, id 0, name "0"                    header 0 = 0 &lt;&lt; 3 | 0
 * 02 02 68 69     MessageInitiator on our stream 0: "hi"       header 2 = 0 &lt;&lt; 3 | 2
 * 04 00           CloseInitiator: we are done writing
 * 01 02 68 69     MessageReceiver: "hi" on the PEER's stream 0 (same number, different stream)
 * 05 00           ResetReceiver on the peer's stream 0
 * 8a 01 ac 02 …   MessageInitiator on stream 17, 300 bytes:    17 &lt;&lt; 3 | 2 = 138 = varint 8a 01; 300 = ac 02
 * </pre>
 *
 * <h2>Roles</h2>
 * <ul>
 *   <li>{@link weft.mux.mplex.Mplex}: the {@link weft.mux.StreamMuxer}; {@code start(channel, dialer)} begins a
 *       session. Both sides number their own streams 0, 1, 2, … (as go, js and rust).
 *   <li>{@link weft.mux.mplex.MplexSession}: open, accept, close; the reader thread, the {@link weft.io.FrameWriter}
 *       and two stream maps, ours and the peer's.
 *   <li>{@code MplexStream}: one stream; split read and write halves, reset from any state.
 *   <li>{@code Frame} / {@code FrameReader}: the frame, encoded and decoded.
 *   <li>{@link weft.mux.mplex.MplexConfig}, {@link weft.mux.mplex.MplexProtocolException}.
 * </ul>
 *
 * <h2>No flow control: what bounds memory</h2>
 * A writer is never held back by the peer, only by the connection writer's queue. So the receiving side must bound
 * what it holds; the spec allows "Blocking the entire connection until the offending stream is read" and "Resetting
 * the offending stream", and weft does both, as go-mplex: each stream buffers at most {@code maxBufferedBytes}
 * (4 MiB) of unread data; when a Message would pass it, the reader stops reading the connection (TCP then holds the
 * peer back, and no other stream receives) for at most {@code slowReaderTimeout} (5 s) while the application reads;
 * if it does not, that stream is reset — we send Reset, the application gets
 * {@link weft.mux.StreamResetException} caused by {@link weft.ResourceLimitException} — and the session and its
 * other streams go on. An application that leaves an mplex stream unread stalls its session for that long: read
 * every stream you accept, or reset it.
 *
 * <p>Inbound streams past {@code maxInboundStreams} or the accept backlog are reset at once; a peer that keeps
 * opening them ({@code disconnectThreshold} per second, as js) loses the connection. Frames above 1 MiB, flag 7 or
 * bad varints close the connection with {@link weft.mux.mplex.MplexProtocolException}.
 *
 * <h2>Threads</h2>
 * {@code weft-reader-<conn>} (virtual) decodes and dispatches frames, only queues control frames (NewStream,
 * Reset), and waits only for a slow stream reader (above); {@code weft-writer-<conn>} (virtual) is the only writer
 * to the channel; application threads block in {@code read}, {@code write} and {@code acceptStream}. Every blocked
 * call is woken with {@link weft.ConnectionClosedException} when the session ends.
 *
 * <pre>{@code
 * MplexSession session = new Mplex().start(secureConnection, true);
 * MuxedStream stream = session.openStream();      // NewStream
 * stream.write(request, 0, request.length);       // MessageInitiator frames of at most 64 KiB
 * stream.closeWrite();                            // CloseInitiator
 * byte[] reply = stream.input().readAllBytes();   // until the peer's CloseReceiver
 * }</pre>
 */
package weft.mux.mplex;
