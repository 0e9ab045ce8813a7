/**
 * libp2p Noise: the {@code /noise} security protocol, a {@code Noise_XX_25519_ChaChaPoly_SHA256} handshake that
 * authenticates both peers' libp2p identities, then an encrypted, length-framed byte stream.
 *
 * <p>Specs: <a href="https://github.com/libp2p/specs/blob/master/noise/README.md">libp2p noise</a> (r5,
 * 2022-12-07), <a href="https://noiseprotocol.org/noise.html">the Noise Protocol Framework</a> (rev 34) and
 * <a href="https://github.com/libp2p/specs/blob/master/connections/inlined-muxer-negotiation.md">inlined muxer
 * negotiation</a> (r1). Interoperates with go-libp2p, rust-libp2p and js-libp2p ({@code @chainsafe/libp2p-noise}).
 *
 * <h2>Roles</h2>
 * The initiator is the dialer, the responder the listener. Each has a long-term libp2p identity key (Ed25519,
 * secp256k1, ...) and, for the handshake, an X25519 <em>static</em> key (fresh per session by default) and an X25519
 * <em>ephemeral</em> key (always fresh). The identity key never touches Noise itself: it signs the static key, and
 * that signature travels inside the encrypted handshake payload.
 *
 * <h2>The handshake, message by message</h2>
 * Every message on the wire is {@code [u16 big-endian length][noise message]}. Sizes below are for an Ed25519
 * identity, whose payload is 104 bytes ({@code 0a 24} + 36-byte {@code PublicKey} protobuf, {@code 12 40} + 64-byte
 * signature), plus 16 bytes of extensions when offering {@code /yamux/1.0.0} for early negotiation.
 *
 * <pre>
 * 1. initiator -&gt; responder   e                                   2 + 32 bytes
 *      32 bytes: the initiator's ephemeral public key, in clear. Payload empty ("MUST NOT send extensions").
 *      Both sides mix it into the handshake hash h.
 *
 * 2. responder -&gt; initiator   e, ee, s, es + payload             2 + 32 + 48 + (104 [+16]) + 16 bytes
 *      e:  32 bytes, the responder's ephemeral key, in clear.
 *      ee: DH(ephemeral, ephemeral) keys the cipher: from here on everything is encrypted, with h as AD.
 *      s:  48 bytes, the responder's static key, encrypted (32 + 16-byte tag).
 *      es: DH(initiator ephemeral, responder static) re-keys the cipher.
 *      payload: the responder's identity key, its signature over "noise-libp2p-static-key:" || static key, and its
 *      muxers. The initiator verifies the signature and checks the peer ID it dialed ({@code /p2p/...}).
 *
 * 3. initiator -&gt; responder   s, se + payload                     2 + 48 + (104 [+16]) + 16 bytes
 *      s:  48 bytes, the initiator's static key, encrypted.
 *      se: DH(initiator static, responder ephemeral) re-keys the cipher.
 *      payload: the initiator's identity, signature and muxers; the responder verifies them.
 *
 * Split: HKDF(ck) gives two keys: initiator-to-responder and responder-to-initiator.
 * </pre>
 *
 * <h2>Transport</h2>
 * Each transport message is ChaCha20-Poly1305 ciphertext plus a 16-byte tag, at most 65535 bytes, so at most 65519
 * bytes of plaintext; nonces are 64-bit counters starting at zero in each direction. Writes of any size are split
 * into such messages; reads return bytes across message boundaries.
 *
 * <h2>Types</h2>
 * {@link weft.security.noise.NoiseSecureChannel} is the public entry point (configuration and the two handshake
 * roles). Package-private: {@code NoiseHandshake} (one handshake over a stream), {@code HandshakeState},
 * {@code SymmetricState} and {@code CipherState} (the Noise framework objects of the spec's §5, with the same
 * method names), {@code HandshakePayload} (the protobuf), {@code NoiseConnection} (the transport phase), and the
 * ChaCha20-Poly1305 of RFC 8439 behind {@code Aead}: {@code JdkChaChaPoly} (the JDK's cipher, used where the JDK's
 * Poly1305 intrinsic runs) or {@code WeftChaChaPoly} (the JDK's ChaCha20 with weft's {@code Poly1305}, used
 * elsewhere; {@code -Dweft.noise.aead=jdk|weft} forces one).
 *
 * <h2>Threads</h2>
 * The handshake runs on the caller's (upgrade) thread, bounded by a {@link weft.io.Deadline} (15 s by default).
 * A {@link weft.security.SecureConnection} from this package then expects one reader thread and one writer thread:
 * the connection's reader and writer. It takes no locks. The writer must {@code flush()}: a write of at most 64
 * bytes (a muxer frame header) is held, to go out in one sealed message and one socket write with the write after
 * it, as the muxer writer's batches do (header from its buffer, then the payload from the caller's array).
 *
 * <h2>Example</h2>
 * <pre>{@code
 * NoiseSecureChannel noise = new NoiseSecureChannel(PrivateKey.generate()).withMuxers(List.of("/yamux/1.0.0"));
 * SecureConnection conn = noise.secureOutbound(tcp, expectedPeerId);   // or noise.secureInbound(tcp)
 * conn.output().write("hello".getBytes(StandardCharsets.UTF_8));
 * conn.output().flush();                                                // small writes are held until flush
 * int n = conn.input().read(buffer);
 * conn.negotiatedMuxer();                                               // Optional[/yamux/1.0.0] or empty
 * }</pre>
 */
package weft.security.noise;
