// Checks shared by the integration tests: a subscriber that verifies offsets, a retrying publisher, a dead network.
import { createServer, connect } from 'node:net';
import { freePort, sleep } from './broker.mjs';

/**
 * A subscriber that checks every publication: offsets one after the other (no duplicate, no gap) within an epoch,
 * and a `recovered: false` for every jump it was not sent.
 */
export function checkedSubscriber(c, channel) {
  const seen = { messages: [], recoveries: [], errors: [] };
  const sub = c.subscribe(channel, { positioned: true });
  sub.on('subscribed', (e) => seen.recoveries.push(e));
  let last = null;
  sub.on('publication', (p) => {
    if (last !== null && p.offset !== last + 1) seen.errors.push(`offset ${p.offset} after ${last}`);
    last = p.offset;
    seen.messages.push(p.data);
  });
  sub.on('subscribed', (e) => { if (!e.recovered) last = e.offset; });
  return { sub, seen };
}

/** A client publishing 0, 1, 2, ... every `ms`, retrying a failed one; `acked` are those the broker confirmed. */
export function publisher(c, channel, ms = 20) {
  const state = { acked: [], stop: false };
  (async () => {
    for (let n = 0; !state.stop; n++) {
      for (;;) {
        if (state.stop) return;
        try { await c.publish(channel, n, { timeout: 1000 }); state.acked.push(n); break; } catch { await sleep(50); }
      }
      await sleep(ms);
    }
  })();
  return state;
}

/** A TCP proxy that can stop forwarding without closing anything: a dead network path. */
export async function blackholeProxy(targetPort) {
  const port = await freePort();
  const proxy = { port, dropping: false, sockets: [] };
  const server = createServer((inbound) => {
    const outbound = connect(targetPort, '127.0.0.1');
    proxy.sockets.push(inbound, outbound);
    const pipe = (from, to) => from.on('data', (d) => { if (!proxy.dropping) to.write(d); });
    pipe(inbound, outbound);
    pipe(outbound, inbound);
    const end = () => { inbound.destroy(); outbound.destroy(); };
    inbound.on('error', end).on('close', end);
    outbound.on('error', end).on('close', end);
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  proxy.heal = () => {
    // what was cut stays dead (its bytes are lost); new connections pass again
    proxy.dropping = false;
    for (const s of proxy.sockets.splice(0)) s.pause();
  };
  proxy.close = () => { for (const s of proxy.sockets) s.destroy(); server.close(); };
  return proxy;
}

