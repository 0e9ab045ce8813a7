/**
 * Identify, {@code /ipfs/id/1.0.0}, and identify push, {@code /ipfs/id/push/1.0.0}: peers tell each other who they
 * are and what they speak.
 *
 * <p>Spec: libp2p specs {@code identify/README.md}, https://github.com/libp2p/specs/blob/master/identify/README.md.
 * The message carries the sender's public key, listen addresses, supported protocols, protocol and agent versions,
 * and the address it sees the receiver connect from ({@code observedAddr}, how a peer behind a NAT learns its
 * public address). A host runs identify on every new connection and records the answer; it pushes an update when
 * its own addresses or protocols change.
 *
 * <p>Roles: for {@code /ipfs/id/1.0.0} the peer that opens the stream reads, the handler writes and closes. For
 * push the opener writes and the handler reads. Messages are uvarint-length-prefixed protobufs
 * ({@link weft.protocol.identify.IdentifyMessage}); size limits follow go-libp2p: accept 8 KiB per message and up
 * to 10 messages, send at most 4 KiB.
 *
 * <p>Threads: the stream's thread, blocking; a message is at most 8 KiB so reading one never needs more.
 *
 * <pre>{@code
 * MuxedStream stream = connection.openStream(Identify.PROTOCOL_ID);
 * IdentifyMessage theirs = Identify.read(stream);
 * PublicKey key = PublicKey.unmarshal(theirs.publicKey());
 * // on the other side, the handler for Identify.PROTOCOL_ID:
 * Identify.write(stream, ours);
 * }</pre>
 */
package weft.protocol.identify;
