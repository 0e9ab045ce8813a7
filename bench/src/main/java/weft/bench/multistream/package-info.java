/** multistream-select negotiations per second over an in-memory pipe (JMH). */
package weft.bench.multistream;
