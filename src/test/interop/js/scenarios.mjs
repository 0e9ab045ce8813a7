// What weft's js-libp2p interop peers share: the command line, stream helpers, the listener's own handlers (perf,
// reset) and the client scenarios. Imported by ./peer.mjs, ../js-quic/peer.mjs and ../js-webrtc/dial.mjs, each of
// which is its own npm package: this file imports no npm package (only Node's globals), so it resolves the same
// from each of them.
//
// Scenarios and their options (the result line's fields are what each returns):
//   ping           [--count N]                          N pings of 32 random bytes on one stream, RTTs in ms
//   identify                                            the remote's identify message, as JSON
//   echo           [--text T]                           echoes T, checks it comes back unchanged
//   echo-parallel  [--streams N] [--bytes B]            N echo streams at once (default 100), B bytes each
//   perf           [--upload-bytes N] [--download-bytes M] [--protocol P]   /perf/1.0.0 (or P), both byte counts
//                                                       checked
//   reset                                               a stream the remote resets; a stream we reset; then an
//                                                       echo on the same connection still works
//   half-close     [--bytes B]                          writes B bytes (default 1 MiB), half-closes, reads the
//                                                       echo to EOF while the remote writes after our FIN

export const ECHO = '/echo/1.0.0'
export const PING = '/ipfs/ping/1.0.0'
export const PERF = '/perf/1.0.0'
// Not a libp2p protocol: the listener reads one chunk on it, then resets the stream (tests remote resets).
export const RESET = '/weft-interop/reset/1.0.0'
// go, js and rust perf implementations write 64 KiB blocks.
export const BLOCK = 64 * 1024
export const PING_SIZE = 32
export const STREAM_LIMIT = 1024

/**
 * Positional arguments and `--name value` options; `--no-early-muxer`, `--until-stdin-closes` and
 * `--keep-on-ping-failure` are flags, and
 * `--security` and `--muxer` are repeatable, each value possibly a comma list (the order is the preference).
 */
export function parseArgs (argv) {
  const positional = []
  const options = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) {
      positional.push(arg)
    } else if (arg === '--no-early-muxer' || arg === '--until-stdin-closes' || arg === '--keep-on-ping-failure') {
      options[arg.slice(2)] = true
    } else if (arg === '--security' || arg === '--muxer') {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${arg}`)
      options[arg.slice(2)] = [...(options[arg.slice(2)] ?? []), ...argv[++i].split(',')]
    } else {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${arg}`)
      options[arg.slice(2)] = argv[++i]
    }
  }
  return { positional, options }
}

// ---------------------------------------------------------------------------------------------------------------
// Stream helpers

/**
 * Reads a js-libp2p stream as bytes: exact-length reads, reads to EOF, or counting to EOF. It takes chunks from the
 * stream's async iterator; a subclass may take them elsewhere by overriding listen() and next() (js-quic does).
 */
export class Reader {
  constructor (stream) {
    this.chunks = []
    this.buffered = 0
    this.listen(stream)
  }

  /** Starts taking the stream's chunks: at once, so that none is missed. */
  listen (stream) {
    this.it = stream[Symbol.asyncIterator]()
  }

  /** The next chunk (a Uint8Array or a Uint8ArrayList), or null at EOF; throws what closed the stream if it was an error. */
  async next () {
    const { value, done } = await this.it.next()
    return done ? null : value
  }

  async fill () {
    const value = await this.next()
    if (value == null) return false
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
      const value = await this.next()
      if (value == null) return total
      total += value.byteLength
      onBytes(value.byteLength)
    }
  }
}

/**
 * Waits for the stream's 'drain' event. Not stream.onDrain(): in @libp2p/utils 7.4.1 it keeps returning an
 * already-resolved promise after the first pause, so a writer relying on it buffers without bound
 * (shared/reference/js-libp2p-notes.md).
 */
export function drained (stream) {
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
export async function sendAll (stream, bytes) {
  for (let off = 0; off < bytes.byteLength; off += BLOCK) {
    if (!stream.send(bytes.subarray(off, Math.min(off + BLOCK, bytes.byteLength)))) await drained(stream)
  }
}

/** Sends `total` zero bytes (a BigInt: perf sizes are u64) in 64 KiB blocks, with back-pressure. */
export async function sendZeros (stream, total) {
  const block = new Uint8Array(BLOCK)
  let left = total
  while (left > 0n) {
    const len = left < BigInt(BLOCK) ? Number(left) : BLOCK
    const ok = stream.send(len === BLOCK ? block : block.subarray(0, len))
    left -= BigInt(len)
    if (!ok) await drained(stream)
  }
}

export function u64be (value) {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(value), false)
  return out
}

export function equalBytes (a, b) {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

export const hex = (bytes) => Buffer.from(bytes).toString('hex')

// ---------------------------------------------------------------------------------------------------------------
// The listener's handlers and the client's scenarios, over a given Reader class (js-quic brings its own) and log.

/**
 * `serve(node, options)` adds the listener's handlers (perf, reset) to a node whose js services already serve ping,
 * identify and echo, stops it on SIGTERM, SIGINT or (with --until-stdin-closes) the end of stdin, and prints
 * {"peerId":...,"multiaddrs":[...]} on one line of stdout. `scenarios` maps each scenario name to
 * `async (node, conn, options) => fields of the result line`, throwing when the scenario fails.
 */
export function peer ({ Reader: StreamReader = Reader, log }) {
  /**
   * perf spec (libp2p/specs perf/perf.md): "the server reads the 8-byte big-endian number of bytes to send back,
   * then reads until EOF, then sends that many bytes and closes".
   */
  async function handlePerf (stream) {
    const reader = new StreamReader(stream)
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

  async function serve (node, options) {
    await node.handle(PERF, handled('perf', handlePerf), { maxInboundStreams: STREAM_LIMIT })
    await node.handle(RESET, handled('reset', handleReset), { maxInboundStreams: STREAM_LIMIT })
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

  const scenarios = {
    async ping (node, conn, options) {
      const count = Number(options.count ?? 1)
      const stream = await conn.newStream(PING)
      const reader = new StreamReader(stream)
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
      const reader = new StreamReader(stream)
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
        const reader = new StreamReader(stream)
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
      // --protocol: the same exchange on another protocol (weft's QUIC kill test uploads to a sink that never answers)
      const stream = await conn.newStream(options.protocol ?? PERF)
      const reader = new StreamReader(stream)
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
      const theirReader = new StreamReader(theirs)
      theirs.send(new TextEncoder().encode('reset me'))
      let remoteReset = null
      try {
        await theirReader.count()
      } catch (err) {
        remoteReset = err.name
      }
      if (remoteReset == null) throw new Error('reset: the stream ended cleanly; expected a reset from the remote')
      return { remoteReset, ...await resetOursThenEcho(node, conn) }
    },

    async 'half-close' (node, conn, options) {
      const size = Number(options.bytes ?? 1024 * 1024)
      const payload = new Uint8Array(size)
      for (let k = 0; k < size; k++) payload[k] = (k * 7) & 0xff
      const stream = await conn.newStream(ECHO)
      const reader = new StreamReader(stream)
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

  /** The second half of the reset scenario: we reset an echo stream in the middle; the connection survives both. */
  async function resetOursThenEcho (node, conn) {
    const ours = await conn.newStream(ECHO)
    ours.send(new Uint8Array(4096))
    ours.abort(new Error('weft-interop: local reset on purpose'))
    const after = await scenarios.echo(node, conn, { text: 'still alive after resets' })
    return { localReset: ours.status, echoAfterReset: after.text }
  }

  return { serve, scenarios, resetOursThenEcho }
}
