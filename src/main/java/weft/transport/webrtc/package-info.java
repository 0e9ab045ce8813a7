/**
 * WebRTC-direct: how a browser reaches a weft node without a CA-signed certificate
 * (libp2p specs {@code webrtc/webrtc-direct.md} and {@code webrtc/README.md}, r1 2023-04-12).
 *
 * <p>The server advertises {@code /ip4/<ip>/udp/<port>/webrtc-direct/certhash/<fingerprint>/p2p/<id>}. The
 * browser builds the server's SDP answer from that address alone, then runs the WebRTC stack against it:
 *
 * <pre>
 *   libp2p streams      Message{flag, message} framing per data channel   (webrtc/README.md, Multiplexing)
 *   Noise XX            on negotiated channel 0, weft initiates,          {@link weft.transport.webrtc.NoisePrologue}
 *                       prologue binds both DTLS fingerprints
 *   data channels       DCEP open/ack (RFC 8832) over SCTP streams (RFC 8831)
 *   SCTP                association over DTLS (RFC 9260, RFC 8261), stream reset (RFC 6525)
 *   DTLS 1.2            server side, client certificate requested and fingerprinted (RFC 6347)
 *   ICE-lite / STUN     {@link weft.transport.webrtc.stun} answers connectivity checks (RFC 8445, RFC 8489)
 *   UDP                 one socket per listener, demultiplexed by remote and first byte (RFC 7983)
 * </pre>
 *
 * <p>Roles: the browser (A) is the ICE controlling agent, the DTLS client and the Noise responder; weft (B) is
 * ICE-lite, the DTLS server and the Noise initiator ("Given that WebRTC uses DTLS 1.2, _B_ is the one that can
 * send data first").
 *
 * <p>Built so far: {@link weft.transport.webrtc.Fingerprint} (certhash, multihash and SDP forms),
 * {@link weft.transport.webrtc.NoisePrologue}, the STUN layer ({@link weft.transport.webrtc.stun}), SCTP
 * ({@link weft.transport.webrtc.sctp}), and the data channels on top: {@code Dcep} (RFC 8832 open/ack),
 * {@code MessageFrame} (the {@code Message{flag, message}} framing), {@code DataChannelStream} (one libp2p
 * stream, FIN / STOP_SENDING / RESET_STREAM / FIN_ACK) and {@code DataChannelConnection} (a
 * {@link weft.mux.MuxedConnection}: DCEP, stream ids by DTLS role, channel 0 for Noise), the DTLS server
 * ({@link weft.transport.webrtc.dtls}), and {@link weft.transport.webrtc.WebRtcDirectListener}: one UDP socket,
 * demultiplexed per remote, each remote's failures confined to its own {@code RemoteSession}, handing out
 * authenticated {@link weft.transport.webrtc.WebRtcConnection}s. {@link weft.transport.webrtc.WebRtcDirectTransport}
 * is the host's view of it (a listen-only {@link weft.connection.SecureTransport}, like QUIC's: a
 * {@code weft.host.Host} listening on {@code /udp/N/webrtc-direct} advertises the certhash address and adopts the
 * connections); {@link weft.transport.webrtc.dtls.CertificateFile} keeps the certificate, and so the address,
 * across restarts. Not built: a webrtc-direct dialer (the tests' {@code TestDialer} shows the pieces one needs).
 *
 * <p>Bounds (all in {@link weft.transport.webrtc.WebRtcDirectListener.Config}): remotes in total, per IP address
 * and in flight (admitted, not yet accepted), new remotes per second, the time from a remote's first check to its
 * finished Noise handshake, consent; per connection, the association's receive window and send buffer, the number
 * of data channels, and per channel ({@link weft.transport.webrtc.DataChannelConfig}) the unread bytes it may hold
 * and the unsent bytes it may queue.
 * SCTP shares one receive window among all streams and the libp2p framing "is not concerned with flow-control", so
 * a stream whose reader stops could stall the others: a channel over its bound makes what arrives for it wait, and
 * is reset (its reader gets a {@link weft.mux.StreamResetException} caused by a {@link weft.ResourceLimitException})
 * if its reader makes no progress for the slow-reader timeout; the other streams then move on. On the sending side,
 * SCTP sends messages in the order they were queued, from one send buffer: each channel queues at most its own
 * bound of unsent bytes, so a stream whose data cannot move leaves the buffer to the others. A FIN whose FIN_ACK
 * does not come within the FIN_ACK timeout closes the write half anyway, so a silent peer cannot keep a channel.
 *
 * <p>Wire trace: a listener given traces ({@code WebRtcDirectListener.bind(..., traces)}, or the host's) reports
 * each remote's connection layer by layer, from its verified ClientHello to the association's end
 * ({@code WebRtcTrace}); each data channel's trace adds its stream id, channel 0 carrying the Noise lines.
 *
 * <p>Threads: one socket loop per listener; per remote a setup thread (DTLS, SCTP, Noise) and a DTLS record
 * reader, which is also the SCTP delivery thread; the data channel layer runs on that thread without blocking and
 * on each stream's handler thread (blocking reads and writes, each bounded by the stream's read or write timeout);
 * SCTP timers, the slow-reader and FIN_ACK timeouts on {@link weft.io.Scheduler#system()} (or the configured one).
 *
 * <pre>{@code
 * WebRtcDirectListener listener = WebRtcDirectListener.bind(new InetSocketAddress("0.0.0.0", 4001), identity,
 *         DtlsCertificate.generate(), WebRtcDirectListener.Config.defaults());
 * System.out.println(listener.address());   // /ip4/0.0.0.0/udp/4001/webrtc-direct/certhash/uEi.../p2p/12D3...
 * WebRtcConnection browser = listener.accept();                  // DTLS, SCTP and Noise done
 * MuxedStream stream = browser.acceptStream();                   // one data channel
 * }</pre>
 */
package weft.transport.webrtc;
