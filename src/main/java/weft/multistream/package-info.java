/**
 * multistream-select 1.0: the handshake that runs at the start of every libp2p connection and stream to agree on
 * the protocol that follows ({@code /noise}, {@code /yamux/1.0.0}, {@code /ipfs/ping/1.0.0}).
 *
 * <p>Spec: <a href="https://github.com/multiformats/multistream-select">multiformats/multistream-select</a>
 * (version {@code /multistream/1.0.0}) and the "Protocol Negotiation" section of
 * <a href="https://github.com/libp2p/specs/blob/master/connections/README.md">libp2p/specs connections</a>.
 *
 * <h2>Messages</h2>
 * Every message is {@code uvarint(length) || text || '\n'}, the newline counted in the length:
 * <pre>
 * /multistream/1.0.0  =  13 2f 6d 75 6c 74 69 73 74 72 65 61 6d 2f 31 2e 30 2e 30 0a
 * /noise              =  07 2f 6e 6f 69 73 65 0a
 * /yamux/1.0.0        =  0d 2f 79 61 6d 75 78 2f 31 2e 30 2e 30 0a
 * na                  =  03 6e 61 0a
 * ls                  =  03 6c 73 0a
 * </pre>
 * The answer to {@code ls} nests one message per protocol inside one message, followed by a newline:
 * {@code uvarint(total) || {uvarint(len) || protocol || '\n'}* || '\n'}. A message may be at most 1024 bytes
 * (go-multistream's limit); a longer one is a {@link weft.ProtocolViolationException}.
 *
 * <h2>Roles</h2>
 * <pre>
 * dialer                                   listener
 *   /multistream/1.0.0 + /tls/1.0.0   →
 *                                      ←     /multistream/1.0.0 + na          (not supported: try the next)
 *   /noise                            →
 *                                      ←     /noise                           (echo: selected)
 *   first Noise message ...           →
 * </pre>
 * The dialer ({@link weft.multistream.MultistreamSelect#select}) sends the header and its first proposal in one
 * write; when the listener says {@code na} to all of them it throws
 * {@link weft.multistream.ProtocolNotSupportedException}. The listener
 * ({@link weft.multistream.MultistreamSelect#handle}) echoes the first proposal it supports. The lazy dialer
 * ({@link weft.multistream.MultistreamSelect#selectLazily}) does not wait for the echo: header, proposal and the
 * first data go out together and the first read checks the answer, one round trip less.
 *
 * <h2>Threads</h2>
 * Everything runs on the caller's thread (the upgrade thread for connections, the stream's handler thread for
 * streams), blocking on the stream. There are no timeouts here: wrap the negotiation in
 * {@link weft.io.Deadline#closeAfter}. No method reads past the last negotiation message, so bytes the peer sent
 * right after it belong to the next layer.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * // dialer, on a fresh connection
 * String security = MultistreamSelect.select(conn, List.of("/noise", "/tls/1.0.0"));
 * // listener
 * String chosen = MultistreamSelect.handle(conn, Set.of("/noise"));
 * // dialer that knows the peer speaks ping: no round trip
 * DuplexStream ping = MultistreamSelect.selectLazily(stream, "/ipfs/ping/1.0.0");
 * }</pre>
 */
package weft.multistream;
