// A browser app that reaches a weft node the way any web page would: js-libp2p with the webrtc-direct transport
// (the browser's own RTCPeerConnection inside), Noise on the handshake channel, identify and ping. Bundled by esbuild
// (drive.mjs) into one file that index.html loads.
//
//   index.html?ma=/ip4/127.0.0.1/udp/N/webrtc-direct/certhash/.../p2p/ID[&echo=SIZES][&seed=S][&pings=N][&perf=1]
//
// On load it dials `ma`, identifies the remote, echoes one stream per size in SIZES (comma separated byte counts,
// all streams at once, each payload the xorshift32 sequence of seed+index, see `payload`), pings N times and (with
// perf=1) starts a /perf/1.0.0 download that it keeps reading until the page dies. The result goes to
// window.weftResult, to the page's <pre id="result"> and to the console as one JSON line `weft-result {...}`.
// window.weft.echo(sizes, seed) runs another round of echoes on the same connection (drive.mjs calls it).
import { noise } from '@chainsafe/libp2p-noise'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { webRTCDirect } from '@libp2p/webrtc'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { ECHO, PERF, Reader, drained, equalBytes, u64be } from '../js/scenarios.mjs'

const params = new URLSearchParams(window.location.search)

/**
 * The bytes stream `index` of a round echoes: xorshift32 (Marsaglia 2003, shifts 13, 17, 5) started from
 * seed + index + 1, one low byte per step. BrowserWebRtcDirectInteropTest computes the same sequence.
 */
function payload (seed, index, size) {
  const out = new Uint8Array(size)
  let x = (seed + index + 1) | 0
  for (let k = 0; k < size; k++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[k] = x & 0xff
  }
  return out
}

async function sha256Hex (bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

async function sendAll (stream, bytes) {
  const chunk = 16 * 1024
  for (let off = 0; off < bytes.byteLength; off += chunk) {
    if (!stream.send(bytes.subarray(off, Math.min(off + chunk, bytes.byteLength)))) await drained(stream)
  }
}

/** One echo stream: writes the payload, half-closes, reads to EOF; reports what came back and whether it matches. */
async function echoOnce (conn, seed, index, size) {
  const sent = payload(seed, index, size)
  const stream = await conn.newStream(ECHO)
  const reading = new Reader(stream).all() // read while writing: the echo comes back as we send
  await sendAll(stream, sent)
  await stream.close()
  const back = await reading
  return { stream: index, sent: size, received: back.byteLength, equal: equalBytes(sent, back), sha256: await sha256Hex(back) }
}

/** A /perf/1.0.0 download of `bytes` that is read (and counted in `progress.bytes`) until the page dies. */
async function startPerfDownload (conn, bytes, progress) {
  const stream = await conn.newStream(PERF)
  stream.send(u64be(bytes))
  await stream.close()
  const reader = new Reader(stream)
  const first = new Promise((resolve, reject) => {
    reader.count((n) => {
      progress.bytes += n
      resolve()
    }).catch(reject)
  })
  await first
}

let node
let conn

window.weft = {
  async echo (sizes, seed) {
    const results = await Promise.all(sizes.map((size, i) => echoOnce(conn, seed, i, size)))
    return { ok: results.every((r) => r.equal && r.received === r.sent), echoes: results }
  }
}

async function run () {
  const result = { ok: false, userAgent: navigator.userAgent }
  try {
    const target = params.get('ma')
    if (target == null) throw new Error('no ?ma=<multiaddr> in the page URL')
    node = await createLibp2p({
      transports: [webRTCDirect()],
      connectionEncrypters: [noise()],
      // a browser refuses to dial private and loopback addresses by default; weft's test listens on 127.0.0.1
      connectionGater: { denyDialMultiaddr: () => false },
      // identify runs explicitly below; the automatic run on connection open would collide with it
      services: { ping: ping(), identify: identify({ runOnConnectionOpen: false }) }
    })
    result.localPeer = node.peerId.toString()
    const start = performance.now()
    conn = await node.dial(multiaddr(target))
    result.connectMillis = Math.round(performance.now() - start)
    result.remotePeer = conn.remotePeer.toString()

    const identified = await node.services.identify.identify(conn)
    result.identify = { agentVersion: identified.agentVersion ?? null, protocols: identified.protocols }

    const sizes = (params.get('echo') ?? '').split(',').filter((s) => s !== '').map(Number)
    if (sizes.length > 0) Object.assign(result, await window.weft.echo(sizes, Number(params.get('seed') ?? 0)))
    else result.ok = true

    const rttsMillis = []
    for (let i = 0; i < Number(params.get('pings') ?? 0); i++) rttsMillis.push(await node.services.ping.ping(conn.remotePeer))
    result.rttsMillis = rttsMillis

    if (params.get('perf') === '1') {
      result.perf = { bytes: 0 }
      await startPerfDownload(conn, 1 << 30, result.perf)
    }
  } catch (err) {
    result.ok = false
    result.error = `${err.name}: ${err.message}`
    console.error(err)
  }
  window.weftResult = result
  document.getElementById('result').textContent = JSON.stringify(result, null, 2)
  console.log('weft-result ' + JSON.stringify(result))
}

run()
