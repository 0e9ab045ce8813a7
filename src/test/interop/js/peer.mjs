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
//   --keep-on-ping-failure   libp2p's connection monitor does not abort a connection whose ping failed (long js <-> js
//                            perf runs: see createNode)
//
// Scenarios and their options: see scenarios.mjs (ping, identify, echo, echo-parallel, perf, reset, half-close).
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
import { STREAM_LIMIT, parseArgs, peer } from './scenarios.mjs'

// Node 20 has no global WebSocket and @libp2p/websockets dials with it: use the `ws` package's client.
globalThis.WebSocket ??= NodeWebSocket

const log = (...parts) => console.error('[js-peer]', ...parts)

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

async function createNode ({ listen, earlyMuxer, identifyOnConnect, keepOnPingFailure = false, security = ['noise'], muxers = ['yamux'] }) {
  return createLibp2p({
    addresses: { listen: listen == null ? [] : [listen] },
    // libp2p 3's connection monitor pings every connection each 10 s and aborts it ("TimeoutError: The operation
    // was aborted due to timeout") when a ping takes longer than an adaptive timeout of at least 5 s. On the
    // shared 2-core test machine a ping behind a 100 MiB transfer through a starved Node event loop took longer:
    // allow 30 s, which still fails a peer that stops answering.
    //
    // Under a long bulk transfer between two js-libp2p nodes the monitor's ping itself fails now and then (the
    // remote resets the ping stream or ends it inside multistream-select, on both sides in the same millisecond;
    // seen with 1 GiB perf runs js -> js, never with weft on either end), and the monitor then aborts the connection
    // with the transfer on it. --keep-on-ping-failure (bench/run.sh's perf runs) keeps pinging and logging but
    // leaves the connection alone (abortConnectionOnPingFailure: false).
    connectionMonitor: { pingTimeout: { minTimeout: 30_000 }, abortConnectionOnPingFailure: !keepOnPingFailure },
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

const { serve, scenarios } = peer({ log })

async function runListener (options) {
  const transport = options.transport ?? 'tcp'
  if (transport !== 'tcp' && transport !== 'ws') throw new Error(`unknown transport ${transport}; tcp or ws`)
  const listen = options.listen ?? (transport === 'ws' ? '/ip4/127.0.0.1/tcp/0/ws' : '/ip4/127.0.0.1/tcp/0')
  const node = await createNode({ ...stackOf(options), listen, identifyOnConnect: true })
  node.addEventListener('connection:open', (evt) => {
    const c = evt.detail
    const early = earlyMuxerChoices.at(-1) != null ? 'early muxer negotiation' : 'muxer by multistream-select'
    log(`connection ${c.id} from ${c.remoteAddr} (${c.encryption}, ${c.multiplexer}, ${early})`)
  })
  await serve(node, options)
}

/** The stack options of the command line, for createNode. */
function stackOf (options) {
  return {
    earlyMuxer: !options['no-early-muxer'],
    keepOnPingFailure: options['keep-on-ping-failure'] === true,
    security: options.security,
    muxers: options.muxer
  }
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
