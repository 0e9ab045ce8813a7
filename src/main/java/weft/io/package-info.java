/**
 * The blocking IO machinery every connection shares: the writer thread, bounded receive buffers, deadlines and
 * time.
 *
 * <ul>
 *   <li>{@link weft.io.DuplexStream}: a blocking byte stream both ways; what each layer hands to the next, with the
 *       {@link weft.trace.Trace} its layers report to.
 *   <li>{@link weft.io.FrameWriter}: the one thread per connection that writes to it, with a control lane that never
 *       blocks and a bounded data lane, batching queued frames into one write and flush.
 *   <li>{@link weft.io.BorrowedFrames}: data frames that point into the caller's array instead of a copy; the caller
 *       waits until the writer has written them (go-yamux's {@code Write} also returns once its frame is sent).
 *   <li>{@link weft.io.StreamBuffer}: a stream's receive buffer; readers block until data, end of stream, failure or
 *       timeout (Okio's {@code Pipe} model); appends never block, a producer may wait for room with a bound.
 *   <li>{@link weft.io.Deadline}: closes a stream when a whole job (a handshake) overruns.
 *   <li>{@link weft.io.LingeringClose}: closes a connection on the peer's protocol error so that the peer reads our
 *       last frame: half-close, drain what the peer still sends (bounded), then close, a FIN rather than a reset.
 *   <li>{@link weft.io.Scheduler}: the clock and timer for protocol timers; tests inject a manual one.
 * </ul>
 *
 * <h2>Threads (weft DESIGN §2)</h2>
 *
 * <table>
 *   <caption>Who runs what</caption>
 *   <tr><th>thread</th><th>runs</th><th>may block on</th><th>never</th></tr>
 *   <tr><td>accept loop, one per listener</td><td>{@code accept()}, hands each socket to a new virtual thread</td>
 *       <td>accept</td><td>dies because one connection failed</td></tr>
 *   <tr><td>upgrade, one per new connection</td><td>multistream, security handshake, muxer selection</td>
 *       <td>socket IO, the handshake {@link weft.io.Deadline}</td><td>outlives the handshake deadline</td></tr>
 *   <tr><td>{@code weft-reader-<conn>}, one per connection (virtual)</td><td>decodes frames, dispatches to
 *       streams</td><td>socket read; with mplex (no flow control) a full {@link weft.io.StreamBuffer}, for at most
 *       its slow-reader timeout</td><td>runs user code; waits on a full writer queue</td></tr>
 *   <tr><td>{@code weft-writer-<conn>}, one per connection (virtual)</td><td>drains the {@link weft.io.FrameWriter}
 *       lanes, batches frames into one socket write</td><td>socket write</td><td>is bypassed: every byte on the wire
 *       goes through it</td></tr>
 *   <tr><td>stream handler, one per stream (virtual)</td><td>the application's protocol code</td><td>stream read
 *       and write</td><td>touches the socket</td></tr>
 *   <tr><td>{@code weft-timer} (platform, daemon)</td><td>{@link weft.io.Scheduler} tasks: keep-alive and RTT
 *       pings</td><td>nothing: tasks only queue frames</td><td>does IO</td></tr>
 * </table>
 *
 * <p>Write contract: a stream's {@code write} returns once its bytes are framed and queued on the writer's data lane
 * (it blocks while the lane or the stream's send window is full: that is the back-pressure); a large yamux write
 * whose frames borrow the caller's array returns once the writer has written them. A later socket failure
 * is recorded by the writer, which closes the connection; every following call on every stream then throws
 * {@link weft.ConnectionClosedException} with that cause. No intrinsic (monitor) locks anywhere: they pinned virtual threads
 * to their carrier before JDK 24; {@code ReentrantLock} and {@code Condition} instead, and each shared field says
 * which lock guards it.
 *
 * <pre>{@code
 * FrameWriter writer = FrameWriter.start("c1", socket.output(), socket, 1 << 20, Duration.ofSeconds(10),
 *         cause -> connection.fail(cause));
 * writer.sendControlLater(windowUpdateFrame);              // never blocks
 * writer.sendDataLater(dataFrame, 0);                      // waits while the data lane is full
 * writer.finish(goAwayFrame, false);                       // drain, send go-away, close the socket
 * }</pre>
 */
package weft.io;
