/**
 * An in-memory duplex pipe for benchmarks ({@link weft.bench.pipe.FastPipe}): one copy per side, and it wakes only
 * parked threads.
 */
package weft.bench.pipe;
