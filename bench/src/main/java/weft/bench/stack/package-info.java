/** weft's tcp/noise/yamux stack assembled from its layers on loopback, and its throughput. */
package weft.bench.stack;
