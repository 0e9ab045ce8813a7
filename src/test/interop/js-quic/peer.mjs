#!/usr/bin/env node
// A js-libp2p peer for weft's QUIC interop tests: @chainsafe/libp2p-quic (Rust quinn behind napi), serving ping,
// identify, echo and perf, and a client that dials a /quic-v1 multiaddr and runs one scenario. Same command line,
// scenarios and result lines as ../js/peer.mjs (shared in ../js/scenarios.mjs); its own npm package because the
// QUIC package's optional native bindings need their own lock file (README.md).
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
import { RESET, Reader, STREAM_LIMIT, parseArgs, peer } from '../js/scenarios.mjs'

const log = (...parts) => console.error('[js-quic-peer]', ...parts)

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

/**
 * The shared Reader, but listening to the stream's events instead of its async iterator: with
 * @chainsafe/libp2p-quic 2.1.1 the iterator sometimes never ends after the remote's FIN when many streams run at
 * once (seen js to js as well: 100 parallel echo streams hang in about half the runs), while 'remoteCloseWrite' and
 * 'close' always come.
 */
class EventReader extends Reader {
  listen (stream) {
    this.queue = []
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
}

const { serve, scenarios: shared, resetOursThenEcho } = peer({ Reader: EventReader, log })

const scenarios = {
  ...shared,

  async reset (node, conn) {
    // 1. The remote resets. @chainsafe/libp2p-quic 2.1.1 ends the read like an EOF on RESET_STREAM (its read loop
    //    treats the native error as the end of the stream), so what we check is that no byte came back.
    const theirs = await conn.newStream(RESET)
    const theirReader = new EventReader(theirs)
    theirs.send(new TextEncoder().encode('reset me'))
    let remoteReset = 'eof'
    let received = 0
    try {
      received = await theirReader.count()
    } catch (err) {
      remoteReset = err.name
    }
    if (received !== 0) throw new Error(`reset: got ${received} bytes on a stream the remote resets`)
    // 2. and 3. as everywhere: we reset an echo stream in the middle; the connection survives both.
    return { remoteReset, ...await resetOursThenEcho(node, conn) }
  }
}

async function runListener (options) {
  const listen = options.listen ?? '/ip4/127.0.0.1/udp/0/quic-v1'
  const node = await createNode({ listen, identifyOnConnect: true })
  node.addEventListener('connection:open', (evt) => log(`connection ${evt.detail.id} from ${evt.detail.remoteAddr}`))
  await serve(node, options)
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
