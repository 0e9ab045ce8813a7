/**
 * Multiformats: the self-describing encodings every other layer is written in. Each value says what it is in its
 * first bytes or characters, so formats can change without breaking old readers.
 *
 * <ul>
 *   <li>{@link weft.multiformats.UnsignedVarint}: 7 bits per byte, low group first
 *       (<a href="https://github.com/multiformats/unsigned-varint">unsigned-varint</a>): {@code 300 = ac 02}.
 *       Every length and code below is one.
 *   <li>{@link weft.multiformats.Multibase}: a one-character prefix naming the text base
 *       (<a href="https://github.com/multiformats/multibase">multibase</a>): {@code "yes mani !"} is
 *       {@code z7paNL19xttacUY} in base58btc, {@code bpfsxgidnmfxgsibb} in base32. {@link weft.multiformats.Base58}
 *       is the unprefixed base58btc of legacy peer IDs ({@code 12D3KooW...}).
 *   <li>{@link weft.multiformats.Multihash}: {@code varint(function) || varint(length) || digest}
 *       (<a href="https://github.com/multiformats/multihash">multihash</a>); a peer ID is one
 *       ({@code 00 24 08 01 12 20 ...}: identity, 36 bytes, an inlined Ed25519 key).
 *   <li>{@link weft.multiformats.Multiaddr}: an address as a path of protocols
 *       (<a href="https://github.com/multiformats/multiaddr">multiaddr</a>, codes from the
 *       <a href="https://github.com/multiformats/multicodec/blob/master/table.csv">multicodec table</a>):
 *       <pre>
 *       /ip4/127.0.0.1/udp/1234/quic-v1
 *       04 7f000001   91 02 04d2   cd 03
 *       ip4 address   udp port     quic-v1 (no value)
 *       </pre>
 * </ul>
 *
 * <p>Everything here is an immutable value or a static function: no threads, no IO except
 * {@link weft.multiformats.UnsignedVarint#read}, which takes one byte at a time from a stream so that nothing
 * after the varint is consumed. Decoders of peer input throw only {@link weft.multiformats.MultiformatException}
 * (unchecked; the layer that decoded wire bytes turns it into its own {@link weft.ProtocolViolationException}).
 * No parser here ever resolves a DNS name.
 *
 * <pre>{@code
 * Multiaddr addr = Multiaddr.parse("/ip4/192.0.2.7/tcp/4001/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV");
 * InetSocketAddress socket = addr.toSocketAddress();          // 192.0.2.7:4001
 * byte[] peer = addr.peerIdBytes().orElseThrow();             // the identity multihash 00 24 08 01 ...
 * byte[] wire = addr.toBytes();                               // for identify's listenAddrs
 * Multiaddr ws = addr.withoutPeerId().encapsulate("/ws");     // /ip4/192.0.2.7/tcp/4001/ws
 * }</pre>
 */
package weft.multiformats;
