#!/usr/bin/env node
// js-libp2p's side of the latency rows in bench/run.sh (issue 6, end-to-end items 5 and 6); the same measurement as
// weft.bench.e2e.Latency, against a listener at MULTIADDR (weft's `weft perf --listen` or the js interop peer):
//   1. connection establishment + 1-byte round trip, CONNECTIONS times, a new connection each: dial TCP, Noise XX,
//      yamux, a /perf/1.0.0 stream with 1 byte up and 1 byte down; the clock stops when the byte is back;
//   2. ping RTT: PINGS pings of 32 bytes on one /ipfs/ping/1.0.0 stream of one connection.
// WARMUP connections and pings come first, uncounted. Prints {"connectMillis":[...],"pingMillis":[...]}.
// New connections start at most every PACE_MS (250) milliseconds, outside the timed part: a js-libp2p listener
// accepts at most 5 inbound connections per second from one host by default (connection manager
// `inboundConnectionThreshold`) and resets the rest; weft.bench.e2e.Latency paces the same way.
//
//   node bench/js/latency.mjs MULTIADDR [CONNECTIONS=100] [PINGS=1000] [WARMUP=20] [PACE_MS=250]
//
// It uses the interop peer's pinned packages: run.sh links bench/js/node_modules to src/test/interop/js/node_modules
// (installed by `bash .ci/install` or `npm ci --prefix src/test/interop/js`).
import '../../src/test/interop/js/polyfill.mjs'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'

const PERF = '/perf/1.0.0'
const PING = '/ipfs/ping/1.0.0'
const PING_SIZE = 32

/** Reads exactly n bytes from a js-libp2p stream's async iterator, keeping what comes after. */
class Reader {
  constructor (stream) { this.it = stream[Symbol.asyncIterator](); this.pending = new Uint8Array(0) }
  async exactly (n) {
    while (this.pending.byteLength < n) {
      const { value, done } = await this.it.next()
      if (done) throw new Error(`unexpected eof: wanted ${n} bytes, got ${this.pending.byteLength}`)
      const chunk = value instanceof Uint8Array ? value : value.subarray()
      const joined = new Uint8Array(this.pending.byteLength + chunk.byteLength)
      joined.set(this.pending); joined.set(chunk, this.pending.byteLength)
      this.pending = joined
    }
    const out = this.pending.subarray(0, n)
    this.pending = this.pending.subarray(n)
    return out
  }
  async rest () {
    let total = this.pending.byteLength
    for (;;) {
      const { value, done } = await this.it.next()
      if (done) return total
      total += value.byteLength
    }
  }
}

let lastDial = 0

async function connectAndRoundTrip (node, target) {
  const wait = lastDial + pace - performance.now()
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  lastDial = performance.now()
  const start = performance.now()
  const conn = await node.dial(target)
  try {
    const stream = await conn.newStream(PERF)
    const reader = new Reader(stream)
    const header = new Uint8Array(9) // perf spec: u64 big-endian bytes to send back (1), then our 1 byte
    header[7] = 1
    stream.send(header)
    await stream.close()
    const got = await reader.rest()
    const end = performance.now()
    if (got !== 1) throw new Error(`perf: got ${got} bytes back, wanted 1`)
    return end - start
  } finally {
    await conn.close()
  }
}

const [target, connections = '100', pings = '1000', warmup = '20', paceMs = '250'] = process.argv.slice(2)
const pace = Number(paceMs)
const node = await createLibp2p({
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify({ runOnConnectionOpen: false }) }
})
const ma = multiaddr(target)
for (let i = 0; i < Number(warmup); i++) await connectAndRoundTrip(node, ma)
const connectMillis = []
for (let i = 0; i < Number(connections); i++) connectMillis.push(await connectAndRoundTrip(node, ma))

const conn = await node.dial(ma)
const stream = await conn.newStream(PING)
const reader = new Reader(stream)
const pingMillis = []
for (let i = 0; i < Number(warmup) * 5 + Number(pings); i++) {
  const payload = crypto.getRandomValues(new Uint8Array(PING_SIZE))
  const start = performance.now()
  stream.send(payload)
  const echoed = await reader.exactly(PING_SIZE)
  const rtt = performance.now() - start
  if (Buffer.compare(Buffer.from(payload), Buffer.from(echoed)) !== 0) throw new Error(`ping ${i}: wrong bytes echoed`)
  if (i >= Number(warmup) * 5) pingMillis.push(rtt)
}
await stream.close()
await conn.close()
process.stdout.write(JSON.stringify({ connectMillis, pingMillis }) + '\n')
await node.stop()
process.exit(0)
