/**
 * libp2p TLS: the {@code /tls/1.0.0} security protocol, a TLS 1.3 handshake in which both peers prove their libp2p
 * identity through a certificate extension, then the TLS record layer as the secure byte stream.
 *
 * <p>Specs: <a href="https://github.com/libp2p/specs/blob/master/tls/tls.md">libp2p TLS</a> (3A Recommendation, r0
 * 2019-03-23), <a href="https://github.com/libp2p/specs/blob/master/connections/inlined-muxer-negotiation.md">inlined
 * muxer negotiation</a> (r1), <a href="https://www.rfc-editor.org/rfc/rfc8446">RFC 8446</a> (TLS 1.3) and
 * <a href="https://www.rfc-editor.org/rfc/rfc7301">RFC 7301</a> (ALPN). Meant to interoperate with go-libp2p
 * ({@code p2p/security/tls}), js-libp2p ({@code @libp2p/tls}) and rust-libp2p ({@code libp2p-tls}).
 *
 * <h2>Roles</h2>
 * The dialer is the TLS client, the listener the TLS server, and both present a certificate: "servers MUST require
 * client authentication". Each peer has its long-term libp2p <em>host key</em> (Ed25519, secp256k1, ECDSA or RSA)
 * and a <em>certificate key</em>, here ECDSA P-256, which TLS itself uses. The host key never touches TLS: it
 * signs the certificate key, and that signature travels inside the certificate.
 *
 * <h2>The certificate</h2>
 * Self-signed with the certificate key, one per {@link weft.security.tls.TlsSecureChannel}
 * ({@link weft.security.tls.Libp2pCertificate#generate}), shaped as go-libp2p's:
 * <pre>
 * Certificate (X.509 v3, about 430 bytes with an Ed25519 host key)
 *   serialNumber        random, 62 bits
 *   signature           ecdsa-with-SHA256
 *   issuer = subject    serialNumber=&lt;random&gt;
 *   validity            now - 1 hour ... now + 100 years
 *   subjectPublicKeyInfo  id-ecPublicKey, prime256v1, 65-byte point        &lt;- the certificate key
 *   extensions
 *     1.3.6.1.4.1.53594.1.1 (not critical)                                 &lt;- the libp2p public key extension
 *       SignedKey ::= SEQUENCE {
 *         publicKey OCTET STRING,  -- protobuf PublicKey of the host key: 08 01 12 20 &lt;32 bytes&gt; for Ed25519
 *         signature OCTET STRING   -- host key signs "libp2p-tls-handshake:" || DER subjectPublicKeyInfo above
 *       }
 * </pre>
 * For the spec's first test vector (Ed25519 host key) the extension value is {@code 30 68} {@code 04 24 08 01 12 20
 * a7 7f ... b9} (the 36-byte key protobuf) {@code 04 40 d9 0d ... 09} (the 64-byte signature), 106 bytes.
 *
 * <p>A receiver ({@link weft.security.tls.Libp2pCertificate#verify}) accepts exactly one certificate, valid now,
 * with a valid self-signature, no unique ids and no critical extension it does not understand; it decodes the
 * extension, checks the host key's signature over the certificate's own key, and derives the peer ID from the host
 * key. A client then compares that ID with the one it dialed ({@link weft.security.PeerIdMismatchException}).
 * There are no certificate authorities: a certificate is worth exactly the peer ID its extension proves.
 *
 * <h2>ALPN, and choosing the muxer in the handshake</h2>
 * The client's {@code ClientHello} lists application protocols: its muxers in preference order, then
 * {@code "libp2p"}, e.g. {@code ["/yamux/1.0.0", "/mplex/6.7.0", "libp2p"]}. The server answers in its
 * {@code EncryptedExtensions} with the first of those it supports, or {@code "libp2p"}, or aborts with a
 * {@code no_application_protocol} alert if it supports none. A muxer answer saves the multistream-select round trip
 * for the muxer ({@link weft.security.SecureConnection#negotiatedMuxer()}); {@code "libp2p"} means "negotiate the
 * muxer with multistream-select", which is what a peer without early negotiation (rust-libp2p) always answers.
 *
 * <h2>The handshake on the wire</h2>
 * <pre>
 * client -&gt; server   ClientHello (TLS 1.3 only, key share, ALPN list, no SNI)
 * server -&gt; client   ServerHello, {EncryptedExtensions (ALPN choice), CertificateRequest, Certificate,
 *                    CertificateVerify, Finished}                     one flight, one write
 * client -&gt; server   {Certificate, CertificateVerify, Finished}        the client is done here
 * </pre>
 * "Since clients complete the TLS handshake immediately after sending the certificate ... the handshake will appear
 * as having succeeded before the server had the chance to verify the certificate": a server that rejects the
 * client's certificate shows up on the client's first read. No session tickets, no resumption: every connection
 * proves its certificate afresh.
 *
 * <h2>Types</h2>
 * {@link weft.security.tls.TlsSecureChannel} is the entry point (configuration and the two roles);
 * {@link weft.security.tls.Libp2pCertificate} builds and checks certificates, and
 * {@link weft.security.tls.PeerCertificateVerifier} (the JSSE trust manager: theirs to check) applies those checks
 * inside a handshake; both are public because QUIC uses the same scheme. Package-private: {@code TlsHandshake} (one
 * handshake, top to bottom), {@code CertificateSelector} (the JSSE key manager: ours to present),
 * {@code SignedKey} (the extension value), {@code EngineProvider} (where the engine comes from: Bouncy Castle's JSSE,
 * which, unlike the JDK's, accepts js-libp2p's and rust-libp2p's certificates), {@code RecordLayer} (drives the
 * {@code SSLEngine} over a blocking stream) and {@code TlsConnection} (the secure connection).
 *
 * <h2>Threads</h2>
 * The handshake runs on the caller's (upgrade) thread, bounded by a {@link weft.io.Deadline} (15 s by default).
 * A connection from this package then expects one reader thread and one writer thread; the engine allows a
 * {@code wrap} and an {@code unwrap} to run at once. Writes take a lock so that records reach the stream in the
 * order they were sealed; the reader takes it only to answer a TLS {@code KeyUpdate}.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * TlsSecureChannel tls = new TlsSecureChannel(PrivateKey.generate()).withMuxers(List.of("/yamux/1.0.0"));
 * SecureConnection conn = tls.secureOutbound(tcp, expectedPeerId);     // or tls.secureInbound(tcp)
 * conn.output().write("hello".getBytes(StandardCharsets.UTF_8));
 * int n = conn.input().read(buffer);
 * conn.negotiatedMuxer();                                               // Optional[/yamux/1.0.0] or empty
 * }</pre>
 */
package weft.security.tls;
