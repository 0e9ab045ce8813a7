/**
 * STUN (RFC 8489) as far as an ICE-lite WebRTC server needs it: decode and encode messages, check
 * MESSAGE-INTEGRITY (HMAC-SHA1, short-term credentials) and FINGERPRINT (CRC-32), and answer binding requests.
 *
 * <p>Roles: in WebRTC-direct (libp2p specs {@code webrtc/webrtc-direct.md}, r1 2023-04-12) the browser is the
 * full ICE agent and sends connectivity checks; weft's listener is ICE-lite (RFC 8445 section 2.5) and only
 * answers them. The check's USERNAME carries the client's {@code libp2p+webrtc+v1/...} ufrag, which is also the
 * password; the listener learns each new remote from its first valid check. Every byte a remote sends before a
 * valid check is dropped without an answer.
 *
 * <p>Byte layout and every constant come from RFC 8489 (sections 5, 14, 18); {@link
 * weft.transport.webrtc.stun.StunMessage#isStun} is the RFC 7983 first-byte demultiplexing rule. RFC 5769 test
 * vectors are unit tests.
 *
 * <p>Threads: none. Everything is a pure function called by the listener's socket loop.
 *
 * <pre>{@code
 * if (StunMessage.isStun(datagram, length)) {
 *     StunMessage request = StunMessage.decode(datagram, length);           // StunException if malformed
 *     Optional<IceLiteResponder.Answer> answer = IceLiteResponder.answer(request, from);
 *     answer.ifPresent(a -> socket.send(new DatagramPacket(a.response(), a.response().length, from)));
 * }
 * }</pre>
 */
package weft.transport.webrtc.stun;
