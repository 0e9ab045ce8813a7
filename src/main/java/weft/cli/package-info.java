/**
 * The {@code weft} command line, built into {@code target/weft.jar} by {@code mvn package}. The only package that
 * knows picocli and Logback (configured by {@code weft/cli/logback.xml}: warnings on stderr, {@code -v} for debug);
 * the library itself logs through SLF4J only.
 *
 * <p>Commands: {@code perf} (the libp2p perf protocol: in-process loopback run, {@code --listen}, {@code --dial}
 * with {@code --json} perf-runner output), {@code echo --listen|--dial}, {@code ping MULTIADDR [-n N]},
 * {@code id [--key FILE] [--type TYPE] [--json]}, and {@code interop} / {@code interop perf}, the libp2p interop
 * runners' test apps ({@link weft.cli.runner}). Every listener prints its full multiaddrs, {@code /p2p/<id>}
 * included, one per line on stdout. Exit codes: 0 ok, 1 failure with one {@code weft: <what>} line on stderr, 2 bad
 * command line. The commands that make a host take {@code --security noise|tls} and {@code --muxer yamux|mplex}
 * (repeatable or comma lists, most preferred first; a listener accepts each one given); the multiaddr picks the
 * transport ({@code /tcp/N}, {@code /tcp/N/ws}, {@code /udp/N/quic-v1}, {@code /udp/N/webrtc-direct}: a listener there
 * prints {@code .../webrtc-direct/certhash/<fingerprint>/p2p/<id>}, for browsers and for {@code ping} or
 * {@code echo --dial}, its certificate kept in {@code FILE.webrtc} beside {@code --key FILE} so the address survives
 * restarts). Bouncy Castle's TLS engine logs
 * through {@code java.util.logging}: warnings only, INFO with {@code -v}. {@code echo}, {@code ping} and
 * {@code perf} take {@code --trace} (every layer's wire events on stderr, one line each), {@code --trace-json FILE}
 * (the same as JSON lines) and {@code --trace-all} (perf lists every data frame instead of summarizing them;
 * {@link weft.trace}).
 *
 * <p>Threads: the command runs on the main thread; hosts run their own virtual threads; {@code perf} adds one
 * daemon thread that prints progress each second.
 *
 * <pre>
 * java -jar target/weft.jar perf
 * java -jar target/weft.jar perf --listen /ip4/0.0.0.0/tcp/4001 --key perf.key
 * java -jar target/weft.jar perf --dial /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... --upload-bytes 0 --json
 * java -jar target/weft.jar ping /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... -n 3
 * java -jar target/weft.jar echo --dial /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... --trace --trace-json trace.jsonl
 * java -jar target/weft.jar echo --listen /ip4/0.0.0.0/tcp/4002/ws --security tls --muxer mplex,yamux
 * java -jar target/weft.jar echo --listen /ip4/0.0.0.0/udp/4003/webrtc-direct --key node.key
 * java -jar target/weft.jar id --key my.key
 * </pre>
 */
package weft.cli;
