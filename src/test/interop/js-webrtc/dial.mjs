#!/usr/bin/env node
// A js-libp2p WebRTC-direct dialer for weft's interop test: @libp2p/webrtc (node-datachannel, i.e. libdatachannel
// and usrsctp, inside) dials a weft listener and runs one scenario.
//
//   node dial.mjs <multiaddr .../udp/N/webrtc-direct/certhash/.../p2p/ID> <scenario> [--streams N] [--bytes B]
//       prints one JSON line {"scenario":...,"ok":true|false,...} on stdout; exit code 0 if ok, else 1.
//
// Scenarios: ping (3 pings), echo (one stream), echo-parallel (N streams of B bytes at once), identify.
// Logs go to stderr. Facts this peer depends on are in shared/reference/js-libp2p-notes.md.
import '../js/polyfill.mjs'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { webRTCDirect } from '@libp2p/webrtc'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { ECHO, PERF, PING, Reader, drained, equalBytes, parseArgs } from '../js/scenarios.mjs'

const log = (...parts) => console.error('[js-webrtc]', ...parts)

async function echoOnce (conn, payload) {
  const stream = await conn.newStream(ECHO)
  // Read while closing: with @libp2p/webrtc 6.0.33, a stream whose echo and FIN arrive while its own close() is
  // still waiting for FIN_ACK sometimes never ends an iterator started after close() returned.
  const reading = new Reader(stream).all()
  stream.send(payload)
  await stream.close()
  const back = await reading
  if (!equalBytes(payload, back)) throw new Error(`echo: sent ${payload.byteLength} bytes, got ${back.byteLength} different ones back`)
}

const scenarios = {
  async ping (node, conn) {
    const stream = await conn.newStream(PING, { maxOutboundStreams: 8 })
    const reader = new Reader(stream)
    const rttsMillis = []
    for (let i = 0; i < 3; i++) {
      const payload = crypto.getRandomValues(new Uint8Array(32))
      const start = performance.now()
      stream.send(payload)
      if (!equalBytes(payload, await reader.exactly(32))) throw new Error(`ping ${i}: wrong bytes echoed`)
      rttsMillis.push(performance.now() - start)
    }
    await stream.close()
    return { rttsMillis }
  },

  async echo (node, conn) {
    await echoOnce(conn, new TextEncoder().encode('Hello from js-libp2p over webrtc-direct'))
    return {}
  },

  async 'echo-parallel' (node, conn, options) {
    const streams = Number(options.streams ?? 20)
    const size = Number(options.bytes ?? 4096)
    await Promise.all(Array.from({ length: streams }, (_, i) => {
      const payload = new Uint8Array(size)
      for (let k = 0; k < size; k++) payload[k] = (i * 31 + k) & 0xff
      return echoOnce(conn, payload)
    }))
    return { streams, bytes: size }
  },

  // perf spec: the client sends the download size as a u64 (big-endian), uploads, half-closes, then reads.
  async perf (node, conn, options) {
    const upload = Number(options['upload-bytes'] ?? 10 * 1024 * 1024)
    const download = Number(options['download-bytes'] ?? 10 * 1024 * 1024)
    const stream = await conn.newStream(PERF)
    const start = performance.now()
    const reading = (async () => {
      let n = 0
      for await (const chunk of stream) n += chunk.byteLength
      return n
    })()
    const header = new Uint8Array(8)
    new DataView(header.buffer).setBigUint64(0, BigInt(download))
    stream.send(header)
    const block = new Uint8Array(16 * 1024)
    for (let sent = 0; sent < upload;) {
      const len = Math.min(block.byteLength, upload - sent)
      sent += len
      if (!stream.send(block.subarray(0, len))) await drained(stream)
    }
    await stream.close()
    const received = await reading
    if (received !== download) throw new Error(`perf: expected ${download} bytes, got ${received}`)
    return { upload, download, millis: performance.now() - start }
  },

  async identify (node, conn) {
    const result = await node.services.identify.identify(conn)
    return { peerId: result.peerId.toString(), agentVersion: result.agentVersion ?? null, protocols: result.protocols }
  }
}

const { positional, options } = parseArgs(process.argv.slice(2))
const [target, scenario] = positional
const result = { scenario, ok: false }
let node
try {
  node = await createLibp2p({
    transports: [webRTCDirect()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // the listener is on loopback, which js refuses to dial by default
    connectionGater: { denyDialMultiaddr: () => false },
    // the connection monitor pings too: allow its stream beside the scenario's
    services: { ping: ping({ maxOutboundStreams: 8 }), identify: identify({ runOnConnectionOpen: false }) }
  })
  const start = performance.now()
  const conn = await node.dial(multiaddr(target))
  result.connectMillis = performance.now() - start
  result.remotePeer = conn.remotePeer.toString()
  Object.assign(result, await scenarios[scenario](node, conn, options))
  result.ok = true
} catch (err) {
  result.error = `${err.name}: ${err.message}`
  log(err.stack ?? err)
}
process.stdout.write(JSON.stringify(result) + '\n')
await node?.stop().catch(() => {})
process.exit(result.ok ? 0 : 1)
