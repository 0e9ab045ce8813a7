#!/usr/bin/env node
// A js-libp2p peer for weft's interop tests: TCP or WebSocket, Noise or TLS, yamux or mplex, serving ping,
// identify, echo and perf, and a client that dials a multiaddr and runs scenarios.
//
//   node peer.mjs listen [--listen /ip4/127.0.0.1/tcp/0] [--transport tcp|ws] [--until-stdin-closes] [stack]
//       --transport ws: listen on /ip4/127.0.0.1/tcp/0/ws unless --listen says otherwise.
//       prints {"peerId":...,"multiaddrs":[".../p2p/<id>"]} on one line of stdout, then serves until killed
//       (or until stdin closes, with --until-stdin-closes: a test harness that dies takes the peer with it).
//   node peer.mjs dial <multiaddr> <scenario> [options] [--wait-ms N] [stack]
//       the multiaddr picks the transport (.../tcp/N or .../tcp/N/ws).
//       prints one JSON line {"scenario":...,"ok":true|false,...} on stdout; exit code 0 if ok, else 1.
//       --wait-ms: keep the connection idle that long before running the scenario.
//   node peer.mjs session <multiaddr> [stack]
//       dials once, prints {"connected":true|false,...} on one line, then reads one scenario per line of stdin
//       ("echo-parallel --streams 100") and answers each with its JSON result line, on the same connection,
//       until stdin closes. One process serves every scenario of a test class.
//
// The stack options, for every mode:
//   --security noise|tls     repeatable or a comma list, most preferred first (default noise)
//   --muxer yamux|mplex      repeatable or a comma list, most preferred first (default yamux)
//   --no-early-muxer         no inlined muxer negotiation (Noise extensions, TLS ALPN): multistream-select it
//
// Scenarios and their options:
//   ping           [--count N]                          N pings of 32 random bytes on one stream, RTTs in ms
//   identify                                            the remote's identify message, as JSON
//   echo           [--text T]                           echoes T, checks it comes back unchanged
//   echo-parallel  [--streams N] [--bytes B]            N echo streams at once (default 100), B bytes each
//   perf           [--upload-bytes N] [--download-bytes M]   /perf/1.0.0, both byte counts checked
//   reset                                               a stream the remote resets; a stream we reset; then an
//                                                       echo on the same connection still works
//   half-close     [--bytes B]                          writes B bytes (default 1 MiB), half-closes, reads the
//                                                       echo to EOF while the remote writes after our FIN
//
// Logs go to stderr. Facts this peer depends on are in shared/reference/js-libp2p-notes.md.
import './polyfill.mjs'
import { createInterface } from 'node:readline'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { echo } from '@libp2p/echo'
import { identify, identifyPush } from '@libp2p/identify'
import { mplex } from '@libp2p/mplex'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { tls } from '@libp2p/tls'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { WebSocket as NodeWebSocket } from 'ws'

// Node 20 has no global WebSocket and @libp2p/websockets dials with it: use the `ws` package's client.
globalThis.WebSocket ??= NodeWebSocket

const ECHO = '/echo/1.0.0'
const PING = '/ipfs/ping/1.0.0'
const PERF = '/perf/1.0.0'
// Not a libp2p protocol: the listener reads one chunk on it, then resets the stream (tests remote resets).
const RESET = '/weft-interop/reset/1.0.0'
// go, js and rust perf implementations write 64 KiB blocks.
const BLOCK = 64 * 1024
const PING_SIZE = 32
const STREAM_LIMIT = 1024

const log = (...parts) => console.error('[js-peer]', ...parts)

