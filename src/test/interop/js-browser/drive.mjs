#!/usr/bin/env node
// Drives weft's browser interop test: bundles app.js with esbuild, serves it on 127.0.0.1, starts Debian's headless
// Chromium through playwright-core, and lets each page dial a weft node over webrtc-direct.
//
//   node drive.mjs <multiaddr .../udp/N/webrtc-direct/certhash/.../p2p/ID> <scenario> [--echo SIZES] [--seed S]
//                  [--pings N] [--chromium PATH] [--debug LIBP2P_LOG_NAMESPACES]
//       prints one JSON line {"scenario":...,"ok":true|false,...} on stdout; exit code 0 if ok, else 1.
//
// Scenarios:
//   page    one page: dial, identify, one echo stream per size in SIZES (all at once), N pings
//   crash   the seed of weft's issue 10 in a browser: page B echoes; page A starts a perf download from weft and
//           keeps reading; A's renderer is then crashed while weft is sending to it (no close of any kind reaches
//           weft, and A's UDP port closes); B echoes again on its connection and a new page C dials and echoes
//
// Logs (the pages' console included) go to stderr; README.md beside this file says more.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { chromium } from 'playwright-core'
import { parseArgs } from '../js/scenarios.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const t0 = performance.now()
const log = (...parts) => console.error(`[js-browser +${Math.round(performance.now() - t0)}ms]`, ...parts)
const PAGE_LIMIT_MILLIS = 30_000

/**
 * Chromium's command line: headless, as root (no sandbox), without the calls home this closed network refuses. No
 * WebRTC flag is needed to reach a webrtc-direct listener on 127.0.0.1: Chromium sends its checks from sockets bound
 * to the wildcard address, which reach loopback, and its mDNS hiding of host candidates touches only what it would
 * signal, which webrtc-direct never does. WEFT_CHROMIUM_ARGS adds more (e.g. "--enable-logging=stderr --v=1").
 */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ...(process.env.WEFT_CHROMIUM_ARGS ?? '').split(' ').filter((a) => a !== '')
]

async function bundle () {
  const built = await esbuild.build({
    entryPoints: [join(here, 'app.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'warning'
  })
  return built.outputFiles[0].contents
}

/** Serves index.html and the bundle on 127.0.0.1, on a free port. */
async function serve (appJs) {
  const indexHtml = await readFile(join(here, 'index.html'))
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://127.0.0.1').pathname
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(indexHtml)
    } else if (path === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(appJs)
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${server.address().port}` }
}

/**
 * Opens a page in a browser context of its own (so that each page has its own renderer process and a crash kills
 * only that one) and waits for its result.
 */
async function openPage (browser, origin, name, query, debug) {
  const context = await browser.newContext()
  const page = await context.newPage()
  // @libp2p/logger reads localStorage.debug when the bundle loads (e.g. --debug 'libp2p:webrtc*')
  if (debug != null) await page.addInitScript((namespaces) => localStorage.setItem('debug', namespaces), debug)
  page.on('console', (msg) => log(`${name} console.${msg.type()}: ${msg.text()}`))
  page.on('pageerror', (err) => log(`${name} page error: ${err.stack ?? err}`))
  page.on('crash', () => log(`${name} crashed`))
  log(`${name} opening`)
  await page.goto(`${origin}/?${new URLSearchParams(query)}`)
  await page.waitForFunction(() => window.weftResult !== undefined, null, { timeout: PAGE_LIMIT_MILLIS })
  const result = await page.evaluate(() => window.weftResult)
  log(`${name} done: ok=${result.ok}, connected in ${result.connectMillis} ms`)
  return { context, page, result }
}

/** Kills a page's renderer process the hard way (DevTools Page.crash): its peer connection ends without a word. */
async function crash (page) {
  const crashed = new Promise((resolve) => page.once('crash', resolve))
  const cdp = await page.context().newCDPSession(page)
  cdp.send('Page.crash').catch(() => {}) // never answered: the renderer dies first
  await crashed
}

const scenarios = {
  async page (browser, origin, target, options) {
    const { result } = await openPage(browser, origin, 'page', {
      ma: target, echo: options.echo ?? '', seed: options.seed ?? '0', pings: options.pings ?? '0'
    }, options.debug)
    return { ok: result.ok, page: result }
  },

  async crash (browser, origin, target, options) {
    const echo = options.echo ?? '1000'
    const seed = Number(options.seed ?? 0)
    const b = await openPage(browser, origin, 'B', { ma: target, echo, seed })
    if (!b.result.ok) return { ok: false, b: b.result }
    const a = await openPage(browser, origin, 'A', { ma: target, perf: '1' })
    if (!a.result.ok) return { ok: false, a: a.result, b: b.result }
    log(`A has read ${await a.page.evaluate(() => window.weftResult.perf.bytes)} perf bytes; crashing its renderer`)
    await crash(a.page)
    const sizes = echo.split(',').map(Number)
    const bAgain = await b.page.evaluate(([s, n]) => window.weft.echo(s, n), [sizes, seed + 100])
    log(`B echoed again after the crash: ok=${bAgain.ok}`)
    const c = await openPage(browser, origin, 'C', { ma: target, echo, seed: seed + 200 })
    return {
      ok: bAgain.ok && c.result.ok,
      a: { localPeer: a.result.localPeer, perfBytesBeforeCrash: a.result.perf.bytes },
      b: b.result,
      bAfterCrash: bAgain,
      c: c.result
    }
  }
}

const { positional, options } = parseArgs(process.argv.slice(2))
const [target, scenario] = positional
const result = { scenario, ok: false }
let browser
let server
try {
  if (scenarios[scenario] == null) throw new Error(`unknown scenario ${scenario}`)
  const started = performance.now()
  const served = await serve(await bundle())
  log(`bundled app.js, serving ${served.origin}`)
  server = served.server
  browser = await chromium.launch({
    executablePath: options.chromium ?? '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_ARGS
  })
  result.browserVersion = browser.version()
  log(`chromium ${result.browserVersion} started`)
  result.startMillis = Math.round(performance.now() - started)
  Object.assign(result, await scenarios[scenario](browser, served.origin, target, options))
} catch (err) {
  result.ok = false
  result.error = `${err.name}: ${err.message}`
  log(err.stack ?? err)
}
process.stdout.write(JSON.stringify(result) + '\n')
await browser?.close().catch(() => {})
server?.close()
process.exit(result.ok ? 0 : 1)
