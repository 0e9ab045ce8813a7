/**
 * DTLS 1.2 (RFC 6347) for WebRTC-direct, on Bouncy Castle's {@code bctls}: the server side of the browser's
 * connection, with the policy RFC 8827 section 6.5 and libp2p specs {@code webrtc/webrtc-direct.md} (r1,
 * 2023-04-12) ask for.
 *
 * <p>Roles: the listener is the DTLS server. {@link weft.transport.webrtc.dtls.DtlsServer#verify} answers a first
 * ClientHello with a stateless HelloVerifyRequest cookie; {@link weft.transport.webrtc.dtls.DtlsServer#accept} runs
 * the handshake: ECDHE-ECDSA-AES128-GCM-SHA256, extended master secret required, a client certificate requested
 * and fingerprinted but not verified (the Noise handshake on top binds both fingerprints and authenticates).
 * {@link weft.transport.webrtc.dtls.DtlsCertificate} is the server's long-lived P-256 certificate, whose
 * fingerprint is the address's {@code /certhash}. Before the cookie check,
 * {@link weft.transport.webrtc.dtls.ClientHelloAssembler} puts together a ClientHello that came in fragments
 * (Chromium's does: it is larger than its 1200-byte DTLS MTU).
 *
 * <p>Threads: the listener's socket loop feeds each remote's {@link weft.transport.webrtc.dtls.RemoteDatagrams}
 * queue without blocking; the handshake and later record reads run on that remote's own virtual thread.
 *
 * <pre>{@code
 * DtlsServer dtls = new DtlsServer(DtlsCertificate.generate());
 * byte[] whole = remoteAssembler.add(datagram);                                     // null: fragments missing
 * DtlsServer.VerifiedHello hello = dtls.verify(remoteId, whole, whole.length, send); // null: cookie sent or junk
 * RemoteDatagrams datagrams = new RemoteDatagrams(send);                               // fed by the socket loop
 * DtlsConnection connection = dtls.accept(hello, datagrams);                           // on the remote's thread
 * Fingerprint client = connection.remoteFingerprint();
 * }</pre>
 */
package weft.transport.webrtc.dtls;
