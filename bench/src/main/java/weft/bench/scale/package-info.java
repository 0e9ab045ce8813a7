/**
 * Scale: many concurrent idle streams on one tcp/noise/yamux connection ({@link weft.bench.scale.YamuxScale}) and
 * many connections to one listening host, each doing ping ({@link weft.bench.scale.ConnectionScale}); memory and
 * threads per idle stream and per idle connection.
 */
package weft.bench.scale;
