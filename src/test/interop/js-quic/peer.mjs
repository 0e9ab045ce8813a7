#!/usr/bin/env node
// A js-libp2p peer for weft's QUIC interop tests: @chainsafe/libp2p-quic (Rust quinn behind napi), serving ping,
// identify, echo and perf, and a client that dials a /quic-v1 multiaddr and runs one scenario. Same command line,
// scenarios and result lines as ../js/peer.mjs (see there); its own npm package because the QUIC package's
// optional native bindings need their own lock file (README.md).
//
//   node peer.mjs listen [--listen /ip4/127.0.0.1/udp/0/quic-v1] [--until-stdin-closes]
//   node peer.mjs dial <multiaddr> <scenario> [options] [--wait-ms N]
//
// Scenarios: ping [--count N], identify, echo [--text T], echo-parallel [--streams N] [--bytes B],
// perf [--upload-bytes N] [--download-bytes M] [--protocol P], reset, half-close [--bytes B].
import '../js/polyfill.mjs'
import { quic } from '@chainsafe/libp2p-quic'
import { echo } from '@libp2p/echo'
import { identify, identifyPush } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'

const ECHO = '/echo/1.0.0'
const PING = '/ipfs/ping/1.0.0'
const PERF = '/perf/1.0.0'
// Not a libp2p protocol: the listener reads one chunk on it, then resets the stream (tests remote resets).
const RESET = '/weft-interop/reset/1.0.0'
// go, js and rust perf implementations write 64 KiB blocks.
const BLOCK = 64 * 1024
const PING_SIZE = 32
const STREAM_LIMIT = 1024

const log = (...parts) => console.error('[js-quic-peer]', ...parts)

function parseArgs (argv) {
  const positional = []
  const options = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) {
      positional.push(arg)
    } else if (arg === '--until-stdin-closes') {
      options[arg.slice(2)] = true
    } else {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${arg}`)
      options[arg.slice(2)] = argv[++i]
    }
  }
  return { positional, options }
}

async function createNode ({ listen, identifyOnConnect }) {
  return createLibp2p({
    addresses: { listen: listen == null ? [] : [listen] },
    // QUIC brings its own TLS 1.3 and streams: no connection encrypter, no stream muxer.
    transports: [quic()],
    services: {
      ping: ping({ maxInboundStreams: 8 }),
      identify: identify({ maxInboundStreams: 8, runOnConnectionOpen: identifyOnConnect }),
      identifyPush: identifyPush({ maxInboundStreams: 8 }),
      echo: echo({ maxInboundStreams: STREAM_LIMIT, maxOutboundStreams: STREAM_LIMIT })
    }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Stream helpers (as in ../js/peer.mjs)

/**
 * Reads a js-libp2p stream as bytes: exact-length reads, reads to EOF, or counting to EOF. Unlike ../js/peer.mjs it
 * listens to the stream's events instead of its async iterator: with @chainsafe/libp2p-quic 2.1.1 the iterator
 * sometimes never ends after the remote's FIN when many streams run at once (seen js to js as well: 100 parallel
 * echo streams hang in about half the runs), while 'remoteCloseWrite' and 'close' always come.
 */
class Reader {
  constructor (stream) {
    this.queue = []
    this.chunks = []
    this.buffered = 0
    this.ended = false
    this.error = null
    this.waiter = null
    stream.addEventListener('message', (evt) => { this.queue.push(evt.data.subarray()); this.wake() })
    stream.addEventListener('remoteCloseWrite', () => { this.ended = true; this.wake() })
    stream.addEventListener('close', (evt) => { this.ended = true; this.error ??= evt.error ?? null; this.wake() })
  }

  wake () {
    const waiter = this.waiter
    this.waiter = null
    waiter?.()
  }

  /** The next chunk, or null at EOF; throws what closed the stream if it was an error. */
  async next () {
    while (this.queue.length === 0 && !this.ended) await new Promise((resolve) => { this.waiter = resolve })
    if (this.queue.length > 0) return this.queue.shift()
    if (this.error != null) throw this.error
    return null
  }

  async fill () {
    const bytes = await this.next()
    if (bytes == null) return false
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
      const bytes = await this.next()
      if (bytes == null) return total
      total += bytes.byteLength
      onBytes(bytes.byteLength)
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
  const listen = options.listen ?? '/ip4/127.0.0.1/udp/0/quic-v1'
  const node = await createNode({ listen, identifyOnConnect: true })
  await node.handle(PERF, handled('perf', handlePerf), { maxInboundStreams: STREAM_LIMIT })
  await node.handle(RESET, handled('reset', handleReset), { maxInboundStreams: STREAM_LIMIT })
  node.addEventListener('connection:open', (evt) => log(`connection ${evt.detail.id} from ${evt.detail.remoteAddr}`))
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
    // --protocol: the same exchange on another protocol (weft's kill test uploads to a sink that never answers)
    const stream = await conn.newStream(options.protocol ?? PERF)
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
    // 1. The remote resets. @chainsafe/libp2p-quic 2.1.1 ends the read like an EOF on RESET_STREAM (its read loop
    //    treats the native error as the end of the stream), so what we check is that no byte came back.
    const theirs = await conn.newStream(RESET)
    const theirReader = new Reader(theirs)
    theirs.send(new TextEncoder().encode('reset me'))
    let remoteReset = 'eof'
    let received = 0
    try {
      received = await theirReader.count()
    } catch (err) {
      remoteReset = err.name
    }
    if (received !== 0) throw new Error(`reset: got ${received} bytes on a stream the remote resets`)
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

async function runDialer (target, scenario, options) {
  const run = scenarios[scenario]
  if (run == null) throw new Error(`unknown scenario ${scenario}; one of ${Object.keys(scenarios).join(', ')}`)
  const node = await createNode({ identifyOnConnect: false })
  const result = { scenario, ok: false }
  try {
    const start = performance.now()
    const conn = await node.dial(multiaddr(target))
    result.connectMillis = performance.now() - start
    result.remotePeer = conn.remotePeer.toString()
    result.remoteAddr = String(conn.remoteAddr)
    const wait = Number(options['wait-ms'] ?? 0)
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    Object.assign(result, await run(node, conn, options))
    result.ok = true
  } catch (err) {
    result.error = `${err.name}: ${err.message}`
    log(err.stack ?? err)
  }
  process.stdout.write(JSON.stringify(result) + '\n')
  await node.stop().catch(() => {})
  process.exit(result.ok ? 0 : 1)
}

const { positional, options } = parseArgs(process.argv.slice(2))
try {
  if (positional[0] === 'listen') {
    await runListener(options)
  } else if (positional[0] === 'dial' && positional.length === 3) {
    await runDialer(positional[1], positional[2], options)
  } else {
    throw new Error('usage: peer.mjs listen [--listen MA] | peer.mjs dial MULTIADDR SCENARIO [options]')
  }
} catch (err) {
  log(err.message)
  process.stdout.write(JSON.stringify({ ok: false, error: err.message }) + '\n')
  process.exit(1)
}
