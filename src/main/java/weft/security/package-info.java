/**
 * Security: turning an insecure byte stream into an authenticated, encrypted one.
 *
 * <p>A {@link weft.security.SecureChannel} is selected with multistream-select by its protocol id
 * ({@code /noise}, later {@code /tls/1.0.0}) and runs its handshake on the upgrade thread of a new connection.
 * The result, a {@link weft.security.SecureConnection}, knows both peer IDs and, when the handshake carried it,
 * the stream muxer both sides agreed on (libp2p
 * <a href="https://github.com/libp2p/specs/blob/master/connections/inlined-muxer-negotiation.md">inlined muxer
 * negotiation</a>), which saves the multistream round trip for the muxer.
 *
 * <p>When dialing an address that names a peer ({@code /p2p/<id>}), the dialer passes that ID as
 * {@code expectedRemote}; a remote that proves another identity fails the handshake with
 * {@link weft.security.PeerIdMismatchException} and the connection is closed.
 *
 * <pre>{@code
 * SecureChannel noise = new NoiseSecureChannel(identity);
 * SecureConnection secured = noise.secureOutbound(rawConnection, expectedPeer);
 * secured.remotePeer();          // proven by the handshake
 * secured.negotiatedMuxer();     // Optional.of("/yamux/1.0.0") when early negotiation succeeded
 * }</pre>
 *
 * <p>Threads: the handshake runs on the caller's thread, bounded by a deadline. Afterwards the connection's
 * reader thread reads and its writer thread writes; a secure connection is not safe for more than one of each.
 */
package weft.security;
