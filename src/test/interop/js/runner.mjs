#!/usr/bin/env node
// A js-libp2p test app of the libp2p interop runners, for weft's runner tests (weft.cli.runner.JsRunnerInteropTest):
// the same flow as test-plans transport-interop/impl/js/v3.x/test/{dialer,listener}.spec.ts (legacy convention) and
// unified-testing transport/images/js/v3.x/test/*.spec.ts (unified convention), without mocha, aegir or the
// browser-side Redis proxy: it talks RESP to Redis itself.
//
//   Legacy (test-plans transport-interop/README.md):
//     is_dialer=true|false transport=tcp|ws security=noise|tls muxer=yamux|mplex [ip=0.0.0.0]
//     [redis_addr=redis:6379] [test_timeout_seconds=180] node runner.mjs
//     listener: RPUSH listenerAddr <multiaddr>; dialer: BLPOP listenerAddr, then prints
//     {"handshakePlusOneRTTMillis": <ms>, "pingRTTMilllis": <ms>}
//   Unified (unified-testing docs/write-a-transport-test-app.md):
//     IS_DIALER REDIS_ADDR TEST_KEY TRANSPORT SECURE_CHANNEL MUXER LISTENER_IP [TEST_TIMEOUT_SECS] node runner.mjs
//     listener: DEL and RPUSH <TEST_KEY>_listener_multiaddr; dialer: BLPOP it, then prints the YAML latency block.
//
// Logs go to stderr, results to stdout; exit 0 on success, 1 on any error. The listener serves until it is killed
// or its timeout runs out (then exits 1, as the legacy README asks).
import './polyfill.mjs'
import net from 'node:net'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { mplex } from '@libp2p/mplex'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { tls } from '@libp2p/tls'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { WebSocket as NodeWebSocket } from 'ws'

// Node 20 has no global WebSocket and @libp2p/websockets dials with it (see peer.mjs).
globalThis.WebSocket ??= NodeWebSocket

const log = (...parts) => console.error('[js-runner]', ...parts)
const env = process.env
const unified = env.IS_DIALER !== undefined
const settings = unified
  ? {
      isDialer: env.IS_DIALER === 'true',
      redisAddr: env.REDIS_ADDR ?? 'redis:6379',
      transport: env.TRANSPORT,
      security: env.SECURE_CHANNEL,
      muxer: env.MUXER,
      ip: env.LISTENER_IP ?? '0.0.0.0',
      timeoutSecs: parseInt(env.TEST_TIMEOUT_SECS ?? '180'),
      key: `${env.TEST_KEY}_listener_multiaddr`
    }
  : {
      isDialer: env.is_dialer === 'true',
      redisAddr: env.redis_addr ?? 'redis:6379',
      transport: env.transport,
      security: env.security,
      muxer: env.muxer,
      ip: env.ip ?? '0.0.0.0',
      timeoutSecs: parseInt(env.test_timeout_seconds ?? '180'),
      key: 'listenerAddr'
    }

// ---------------------------------------------------------------------------------------------------------------
// RESP2, as much as RPUSH / BLPOP / DEL need (redis.io develop/reference/protocol-spec).