function parseArgs (argv) {
  const positional = []
  const options = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) {
      positional.push(arg)
    } else if (arg === '--no-early-muxer' || arg === '--until-stdin-closes') {
      options[arg.slice(2)] = true
    } else if (arg === '--security' || arg === '--muxer') {
      // repeatable, and each value may be a comma list: the order is the preference
      if (i + 1 >= argv.length) throw new Error(`missing value for ${arg}`)
      options[arg.slice(2)] = [...(options[arg.slice(2)] ?? []), ...argv[++i].split(',')]
    } else {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${arg}`)
      options[arg.slice(2)] = argv[++i]
    }
  }
  return { positional, options }
}

// @chainsafe/libp2p-noise 17 sends our muxers in its handshake payload (inlined muxer negotiation) and picks one
// from the remote's list; @libp2p/tls 3 offers them as ALPN names before "libp2p". Both skip it when the upgrader
// passes skipStreamMuxerNegotiation, which libp2p's upgrader never does, so "off" wraps the encrypter and passes
// it: then Noise sends an empty list and ignores the remote's, TLS offers only "libp2p", and the muxer is chosen
// with multistream-select. (Emptying `extensions.streamMuxers` alone would still adopt the remote's list.)
// The wrapper also records what the handshake chose, for the result line and the listener's log.
const earlyMuxerChoices = []

const ENCRYPTERS = { noise: [noise, '@chainsafe/libp2p-noise'], tls: [tls, '@libp2p/tls'] }

function encrypter (name, earlyMuxer) {
  if (ENCRYPTERS[name] == null) throw new Error(`unknown security ${name}; noise or tls`)
  const [make, tag] = ENCRYPTERS[name]
  const factory = make()
  return (components) => {
    const inner = factory(components)
    const adjust = (options) => earlyMuxer ? options : { ...options, skipStreamMuxerNegotiation: true }
    const record = (secured) => {
      earlyMuxerChoices.push(secured.streamMuxer?.protocol ?? null)
      return secured
    }
    return {
      protocol: inner.protocol,
      [Symbol.toStringTag]: tag,
      secureOutbound: async (connection, options) => record(await inner.secureOutbound(connection, adjust(options))),
      secureInbound: async (connection, options) => record(await inner.secureInbound(connection, adjust(options)))
    }
  }
}

function muxer (name) {
  if (name === 'yamux') return yamux()
  // @libp2p/mplex closes the whole connection when the remote opens more than `disconnectThreshold` streams per
  // second (default 5; it also counts frames for unknown streams): far too few for the 100-parallel-streams
  // scenario, so allow as many per second as the echo protocol allows streams.
  if (name === 'mplex') return mplex({ disconnectThreshold: STREAM_LIMIT })
  throw new Error(`unknown muxer ${name}; yamux or mplex`)
}

async function createNode ({ listen, earlyMuxer, identifyOnConnect, security = ['noise'], muxers = ['yamux'] }) {
  return createLibp2p({
    addresses: { listen: listen == null ? [] : [listen] },
    // libp2p 3's connection monitor pings every connection each 10 s and aborts it ("TimeoutError: The operation
    // was aborted due to timeout") when a ping takes longer than an adaptive timeout of at least 5 s. On the
    // shared 2-core test machine a ping behind a 100 MiB transfer through a starved Node event loop took longer:
    // allow 30 s, which still fails a peer that stops answering.
    connectionMonitor: { pingTimeout: { minTimeout: 30_000 } },
    transports: [tcp(), webSockets()],
    connectionEncrypters: security.map((name) => encrypter(name, earlyMuxer)),
    streamMuxers: muxers.map(muxer),
    services: {
      ping: ping({ maxInboundStreams: 8 }),
      // One inbound identify stream per connection is js's default; a peer that identifies explicitly right
      // after connecting collides with the automatic run, so allow a few.
      identify: identify({ maxInboundStreams: 8, runOnConnectionOpen: identifyOnConnect }),
      identifyPush: identifyPush({ maxInboundStreams: 8 }),
      // The registrar allows 32 inbound streams per protocol and connection by default: too few for the
      // parallel-streams scenario.
      echo: echo({ maxInboundStreams: STREAM_LIMIT, maxOutboundStreams: STREAM_LIMIT })
    }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Stream helpers

/** Reads a js-libp2p stream as bytes: exact-length reads, reads to EOF, or counting to EOF. */
class Reader {
  constructor (stream) {
    this.it = stream[Symbol.asyncIterator]()
    this.chunks = []
    this.buffered = 0
  }

  async fill () {
    const { value, done } = await this.it.next()
    if (done) return false
    const bytes = value instanceof Uint8Array ? value : value.subarray()
    this.chunks.push(bytes)
    this.buffered += bytes.byteLength
    return true
  }

  async exactly (n) {
    while (this.buffered < n) {
      if (!await this.fill()) throw new Error(`unexpected eof: wanted ${n} bytes, got ${this.buffered}`)
    }
    const out = new Uint8Array(n)
    let off = 0
    while (off < n) {
      const chunk = this.chunks[0]
      const k = Math.min(chunk.byteLength, n - off)
      out.set(chunk.subarray(0, k), off)
      off += k
      if (k === chunk.byteLength) this.chunks.shift()
      else this.chunks[0] = chunk.subarray(k)
    }
    this.buffered -= n
    return out
  }

  /** Everything up to EOF. */
  async all () {
    while (await this.fill()) { /* keep reading */ }
    return this.exactly(this.buffered)
  }

  /** Counts (and drops) everything up to EOF. */
  async count (onBytes = () => {}) {
    let total = this.buffered
    this.chunks = []
    this.buffered = 0
    for (;;) {
      const { value, done } = await this.it.next()
      if (done) return total
      total += value.byteLength
      onBytes(value.byteLength)
    }
  }
}

/**
 * Waits for the stream's 'drain' event. Not stream.onDrain(): in @libp2p/utils 7.4.1 it keeps returning an
 * already-resolved promise after the first pause, so a writer relying on it buffers without bound.
 */
function drained (stream) {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.removeEventListener('drain', onDrain)
      stream.removeEventListener('close', onClose)
    }
    const onDrain = () => { cleanup(); resolve() }
    const onClose = (evt) => { cleanup(); reject(evt.error ?? new Error('stream closed while waiting for drain')) }
    stream.addEventListener('drain', onDrain)
    stream.addEventListener('close', onClose)
  })
}

/** Sends bytes, waiting for 'drain' whenever send() says the buffers are full. */
async function sendAll (stream, bytes) {
  for (let off = 0; off < bytes.byteLength; off += BLOCK) {
    if (!stream.send(bytes.subarray(off, Math.min(off + BLOCK, bytes.byteLength)))) await drained(stream)
  }
}

/** Sends `total` zero bytes (a BigInt: perf sizes are u64) in 64 KiB blocks, with back-pressure. */
async function sendZeros (stream, total) {
  const block = new Uint8Array(BLOCK)
  let left = total
  while (left > 0n) {
    const len = left < BigInt(BLOCK) ? Number(left) : BLOCK
    const ok = stream.send(len === BLOCK ? block : block.subarray(0, len))
    left -= BigInt(len)
    if (!ok) await drained(stream)
  }
}

function u64be (value) {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(value), false)
  return out
}

function equalBytes (a, b) {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

const hex = (bytes) => Buffer.from(bytes).toString('hex')

// ---------------------------------------------------------------------------------------------------------------
// Handlers the listener adds to the js services (ping, identify, echo).

/**
 * perf spec (libp2p/specs perf/perf.md): "the server reads the 8-byte big-endian number of bytes to send back,
 * then reads until EOF, then sends that many bytes and closes".
 */
async function handlePerf (stream) {
  const reader = new Reader(stream)
  const header = await reader.exactly(8)
  const toSend = new DataView(header.buffer, header.byteOffset, 8).getBigUint64(0, false)
  const received = await reader.count()
  log(`perf: received ${received} bytes, sending ${toSend}`)
  await sendZeros(stream, toSend)
  await stream.close()
}

async function handleReset (stream) {
  for await (const chunk of stream) {
    log(`reset: got ${chunk.byteLength} bytes, resetting the stream`)
    stream.abort(new Error('weft-interop: reset on purpose'))
    return
  }
}

function handled (name, handler) {
  return (stream, connection) => {
    Promise.resolve(handler(stream, connection)).catch((err) => {
      log(`${name} handler failed: ${err.stack ?? err.message}`)
      stream.abort(err)
    })
  }
}

async function runListener (options) {
  const transport = options.transport ?? 'tcp'
  if (transport !== 'tcp' && transport !== 'ws') throw new Error(`unknown transport ${transport}; tcp or ws`)
  const listen = options.listen ?? (transport === 'ws' ? '/ip4/127.0.0.1/tcp/0/ws' : '/ip4/127.0.0.1/tcp/0')
  const node = await createNode({ ...stackOf(options), listen, identifyOnConnect: true })
  await node.handle(PERF, handled('perf', handlePerf), { maxInboundStreams: STREAM_LIMIT })
  await node.handle(RESET, handled('reset', handleReset), { maxInboundStreams: STREAM_LIMIT })
  node.addEventListener('connection:open', (evt) => {
    const c = evt.detail
    const early = earlyMuxerChoices.at(-1) != null ? 'early muxer negotiation' : 'muxer by multistream-select'
    log(`connection ${c.id} from ${c.remoteAddr} (${c.encryption}, ${c.multiplexer}, ${early})`)
  })
  node.addEventListener('connection:close', (evt) => log(`connection ${evt.detail.id} closed`))
  const stop = async () => {
    await node.stop()
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  if (options['until-stdin-closes']) {
    process.stdin.on('end', stop)
    process.stdin.resume()
  }
  const multiaddrs = node.getMultiaddrs().map(String)
  process.stdout.write(JSON.stringify({ peerId: node.peerId.toString(), multiaddrs }) + '\n')
}

// ---------------------------------------------------------------------------------------------------------------
// Client scenarios: each returns the fields of the result line, or throws.

const scenarios = {
  async ping (node, conn, options) {
    const count = Number(options.count ?? 1)
    const stream = await conn.newStream(PING)
    const reader = new Reader(stream)
    const rttsMillis = []
    for (let i = 0; i < count; i++) {
      const payload = crypto.getRandomValues(new Uint8Array(PING_SIZE))
      const start = performance.now()
      stream.send(payload)
      const answer = await reader.exactly(PING_SIZE)
      rttsMillis.push(performance.now() - start)
      if (!equalBytes(payload, answer)) throw new Error(`ping ${i}: wrong bytes echoed`)
    }
    // ping spec: the dialer SHOULD close its write side after the last ping.
    await stream.close()
    const rest = await reader.count()
    if (rest !== 0) throw new Error(`ping: ${rest} unexpected bytes after the last pong`)
    return { count, rttsMillis }
  },

  async identify (node, conn) {
    const result = await node.services.identify.identify(conn)
    if (!result.peerId.equals(conn.remotePeer)) throw new Error(`identify: peer id ${result.peerId} is not ${conn.remotePeer}`)
    return {
      peerId: result.peerId.toString(),
      protocolVersion: result.protocolVersion ?? null,
      agentVersion: result.agentVersion ?? null,
      publicKey: result.publicKey == null ? null : hex(result.publicKey),
      listenAddrs: result.listenAddrs.map(String),
      observedAddr: result.observedAddr == null ? null : String(result.observedAddr),
      protocols: result.protocols,
      signedPeerRecord: result.signedPeerRecord != null
    }
  },

  async echo (node, conn, options) {
    const text = options.text ?? 'Hello from js-libp2p'
    const sent = new TextEncoder().encode(text)
    const stream = await conn.newStream(ECHO)
    const reader = new Reader(stream)
    await sendAll(stream, sent)
    await stream.close()
    const back = await reader.all()
    if (!equalBytes(sent, back)) throw new Error(`echo: sent ${sent.byteLength} bytes, got ${back.byteLength} different ones back`)
    return { text: new TextDecoder().decode(back) }
  },

  async 'echo-parallel' (node, conn, options) {
    const streams = Number(options.streams ?? 100)
    const size = Number(options.bytes ?? 1024)
    const one = async (i) => {
      const payload = new Uint8Array(size)
      for (let k = 0; k < size; k++) payload[k] = (i * 31 + k) & 0xff
      const stream = await conn.newStream(ECHO)
      const reader = new Reader(stream)
      await sendAll(stream, payload)
      await stream.close()
      const back = await reader.all()
      if (!equalBytes(payload, back)) throw new Error(`echo stream ${i}: sent ${size} bytes, got ${back.byteLength} different ones back`)
    }
    await Promise.all(Array.from({ length: streams }, (_, i) => one(i)))
    return { streams, bytesPerStream: size }
  },

  async perf (node, conn, options) {
    const upload = BigInt(options['upload-bytes'] ?? 0)
    const download = BigInt(options['download-bytes'] ?? 0)
    const start = performance.now()
    const stream = await conn.newStream(PERF)
    const reader = new Reader(stream)
    stream.send(u64be(download))
    await sendZeros(stream, upload)
    await stream.close()
    const uploadDone = performance.now()
    const received = BigInt(await reader.count())
    const end = performance.now()
    if (received !== download) throw new Error(`perf: asked for ${download} bytes, received ${received}`)
    const seconds = (end - start) / 1000
    return {
      uploadBytes: Number(upload),
      downloadBytes: Number(download),
      timeSeconds: seconds,
      // One direction per run gives a clean number: an upload-only run ends when the server has read our EOF.
      uploadGbps: upload > 0n && download === 0n ? Number(upload) * 8 / seconds / 1e9 : null,
      downloadGbps: download > 0n && upload === 0n ? Number(download) * 8 / seconds / 1e9 : null,
      uploadWriteSeconds: (uploadDone - start) / 1000
    }
  },

  async reset (node, conn) {
    // 1. The remote resets: our read must fail, not end cleanly.
    const theirs = await conn.newStream(RESET)
    const theirReader = new Reader(theirs)
    theirs.send(new TextEncoder().encode('reset me'))
    let remoteReset = null
    try {
      await theirReader.count()
    } catch (err) {
      remoteReset = err.name
    }
    if (remoteReset == null) throw new Error('reset: the stream ended cleanly; expected a reset from the remote')
    // 2. We reset an echo stream in the middle.
    const ours = await conn.newStream(ECHO)
    ours.send(new Uint8Array(4096))
    ours.abort(new Error('weft-interop: local reset on purpose'))
    // 3. The connection survives both.
    const after = await scenarios.echo(node, conn, { text: 'still alive after resets' })
    return { remoteReset, localReset: ours.status, echoAfterReset: after.text }
  },

  async 'half-close' (node, conn, options) {
    const size = Number(options.bytes ?? 1024 * 1024)
    const payload = new Uint8Array(size)
    for (let k = 0; k < size; k++) payload[k] = (k * 7) & 0xff
    const stream = await conn.newStream(ECHO)
    const reader = new Reader(stream)
    const back = reader.all()
    await sendAll(stream, payload)
    await stream.close()
    let writeAfterCloseRejected = false
    try {
      stream.send(new Uint8Array(1))
    } catch {
      writeAfterCloseRejected = true
    }
    const received = await back
    if (!equalBytes(payload, received)) throw new Error(`half-close: sent ${size} bytes, got ${received.byteLength} different ones back`)
    return { bytes: size, writeAfterCloseRejected }
  }
}

/** The stack options of the command line, for createNode. */
function stackOf (options) {
  return { earlyMuxer: !options['no-early-muxer'], security: options.security, muxers: options.muxer }
}

/** Dials `target` and describes the connection in `result` (which the result line carries). */
async function connect (node, target, result) {
  const start = performance.now()
  const conn = await node.dial(multiaddr(target))
  result.connectMillis = performance.now() - start
  result.remotePeer = conn.remotePeer.toString()
  result.encryption = conn.encryption ?? null
  result.multiplexer = conn.multiplexer ?? null
  result.earlyMuxer = earlyMuxerChoices.at(-1) ?? null
  return conn
}

/** Runs one scenario on `conn` and returns its result line's fields; never throws. */
async function runScenario (node, conn, scenario, options, result = {}) {
  Object.assign(result, { scenario, ok: false })
  try {
    const run = scenarios[scenario]
    if (run == null) throw new Error(`unknown scenario ${scenario}; one of ${Object.keys(scenarios).join(', ')}`)
    Object.assign(result, await run(node, conn, options))
    result.ok = true
  } catch (err) {
    result.error = `${err.name}: ${err.message}`
    log(err.stack ?? err)
  }
  return result
}

async function runDialer (target, scenario, options) {
  const node = await createNode({ ...stackOf(options), identifyOnConnect: false })
  let result = { scenario, ok: false }
  try {
    const conn = await connect(node, target, result)
    const wait = Number(options['wait-ms'] ?? 0)
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    result = await runScenario(node, conn, scenario, options, result)
  } catch (err) {
    result.error = `${err.name}: ${err.message}`
    log(err.stack ?? err)
  }
  process.stdout.write(JSON.stringify(result) + '\n')
  await node.stop().catch(() => {})
  process.exit(result.ok ? 0 : 1)
}

/**
 * Dials once, then runs the scenarios stdin names, one per line, in order, on that connection (dialing again if
 * it closed); one JSON result line each. Ends when stdin closes.
 */
async function runSession (target, options) {
  const node = await createNode({ ...stackOf(options), identifyOnConnect: false })
  const connected = { connected: false }
  let conn = null
  try {
    conn = await connect(node, target, connected)
    connected.connected = true
  } catch (err) {
    connected.error = `${err.name}: ${err.message}`
    log(err.stack ?? err)
  }
  process.stdout.write(JSON.stringify(connected) + '\n')
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue
    const { positional, options: scenarioOptions } = parseArgs(line.trim().split(/\s+/))
    const result = {}
    try {
      if (conn == null || conn.status !== 'open') conn = await connect(node, target, result)
      await runScenario(node, conn, positional[0], scenarioOptions, result)
    } catch (err) {
      Object.assign(result, { scenario: positional[0], ok: false, error: `${err.name}: ${err.message}` })
      log(err.stack ?? err)
    }
    process.stdout.write(JSON.stringify(result) + '\n')
  }
  await node.stop().catch(() => {})
  process.exit(0)
}

const { positional, options } = parseArgs(process.argv.slice(2))
try {
  if (positional[0] === 'listen') {
    await runListener(options)
  } else if (positional[0] === 'dial' && positional.length === 3) {
    await runDialer(positional[1], positional[2], options)
  } else if (positional[0] === 'session' && positional.length === 2) {
    await runSession(positional[1], options)
  } else {
    throw new Error('usage: peer.mjs listen [--listen MA] [--transport tcp|ws] | peer.mjs dial MULTIADDR SCENARIO' +
      ' [options] | peer.mjs session MULTIADDR; stack options --security noise|tls --muxer yamux|mplex --no-early-muxer')
  }
} catch (err) {
  log(err.message)
  process.stdout.write(JSON.stringify({ ok: false, error: err.message }) + '\n')
  process.exit(1)
}
