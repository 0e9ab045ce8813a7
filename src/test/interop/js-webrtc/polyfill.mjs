// libp2p 3 calls Promise.withResolvers, which Node has from version 22 on. This machine and CI run Node 20.
// Imported before anything from libp2p (ES module imports evaluate in order).
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
