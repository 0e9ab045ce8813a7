/** The machine's own limits for one connection, without weft code: raw loopback TCP and the Noise pipeline. */
package weft.bench.limits;