function encode (args) {
  const parts = [`*${args.length}\r\n`]
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`)
  return parts.join('')
}

/** Parses one reply at `offset`: [value, nextOffset], or null when the buffer does not hold all of it yet. */
function parse (buf, offset) {
  const end = buf.indexOf('\r\n', offset)
  if (end < 0) return null
  const type = String.fromCharCode(buf[offset])
  const line = buf.toString('utf8', offset + 1, end)
  const next = end + 2
  switch (type) {
    case '+': return [line, next]
    case '-': return [new Error(`redis: ${line}`), next]
    case ':': return [Number(line), next]
    case '$': {
      const n = Number(line)
      if (n < 0) return [null, next]
      if (buf.length < next + n + 2) return null
      return [buf.toString('utf8', next, next + n), next + n + 2]
    }
    case '*': {
      const n = Number(line)
      if (n < 0) return [null, next]
      const items = []
      let at = next
      for (let i = 0; i < n; i++) {
        const item = parse(buf, at)
        if (item == null) return null
        items.push(item[0])
        at = item[1]
      }
      return [items, at]
    }
    default: throw new Error(`redis: unknown reply type ${JSON.stringify(type)}`)
  }
}

async function connectRedis (address) {
  const colon = address.lastIndexOf(':')
  const socket = net.connect({ host: address.slice(0, colon), port: Number(address.slice(colon + 1)) })
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  let buffered = Buffer.alloc(0)
  const waiting = []
  socket.on('data', (data) => {
    buffered = Buffer.concat([buffered, data])
    for (;;) {
      const reply = waiting.length > 0 ? parse(buffered, 0) : null
      if (reply == null) return
      buffered = buffered.subarray(reply[1])
      const { resolve, reject } = waiting.shift()
      reply[0] instanceof Error ? reject(reply[0]) : resolve(reply[0])
    }
  })
  return {
    command: (...args) => new Promise((resolve, reject) => {
      waiting.push({ resolve, reject })
      socket.write(encode(args))
    }),
    close: () => socket.end()
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The node, as get-libp2p.ts builds it.

async function createNode () {
  const { transport, security, muxer, ip, isDialer } = settings
  const options = { services: { ping: ping(), identify: identify() }, connectionMonitor: { enabled: false } }
  switch (transport) {
    case 'tcp':
      options.transports = [tcp()]
      options.addresses = { listen: isDialer ? [] : [`/ip4/${ip}/tcp/0`] }
      break
    case 'ws':
      options.transports = [webSockets()]
      options.addresses = { listen: isDialer ? [] : [`/ip4/${ip}/tcp/0/ws`] }
      break
    default:
      throw new Error(`Unknown transport: ${transport ?? '???'}`)
  }
  switch (security) {
    case 'noise': options.connectionEncrypters = [noise()]; break
    case 'tls': options.connectionEncrypters = [tls()]; break
    default: throw new Error(`Unknown secure channel: ${security ?? ''} for transport ${transport ?? ''}`)
  }
  switch (muxer) {
    case 'yamux': options.streamMuxers = [yamux()]; break
    case 'mplex': options.streamMuxers = [mplex()]; break
    default: throw new Error(`Unknown muxer: ${muxer ?? '???'}`)
  }
  return createLibp2p(options)
}

async function listen () {
  const node = await createNode()
  // listener.spec.ts: sortByNonLocalIp, then the first address
  const addresses = node.getMultiaddrs().map(ma => ma.toString())
    .sort((a, b) => (a.includes('127.0.0.1') ? 1 : 0) - (b.includes('127.0.0.1') ? 1 : 0))
  log('listening on', addresses[0], 'publishing under', settings.key)
  const redis = await connectRedis(settings.redisAddr)
  if (unified) await redis.command('DEL', settings.key)
  await redis.command('RPUSH', settings.key, addresses[0])
  redis.close()
  await new Promise(resolve => setTimeout(resolve, settings.timeoutSecs * 1000))
  throw new Error(`listener timed out after ${settings.timeoutSecs} s`)
}

async function dial () {
  const node = await createNode()
  const redis = await connectRedis(settings.redisAddr)
  const popped = await redis.command('BLPOP', settings.key, `${Math.max(1, Math.min(settings.timeoutSecs, 180))}`)
  redis.close()
  if (popped == null) throw new Error(`no listener address under ${settings.key}`)
  const target = multiaddr(popped[1])
  const start = Date.now()
  log('dialing', target.toString())
  await node.dial(target, { signal: AbortSignal.timeout(settings.timeoutSecs * 1000) })
  const pingRTT = await node.services.ping.ping(target, { signal: AbortSignal.timeout(settings.timeoutSecs * 1000) })
  const handshakePlusOneRTT = Date.now() - start
  if (unified) {
    console.log('latency:')
    console.log(`  handshake_plus_one_rtt: ${handshakePlusOneRTT}`)
    console.log(`  ping_rtt: ${pingRTT}`)
    console.log('  unit: ms')
  } else {
    console.log(JSON.stringify({ handshakePlusOneRTTMillis: handshakePlusOneRTT, pingRTTMilllis: pingRTT }))
  }
  await node.stop()
}

try {
  await (settings.isDialer ? dial() : listen())
  process.exit(0)
} catch (err) {
  log('failed:', err)
  process.exit(1)
}
