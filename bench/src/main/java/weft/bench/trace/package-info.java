/** What the wire trace costs on the yamux hot path: off, and on with a listener that drops every event (JMH). */
package weft.bench.trace;
