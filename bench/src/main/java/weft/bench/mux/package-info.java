/** Yamux session throughput over an in-memory pipe, by write size and stream count (JMH). */
package weft.bench.mux;
