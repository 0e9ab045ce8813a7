/**
 * The test apps libp2p's interoperability runners start: {@code weft interop} (transport: connect and ping) and
 * {@code weft interop perf} (throughput and latency), so that weft can join the shared matrix where every
 * implementation is tested against every other.
 *
 * <p>A runner starts two containers of an implementation's image, a listener and a dialer, passes them what to do
 * in environment variables, and has them meet through Redis: the listener binds, publishes its multiaddr
 * ({@code /p2p/<id>} included) under a key, and serves until it is stopped; the dialer takes the address, measures,
 * prints the result on stdout (logs go to stderr) and exits 0, or non-zero when anything failed. Two runners, two
 * conventions ({@link weft.cli.runner.Convention}):
 *
 * <ul>
 *   <li>test-plans {@code transport-interop} (github.com/libp2p/test-plans, {@code transport-interop/README.md}):
 *       lowercase variables, key {@code listenerAddr}, the dialer prints
 *       {@code {"handshakePlusOneRTTMillis": 5.0, "pingRTTMilllis": 0.5}};
 *   <li>unified-testing (github.com/libp2p/unified-testing, {@code docs/write-a-transport-test-app.md} and
 *       {@code docs/write-a-perf-test-app.md}, read at commit 7a7e8ae, July 2026): uppercase variables, key
 *       {@code <TEST_KEY>_listener_multiaddr}, YAML results.
 * </ul>
 *
 * <p>Roles: {@link weft.cli.runner.InteropCommand} and {@link weft.cli.runner.InteropPerfCommand} are the two apps;
 * {@link weft.cli.runner.RunnerSettings} reads the environment; {@link weft.cli.runner.Stacks} is the one table of
 * transports, security protocols and muxers weft answers to (extend it when a layer lands);
 * {@link weft.cli.runner.RedisClient} and {@link weft.cli.runner.Resp} speak just enough RESP2 for
 * {@code RPUSH}/{@code BLPOP}/{@code DEL}/{@code SET}/{@code GET}; {@link weft.cli.runner.Summary} computes the perf
 * runner's five-number summaries. The Docker image that runs these apps is described in
 * {@code src/test/interop/runner/README.md}.
 *
 * <p>Threads: each app runs on the main thread and blocks (Redis, connect, ping, perf streams); the host runs its
 * own virtual threads; a listener parks the main thread until the runner stops the JVM (a shutdown hook closes the
 * host).
 *
 * <pre>
 * transport=tcp security=noise muxer=yamux is_dialer=false redis_addr=localhost:6379 java -jar weft.jar interop
 * transport=tcp security=noise muxer=yamux is_dialer=true  redis_addr=localhost:6379 java -jar weft.jar interop
 * # {"handshakePlusOneRTTMillis": 41.870, "pingRTTMilllis": 0.512}
 * IS_DIALER=false REDIS_ADDR=localhost:6379 TEST_KEY=a5b50d5e TRANSPORT=ws SECURE_CHANNEL=noise MUXER=yamux \
 *     java -jar weft.jar interop perf
 * java -jar weft.jar interop --list      # transports: [tcp, ws] ... as images.yaml wants them
 * </pre>
 */
package weft.cli.runner;
