// The network and the broker misbehave: restarts under traffic, a proxy that silently drops traffic, expired tokens.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../../dist/index.js';
import { Broker, Redis, WebSocket, sleep, until } from '../support/broker.mjs';
import { checkedSubscriber, publisher } from '../support/checks.mjs';

// restarts measured; more with SQUALL_JS_RESTARTS (each one is a JVM start, the slow part of this suite)
const ROUNDS = Number(process.env.SQUALL_JS_RESTARTS || 2);
const cleanup = [];
after(async () => { for (const f of cleanup.reverse()) await f(); });

function client(url, options = {}) {
  const c = new Client(url, { WebSocket, minDelay: 100, maxDelay: 1000, ...options });
  cleanup.push(() => c.disconnect());
  c.connect();
  return c;
}

test('a broker on Redis restarted under traffic: clients reconnect, resubscribe and recover every publication', async () => {
  const redis = await Redis.start();
  cleanup.push(() => redis.stop());
  const broker = await Broker.start(['--engine=redis', `--redis.address=${redis.address}`]);
  cleanup.push(() => broker.stop());
  const pubClient = client(broker.url);
  const subClient = client(broker.url);
  const { sub, seen } = checkedSubscriber(subClient, 'news:restart');
  await until('subscribed', () => sub.state === 'subscribed');
  const pub = publisher(pubClient, 'news:restart');
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    await until('traffic', () => seen.messages.length > (round + 1) * 10);
    const before = seen.recoveries.length;
    await broker.restart();
    const ready = Date.now();
    await until('recovered', () => seen.recoveries.length > before && sub.state === 'subscribed');
    times.push(Date.now() - ready);
    assert.equal(seen.recoveries.at(-1).recovered, true, 'the history survived in Redis: recovered');
  }
  pub.stop = true;
  await sleep(300);
  await until('every acknowledged publication delivered', () => pub.acked.every((n) => seen.messages.includes(n)));
  assert.deepEqual(seen.errors, []);
  times.sort((a, b) => a - b);
  console.log(`# reconnect-and-recover after a broker restart (ready -> recovered, ms): ${times.join(', ')}; median ${times[Math.floor(times.length / 2)]}`);
});

