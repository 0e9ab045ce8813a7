/**
 * weft's benchmarks (issue 6), a separate build under {@code bench/}: JMH micro-benchmarks and hand-written runners
 * that print {@code RESULT} lines ({@link weft.bench.Results}), gathered into one Markdown table by
 * {@link weft.bench.Table}. {@code bench/run.sh} builds and runs them all; {@code bench/README.md} says how to run
 * each one.
 */
package weft.bench;
