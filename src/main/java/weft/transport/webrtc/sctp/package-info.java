/**
 * SCTP (RFC 9260) over DTLS (RFC 8261), the transport under WebRTC data channels, written for weft in plain Java.
 *
 * <p>What it does: one {@link weft.transport.webrtc.sctp.Association} per DTLS connection carries numbered
 * streams of messages, reliably and in order. The pieces read like the RFC's sections:
 * <ul>
 *   <li>{@code SctpPacket}, {@code Chunk}: the wire format (sections 3, 3.3), CRC32c from the JDK (section 6.8).
 *   <li>{@code AssociationMachine}: the states of section 4, the four-way handshake with a {@code StateCookie}
 *       (section 5), SACK timing (6.2), bundling (6.10), heartbeats (8.3), SHUTDOWN and ABORT (9).
 *   <li>{@code SendQueue}: fragmentation (6.9), cwnd and peer window (6.1, 7.2), RTO (6.3), T3-rtx and fast
 *       retransmit (6.3.3, 7.2.4).
 *   <li>{@code ReceiveQueue}: TSN tracking, gap blocks and duplicates for the SACK, reassembly, the advertised
 *       window that shrinks while the reader is slow (back-pressure).
 *   <li>{@code StreamResets}: RFC 6525 outgoing stream reset, how a data channel closes (RFC 8831 section 6.7).
 * </ul>
 *
 * <p>Roles: a WebRTC-direct server is the SCTP responder ({@code Association.server}): it answers INIT statelessly
 * and creates the association on a valid COOKIE-ECHO. {@code Association.client} initiates (tests use it, and a
 * future webrtc-direct dialer). Both use port 5000 (RFC 8841). Not implemented: partial reliability (RFC 3758;
 * never negotiated, so peers do not use it), I-DATA interleaving (RFC 8260), multi-homing (one DTLS path).
 *
 * <p>Threads: none of its own. {@link weft.transport.webrtc.sctp.Association#receive} runs on the DTLS reader
 * thread, {@code send} on application threads (blocking while the send buffer is full), timers on the injected
 * {@link weft.io.Scheduler}. One lock guards the machine; handler callbacks run after it is released.
 *
 * <pre>{@code
 * Association sctp = Association.server(Association.Config.defaults(), Scheduler.system(),
 *         dtls::send, handler);                       // handler gets onEstablished, onMessage, onClosed ...
 * while (true) { int n = dtls.receive(buffer); sctp.receive(buffer, n); }   // on the DTLS reader thread
 * sctp.send(streamId, 51, "hello".getBytes(UTF_8), false);                   // PPID 51: WebRTC string
 * }</pre>
 */
package weft.transport.webrtc.sctp;
