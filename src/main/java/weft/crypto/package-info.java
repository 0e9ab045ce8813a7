/**
 * Identity: key pairs, signatures and peer IDs, as the libp2p
 * <a href="https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md">peer-ids spec</a> (r2, 2021-04-30)
 * defines them.
 *
 * <p>Every libp2p peer holds a {@link weft.crypto.PrivateKey}. It signs with it (the Noise handshake payload, signed
 * peer records) and is named by the {@link weft.crypto.PeerId} derived from its {@link weft.crypto.PublicKey}. Keys
 * cross the wire as the protobuf {@code PublicKey { required KeyType Type = 1; required bytes Data = 2; }}, encoded
 * deterministically — minimal varints, tag order, both fields, nothing else — because the bytes are hashed into
 * peer IDs. Decoders reject anything else with {@link weft.crypto.KeyFormatException}.
 *
 * <h2>Key types</h2>
 *
 * <table>
 *   <caption>The four key types and their {@code Data} encodings</caption>
 *   <tr><th>type</th><th>public {@code Data}</th><th>private {@code Data}</th><th>signature</th><th>peer ID</th></tr>
 *   <tr><td>Ed25519 (default; MUST)</td><td>32 bytes (RFC 8032)</td><td>64 bytes: secret ‖ public (96-byte legacy
 *       form read)</td><td>RFC 8032, 64 bytes</td><td>identity, {@code 12D3KooW...}</td></tr>
 *   <tr><td>secp256k1 (MAY)</td><td>33-byte compressed point</td><td>32-byte scalar</td><td>ECDSA(SHA-256),
 *       DER, RFC 6979 nonce, low S</td><td>identity, {@code 16Uiu2HA...}</td></tr>
 *   <tr><td>ECDSA (MAY)</td><td>X.509 SubjectPublicKeyInfo, DER (P-256; P-384/P-521 read)</td><td>SEC1
 *       ECPrivateKey, DER</td><td>ECDSA(SHA-256), DER</td><td>sha2-256, {@code Qm...}</td></tr>
 *   <tr><td>RSA (SHOULD; 2048–8192 bits)</td><td>X.509 SubjectPublicKeyInfo, DER</td><td>PKCS#1 RSAPrivateKey,
 *       DER</td><td>RSASSA-PKCS1-v1_5(SHA-256)</td><td>sha2-256, {@code Qm...}</td></tr>
 * </table>
 *
 * <p>Providers, by speed measured on the reference machine: Bouncy Castle's low-level Ed25519 (18x faster signing
 * than the JDK), Bouncy Castle ECDSA for secp256k1 (the JDK has none) and the NIST curves (one code path, and the
 * JDK cannot read SEC1 keys), the JDK for RSA (its own X.509 codec and fast SHA-256). Bouncy Castle is used through
 * its lightweight API only; it is never registered as a JCA provider.
 *
 * <h2>Peer IDs</h2>
 *
 * <p>A peer ID is a multihash of the marshalled public key: "keys that serialize to at most 42 bytes must be hashed
 * using the identity multihash", larger ones with sha2-256. So an Ed25519 ID is {@code 0x00 0x24} followed by the
 * 36-byte key protobuf and {@link weft.crypto.PeerId#publicKey()} recovers the key from the ID alone; an RSA ID is
 * {@code 0x12 0x20} and a SHA-256. Text: base58btc of the multihash ({@link weft.crypto.PeerId#toBase58()}, the
 * display form) or a base32 CIDv1 with codec {@code libp2p-key} 0x72 ({@link weft.crypto.PeerId#toCid()},
 * {@code bafz...}); {@link weft.crypto.PeerId#parse} reads both.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * PrivateKey key = IdentityFile.readOrCreate(Path.of("weft.key"));  // Ed25519 on first run
 * PeerId me = key.peerId();                                        // 12D3KooW...
 * byte[] signature = key.sign(payload);
 * PublicKey theirs = PublicKey.unmarshal(bytesFromTheWire);        // KeyFormatException if invalid
 * boolean ok = theirs.verify(payload, signature) && expected.matches(theirs);
 * }</pre>
 *
 * <h2>Threads</h2>
 *
 * <p>Keys and peer IDs are immutable and safe to share between threads; no method blocks, except that
 * {@link weft.crypto.IdentityFile} does file IO and RSA key generation takes a noticeable fraction of a second.
 */
package weft.crypto;
