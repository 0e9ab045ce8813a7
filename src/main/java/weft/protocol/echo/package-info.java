/**
 * Echo, {@code /echo/1.0.0}: the server sends back everything it receives, until the client half-closes.
 *
 * <p>No libp2p spec document defines it; the reference is js-libp2p's {@code @libp2p/echo}
 * ({@code packages/protocol-echo}): it pipes every received chunk back and closes its side after the remote's
 * end of stream. The unified-testing "misc" interop suite uses it. weft uses it to test streams end to end:
 * half-close in both orders, many streams at once, resets.
 *
 * <p>Roles: the client writes and half-closes, then reads to end of stream; the server loops read → write.
 *
 * <p>Threads: the server runs on its stream's thread. The client reads on the caller's thread and writes from one
 * extra virtual thread, so that a message larger than the flow-control windows cannot deadlock.
 *
 * <pre>{@code
 * MuxedStream stream = host.newStream(peer, Echo.PROTOCOL_ID);
 * byte[] back = Echo.echo(stream, "hello".getBytes(StandardCharsets.UTF_8));
 * // on the other side, the handler for Echo.PROTOCOL_ID:
 * Echo.serve(stream);
 * }</pre>
 */
package weft.protocol.echo;
