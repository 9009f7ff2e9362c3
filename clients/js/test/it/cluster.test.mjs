// Two broker nodes sharing a real redis-server: a client whose node is killed moves to the other and recovers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../../dist/index.js';
import { Broker, Redis, WebSocket, until } from '../support/broker.mjs';

const cleanup = [];
after(async () => { for (const f of cleanup.reverse()) await f(); });

test('a client moved from a SIGKILLed node to the other recovers every publication it missed', async () => {
  const redis = await Redis.start();
  cleanup.push(() => redis.stop());
  const engine = ['--engine=redis', `--redis.address=${redis.address}`];
  const [a, b] = await Promise.all([Broker.start([...engine, '--node.id=a']), Broker.start([...engine, '--node.id=b'])]);
  cleanup.push(() => a.stop('SIGKILL'), () => b.stop('SIGKILL'));
  // the app's own failover: each connection attempt goes to the next node of its list
  const urls = [a.url, b.url];
  let attempt = 0;
  class Failover extends WebSocket { constructor() { super(urls[attempt++ % urls.length]); } }
  const c = new Client('ws://unused', { WebSocket: Failover, minDelay: 100, maxDelay: 500 });
  cleanup.push(() => c.disconnect());
  const got = [];
  const recoveries = [];
  const sub = c.subscribe('news:moved', { positioned: true });
  sub.on('publication', (p) => got.push([p.offset, p.data]));
  sub.on('subscribed', (e) => recoveries.push(e));
  c.connect();
  await until('subscribed on node a', () => sub.state === 'subscribed');
  assert.equal(attempt, 1);
  await b.backend('pubsub_backend', 'publish', { channel: 'news:moved', message: 'm1' });
  await until('m1', () => got.length === 1);

  await a.stop('SIGKILL');
  // published through node b while the client has no connection: it must get them on b, by recovery
  for (const m of ['m2', 'm3', 'm4']) await b.backend('pubsub_backend', 'publish', { channel: 'news:moved', message: m });
  await until('recovered on node b', () => recoveries.length === 2 && got.length === 4, 20000);
  assert.equal(recoveries[1].wasRecovering, true);
  assert.equal(recoveries[1].recovered, true);
  const first = got[0][0];
  assert.deepEqual(got, [[first, 'm1'], [first + 1, 'm2'], [first + 2, 'm3'], [first + 3, 'm4']]);
  await b.backend('pubsub_backend', 'publish', { channel: 'news:moved', message: 'm5' });
  await until('live on b', () => got.length === 5);
  assert.deepEqual(got[4], [first + 4, 'm5']);
});
