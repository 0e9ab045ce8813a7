/**
 * QUIC v1 end-to-end perf: weft to weft and weft to js-libp2p ({@code @chainsafe/libp2p-quic}) over
 * {@code /udp/N/quic-v1} on loopback ({@link weft.bench.quic.QuicPerf}). Needs netty's QUIC codec and its native jar
 * on the bench class path, as the main build has them.
 */
package weft.bench.quic;
