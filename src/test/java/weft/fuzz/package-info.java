/**
 * Coverage-guided fuzz targets for every decoder a peer can reach (weft issue 7), run by
 * <a href="https://github.com/CodeIntelligenceTesting/jazzer">Jazzer</a>'s JUnit integration.
 *
 * <p>One class per layer, one {@code @FuzzTest} per decoder:
 * <ul>
 *   <li>{@link weft.fuzz.MultiformatsFuzzTest}: varints (array and stream), multiaddr bytes and text, multibase,
 *       multihash;
 *   <li>{@link weft.fuzz.CryptoFuzzTest}: public and private key protobufs, peer IDs in bytes and text;
 *   <li>{@link weft.fuzz.IoFuzzTest}: protobuf fields, uvarint-length-prefixed messages;
 *   <li>{@link weft.fuzz.MultistreamFuzzTest}: multistream-select listener, dialer, {@code ls} and lazy dialer;
 *   <li>{@link weft.fuzz.NoiseFuzzTest}: the Noise responder and initiator fed raw handshake bytes, and
 *       {@code weft.security.noise.NoisePayloadFuzzTest} (in that package: its scripted peer needs the
 *       package-private {@code HandshakeState}): handshake payloads that get past the encryption;
 *       {@code weft.security.noise.NoiseTransportFuzzTest}: the transport phase, a script of sealed, forged,
 *       tampered and cut messages that a scripted sender seals with the peer's key;
 *   <li>{@code weft.transport.websocket.WebSocketFuzzTest} (in that package: the connection is package-private):
 *       the frame stream as server and as client, and the HTTP upgrade head as server and as client;
 *   <li>{@link weft.fuzz.TlsFuzzTest}: the TLS server and client fed raw handshake bytes, and peer certificates
 *       through the JDK's X.509 parser and {@code Libp2pCertificate.verify};
 *   <li>{@link weft.fuzz.YamuxFuzzTest}: a yamux session (listener and dialer) whose peer sends an arbitrary frame
 *       stream, bounded in time;
 *   <li>{@link weft.fuzz.MplexFuzzTest}: the same for an mplex session;
 *   <li>{@link weft.fuzz.IdentifyFuzzTest}: the identify message, and a stream of them as {@code Identify.read}
 *       takes it.
 * </ul>
 *
 * <p>Each target feeds the fuzzer's bytes to a decoder and lets only the decoder's documented, typed exceptions
 * through its {@code catch}: {@code MultiformatException}, {@code KeyFormatException}, {@code ProtobufException},
 * {@code ProtocolViolationException}, {@code ProtocolNotSupportedException}, {@code EOFException},
 * {@code HandshakeException}, and for yamux {@code ConnectionClosedException} / {@code StreamResetException} with a
 * typed cause (for mplex also a {@code ResourceLimitException}). Anything else (an index error, a null pointer, a
 * {@code NumberFormatException}, an {@code OutOfMemoryError} from a length field, a failed round trip, a hang)
 * escapes and is a finding. Where it is cheap a target also checks an invariant: a multiaddr that decodes re-encodes
 * to the same bytes and parses back from its text, a listener that accepts read no byte past the proposal, a yamux or
 * mplex session leaves no stream behind.
 *
 * <h2>Two modes</h2>
 * <ul>
 *   <li><b>Regression</b> (the default, {@code mvn verify}): each target runs once per file in its inputs
 *       directory, {@code src/test/resources/weft/fuzz/<Class>Inputs/<method>/}: the seed corpus (valid
 *       multiaddrs, the peer-id spec vectors, multistream exchanges) and every input that once crashed. Fast and
 *       deterministic; no mutation.
 *   <li><b>Fuzzing</b>, on demand: {@code JAZZER_FUZZ=1} makes Jazzer mutate from those inputs, guided by
 *       coverage, for one target per JVM. {@code JAZZER_MAX_DURATION} bounds the run (default 5 minutes,
 *       {@code @FuzzTest(maxDuration)}); the pom's {@code fuzzing} profile, active whenever {@code JAZZER_FUZZ} is
 *       set, lifts JUnit's 60 s per-test timeout, which would otherwise end the run. Inputs that reach new code
 *       go to {@code .cifuzz-corpus/} (not committed); an input that crashes is written into the target's inputs
 *       directory, so once the bug is fixed, committing that file makes the regression run cover it.
 * </ul>
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=2m \
 *     mvn -B test -Dtest='weft.fuzz.MultiformatsFuzzTest#multiaddrFromBytes' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <h2>Adding a target</h2>
 * Add a {@code @FuzzTest void decoderName(byte[] data)} to the layer's class (or a new {@code <Layer>FuzzTest}),
 * catch exactly the exceptions the decoder documents, and put a handful of valid inputs (raw bytes, one per file)
 * in {@code src/test/resources/weft/fuzz/<Class>Inputs/<method>/}. Take {@code byte[]}, and decode text targets
 * from it as UTF-8, so seeds stay plain files anyone can read and write.
 */
package weft.fuzz;
