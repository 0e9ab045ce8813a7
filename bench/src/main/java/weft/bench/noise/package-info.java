/** Noise: AEAD seal/open (JMH), full XX handshakes (JMH), and a secured connection over loopback TCP. */
package weft.bench.noise;
