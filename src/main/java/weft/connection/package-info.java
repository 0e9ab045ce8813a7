/**
 * Connections: from a raw transport connection to an authenticated, encrypted, multiplexed one.
 *
 * <p>Spec: libp2p specs {@code connections/README.md} ("Upgrading connections") and
 * {@code connections/inlined-muxer-negotiation.md} (r1, 2022-12-07). The {@link weft.connection.Upgrader} runs
 * the steps in order — multistream-select the security protocol, handshake (the dialer verifies the peer ID it
 * dialed), the muxer from the handshake or from multistream-select, start the muxer — and hands back a
 * {@link weft.connection.Connection} that knows both peers and both addresses.
 *
 * <pre>
 * dialer                                    listener
 * /multistream/1.0.0 /noise        →
 *                                  ←        /multistream/1.0.0 /noise
 * noise XX (muxers in msgs 2 and 3)   ⇄
 * [/multistream/1.0.0 /yamux/1.0.0 ⇄  only without early negotiation]
 * yamux frames                        ⇄
 * </pre>
 *
 * <p>Roles: the dialer is the initiator of each step; the listener the responder. Threads: an upgrade runs on
 * the thread that calls it (the dialer's, or the listener's per-connection virtual thread) under one deadline;
 * after it, the muxer's reader and writer threads own the connection.
 *
 * <pre>{@code
 * Upgrader upgrader = new Upgrader(
 *         List.of(new NoiseSecureChannel(identity).withMuxers(List.of(Yamux.PROTOCOL_ID))), List.of(new Yamux()));
 * RawConnection raw = new TcpTransport().dial(address, Duration.ofSeconds(5));
 * Connection conn = upgrader.upgradeOutbound(raw, Upgrader.peerIdOf(address).orElse(null));
 * MuxedStream stream = conn.openStream();
 * }</pre>
 */
package weft.connection;
