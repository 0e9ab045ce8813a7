/**
 * weft and js-libp2p as real programs on loopback tcp/noise/yamux (issue 6, end-to-end items 2-6):
 * {@link weft.bench.e2e.EndToEnd} starts a {@code weft perf --listen} and a js interop peer, runs perf for every
 * dialer/listener pair and the latency clients ({@link weft.bench.e2e.Latency} for weft,
 * {@code bench/js/latency.mjs} for js), and prints {@code RESULT} lines for {@code weft.bench.Table}.
 */
package weft.bench.e2e;
