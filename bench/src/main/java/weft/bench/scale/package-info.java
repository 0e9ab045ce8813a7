/** Scale: many concurrent idle streams on one tcp/noise/yamux connection; memory and threads per stream. */
package weft.bench.scale;
