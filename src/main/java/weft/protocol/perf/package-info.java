/**
 * Perf, {@code /perf/1.0.0}: throughput measurement between two peers over one stream.
 *
 * <p>Spec: libp2p specs {@code perf/perf.md} (1A Working Draft, r0 2022-11-16),
 * https://github.com/libp2p/specs/blob/master/perf/perf.md. The client sends a u64 big-endian (how many bytes it
 * wants back), then its upload, then half-closes; the server reads the u64, reads until the client's FIN, then
 * sends the requested bytes and closes. The content is arbitrary (zeros here). A download-only run asks for N and
 * uploads 0; an upload-only run asks for 0.
 *
 * <pre>
 * client: [u64 N][upload bytes ...] FIN                 reads N bytes, then EOF
 * server:                                  [N bytes ...] FIN
 * </pre>
 *
 * <p>Perf is not enabled by default ("SHOULD NOT be enabled by default" — spec): the CLI registers it.
 *
 * <p>Threads: the stream's thread, blocking; back-pressure comes from the muxer's flow control, so memory stays
 * bounded whatever the sizes. The client's progress callback runs on that thread after every 64 KiB block.
 *
 * <pre>{@code
 * MuxedStream stream = host.newStream(peer, Perf.PROTOCOL_ID);
 * Perf.Result r = Perf.run(stream, 0, 1L << 30, Perf.Progress.NONE);
 * double gbps = r.downloadedBytes() * 8e-9 / (r.downloadTime().toNanos() / 1e9);
 * // on the other side, the handler for Perf.PROTOCOL_ID:
 * Perf.serve(stream);
 * }</pre>
 */
package weft.protocol.perf;
