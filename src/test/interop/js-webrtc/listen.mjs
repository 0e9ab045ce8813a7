#!/usr/bin/env node
// A js-libp2p WebRTC-direct listener for weft's interop test: @libp2p/webrtc in Node (node-datachannel's
// IceUdpMuxListener, libjuice as a full ICE agent, libdatachannel and usrsctp) listens, weft dials it.
//
//   node listen.mjs [--listen /ip4/127.0.0.1/udp/0/webrtc-direct] [--until-stdin-closes]
//       prints {"peerId":...,"multiaddrs":[".../webrtc-direct/certhash/..."]} on one line of stdout, then serves
//       ping, identify, echo and the shared listener handlers (perf, reset) until stdin closes or a signal.
//
// Logs go to stderr.
import '../js/polyfill.mjs'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { echo } from '@libp2p/echo'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { webRTCDirect } from '@libp2p/webrtc'
import { createLibp2p } from 'libp2p'
import { STREAM_LIMIT, parseArgs, peer } from '../js/scenarios.mjs'

const log = (...parts) => console.error('[js-webrtc-listen]', ...parts)

const { options } = parseArgs(process.argv.slice(2))
const node = await createLibp2p({
  addresses: { listen: [options.listen ?? '/ip4/127.0.0.1/udp/0/webrtc-direct'] },
  transports: [webRTCDirect()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  // weft dials from loopback
  connectionGater: { denyInboundConnection: () => false, denyDialMultiaddr: () => false },
  services: {
    ping: ping({ maxInboundStreams: 8 }),
    identify: identify({ maxInboundStreams: 8, runOnConnectionOpen: false }),
    // the parallel-streams scenario opens more than the registrar's default 32 per protocol and connection
    echo: echo({ maxInboundStreams: STREAM_LIMIT, maxOutboundStreams: STREAM_LIMIT })
  }
})
node.addEventListener('connection:open', (evt) => log(`connection ${evt.detail.id} from ${evt.detail.remoteAddr}`))
const { serve } = peer({ log })
await serve(node, options)
