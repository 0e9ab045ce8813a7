/**
 * Coverage-guided fuzz targets for every decoder a peer can reach (weft issue 7), run by
 * <a href="https://github.com/CodeIntelligenceTesting/jazzer">Jazzer</a>'s JUnit integration.
 *
 * <p>One class per layer, one {@code @FuzzTest} per decoder. Each target feeds the fuzzer's bytes to a decoder and
 * lets only the decoder's documented, typed exceptions through its {@code catch}: {@code MultiformatException},
 * {@code KeyFormatException}, {@code ProtobufException}, {@code ProtocolViolationException},
 * {@code ProtocolNotSupportedException}, {@code EOFException}. Anything else (an index error, a null pointer, a
 * {@code NumberFormatException}, an {@code OutOfMemoryError} from a length field, a failed round trip) escapes and
 * is a finding. Where it is cheap a target also checks an invariant: a multiaddr that decodes re-encodes to the
 * same bytes and parses back from its text, a listener that accepts read no byte past the proposal.
 *
 * <h2>Two modes</h2>
 * <ul>
 *   <li><b>Regression</b> (the default, {@code mvn verify}): each target runs once per file in its inputs
 *       directory, {@code src/test/resources/weft/fuzz/<Class>Inputs/<method>/}: the seed corpus (valid
 *       multiaddrs, the peer-id spec vectors, multistream exchanges) and every input that once crashed. Fast and
 *       deterministic; no mutation.
 *   <li><b>Fuzzing</b>, on demand: {@code JAZZER_FUZZ=1} makes Jazzer mutate from those inputs, guided by
 *       coverage, for one target per JVM. {@code JAZZER_MAX_DURATION} bounds the run (default 5 minutes,
 *       {@code @FuzzTest(maxDuration)}). Inputs that reach new code go to {@code .cifuzz-corpus/} (not
 *       committed); an input that crashes is written into the target's inputs directory, so once the bug is
 *       fixed, committing that file makes the regression run cover it.
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
