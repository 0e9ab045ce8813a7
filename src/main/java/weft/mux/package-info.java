/**
 * Stream multiplexing: many independent streams over one secured connection.
 *
 * <p>A {@link weft.mux.StreamMuxer} ({@code /yamux/1.0.0} in {@link weft.mux.yamux}, flow-controlled; the legacy
 * {@code /mplex/6.7.0} in {@link weft.mux.mplex}, which has no flow control and bounds each stream's buffer) starts a
 * {@link weft.mux.MuxedConnection} over a byte stream. Either side opens streams with
 * {@link weft.mux.MuxedConnection#openStream()} and takes the peer's with
 * {@link weft.mux.MuxedConnection#acceptStream()}. Every stream is a {@link weft.mux.MuxedStream}: blocking reads
 * and writes, a half-close ({@code closeWrite}), and a reset.
 *
 * <pre>{@code
 * MuxedConnection session = new Yamux().start(secured, dialer);
 * MuxedStream s = session.openStream();
 * s.write(request, 0, request.length);
 * s.closeWrite();                      // FIN: the peer reads to EOF
 * int n = s.read(buf, 0, buf.length);  // blocks until data, -1 at the peer's FIN
 * }</pre>
 *
 * <p>What fails, and how much: {@link weft.mux.StreamResetException} ends one stream,
 * {@link weft.mux.StreamClosedException} is a write after our own half-close, and
 * {@link weft.ConnectionClosedException} ends every stream of the session, with the cause.
 *
 * <p>Threads: one reader thread per session decodes frames and never runs application code; one writer thread
 * per session puts every frame on the wire; each stream is used by its own (virtual) thread.
 */
package weft.mux;
