// Every service end to end against the real broker jar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, SquallError } from '../../dist/index.js';
import { Broker, WebSocket, jwt, now, until } from '../support/broker.mjs';
import { blackholeProxy, checkedSubscriber } from '../support/checks.mjs';

let broker;
const clients = [];
before(async () => { broker = await Broker.start(); });
after(async () => { for (const c of clients) c.disconnect(); await broker?.stop(); });

const sockets = new Map();

async function open(identity, options = {}) {
  const mine = [];
  class Tracked extends WebSocket { constructor(url) { super(url); mine.push(this); } }
  const c = new Client(options.url || broker.url, { WebSocket: Tracked, minDelay: 100,
    getToken: identity ? () => jwt({ sub: identity, exp: now() + 600 }) : undefined, ...options });
  clients.push(c);
  sockets.set(c, mine);
  c.connect();
  if (options.wait !== false) await until('connected', () => c.state === 'connected');
  return c;
}

test('pubsub: subscribe, publish, receive; errors are SquallErrors with the protocol name', async () => {
  const a = await open();
  const b = await open();
  const got = [];
  const sub = b.subscribe({ topic: 'plain' });
  sub.on('publication', (p) => got.push(p.data));
  await until('subscribed', () => sub.state === 'subscribed');
  await a.publish({ topic: 'plain' }, { n: 1 });
  await until('delivery', () => got.length === 1);
  assert.deepEqual(got, [{ n: 1 }]);
  const e = await a.call('pubsub', 'subscribe', { channel: 1, extra: true }).catch((x) => x);
  assert.ok(e instanceof SquallError && e instanceof Error);
  assert.equal(e.code, 'Invalid params');
  const unknown = await a.call('nonesuch', 'x').catch((x) => x);
  assert.equal(unknown.code, 'Unknown service');
  await sub.unsubscribe();
  await a.publish({ topic: 'plain' }, { n: 2 });
  assert.equal(await a.call('pubsub', 'ping'), null);
  assert.deepEqual(got, [{ n: 1 }]);
});

test('pubsub: positioned subscription, history and presence', async () => {
  const a = await open('alice');
  const sub = a.subscribe('room:1', { positioned: true });
  const got = [];
  sub.on('publication', (p) => got.push([p.offset, p.data]));
  await until('subscribed', () => sub.state === 'subscribed');
  const start = sub.position.offset;
  await broker.backend('pubsub_backend', 'publish', { channel: 'room:1', message: 'x' });
  await a.publish('room:1', 'y');
  await until('two publications', () => got.length === 2);
  assert.deepEqual(got, [[start + 1, 'x'], [start + 2, 'y']]);
  const h = await a.history('room:1', { limit: 10 });
  assert.deepEqual(h.publications.slice(-2).map((p) => p.message), ['x', 'y']);
  assert.equal(h.epoch, sub.position.epoch);
  const presence = await sub.presence();
  assert.deepEqual(Object.values(presence.clients), [{ identity: 'alice' }]);
  assert.deepEqual(await a.presenceStats('room:1'), { clients: 1, users: 1 });
  assert.equal((await a.history('plain', {}).catch((e) => e)).code, 'History not enabled');
});

test('chat: join, messages, presence; rooms rejoined after a reconnect', async () => {
  const alice = await open('alice');
  const bob = await open('bob');
  const heard = [];
  alice.chat.on('message', (m) => heard.push([m.from, m.body]));
  const presences = [];
  alice.chat.on('presence', (p) => presences.push([p.from, p.status]));
  assert.deepEqual((await alice.chat.join('#cats')).members, ['alice']);
  assert.deepEqual((await bob.chat.join('#cats')).members.sort(), ['alice', 'bob']);
  await bob.chat.send('#cats', 'meow');
  await until('chat message', () => heard.length === 1);
  assert.deepEqual(heard, [['bob', 'meow']]);
  assert.deepEqual(presences, [['bob', 'joined']]);
  const anon = await open();
  assert.equal((await anon.chat.join('#cats').catch((e) => e)).code, 'Not authenticated');
  // bob's socket is cut: the client rejoins on its own
  const rejoined = [];
  bob.chat.on('rejoined', (r) => rejoined.push(r.members.sort()));
  forceReconnect(bob);
  await until('rejoined', () => rejoined.length === 1);
  await bob.chat.send('#cats', 'back');
  await until('message after rejoin', () => heard.length === 2);
  assert.deepEqual(heard[1], ['bob', 'back']);
});

test('messaging: register, list, send; names registered again after a reconnect', async () => {
  const a = await open();
  const b = await open();
  const got = [];
  b.messaging.on('message', (m) => got.push([m.sender, m.body]));
  await a.messaging.register('ann');
  await b.messaging.register('ben');
  assert.deepEqual((await a.messaging.list()).filter((n) => ['ann', 'ben'].includes(n)), ['ann', 'ben']);
  await a.messaging.send('ann', 'ben', { text: 'hi' });
  await until('message', () => got.length === 1);
  forceReconnect(b);
  await until('ben again', async () => (await a.messaging.list()).includes('ben') && b.state === 'connected');
  await until('ben re-registered', () => a.messaging.send('ann', 'ben', 'again').then(() => true, () => false));
  await until('second message', () => got.length === 2);
  assert.deepEqual(got, [['ann', { text: 'hi' }], ['ann', 'again']]);
  assert.equal((await a.messaging.send('zed', 'ben', 1).catch((e) => e)).code, 'Invalid sender');
});

test('cursors: join, create, update, remove, seen by the other clients', async () => {
  const alice = await open('alice');
  const bob = await open('bob');
  const seen = [];
  for (const t of ['cursorAdded', 'cursorUpdated', 'cursorRemoved']) bob.cursors.on(t, (m) => seen.push([t, m.cursor.position]));
  await alice.cursors.join('Sheet1');
  await bob.cursors.join('Sheet1');
  const handle = await alice.cursors.create('mine', 'Sheet1', 12, 'focused');
  assert.equal(typeof handle, 'number');
  await alice.cursors.update('mine', { position: 13 });
  await alice.cursors.remove('mine');
  await until('three cursor events', () => seen.length === 3);
  assert.deepEqual(seen, [['cursorAdded', 12], ['cursorUpdated', 13], ['cursorRemoved', undefined]]);
});

test('datasync: acquire a token and keep a collection up to date; lost subscriptions are reported', async () => {
  const c = await open();
  const token = await broker.backend('datasync_backend', 'authorizeSubscription', { items: [{ dealer: 'tasks', query: null }] });
  const tasks = c.datasync.collection('Task', [{ id: 1, title: 'old' }]);
  await broker.backend('datasync_backend', 'publishDeltas', { deltas: [{ type: 'insert', model: 'Task', data: { id: 2, title: 'buffered' } }] });
  await c.datasync.acquire(token);
  await broker.backend('datasync_backend', 'publishDeltas', { deltas: [
    { type: 'update', model: 'Task', oldData: { id: 1, title: 'old' }, newData: { id: 1, title: 'new' } },
    { type: 'delete', model: 'Task', data: { id: 2 } },
    { type: 'insert', model: 'Task', data: { id: 3, title: 'third' } },
  ] });
  await until('deltas applied', () => tasks.rows.size === 2 && tasks.rows.has(3));
  assert.deepEqual([...tasks.rows.values()], [{ id: 1, title: 'new' }, { id: 3, title: 'third' }]);
  assert.equal((await c.datasync.acquire(token).catch((e) => e)).code, 'Already acquired');
  const lost = [];
  c.datasync.on('lost', (l) => lost.push(l.tokens));
  forceReconnect(c);
  await until('lost reported', () => lost.length === 1);
  assert.deepEqual(lost, [[token]]);
});

test('a backend disconnect (4003) ends in disconnected, without reconnecting', async () => {
  const c = await open('mallory');
  const ends = [];
  c.on('disconnected', (e) => ends.push(e.code));
  assert.equal(await broker.backend('auth_backend', 'disconnect', { identity: 'mallory' }), 1);
  await until('disconnected', () => c.state === 'disconnected');
  assert.deepEqual(ends, [4003]);
});

test('a connection that silently stops carrying traffic is noticed by the watchdog, and the client comes back', async () => {
  const proxy = await blackholeProxy(broker.publicPort);
  after(() => proxy.close());
  const c = await open(null, { url: `ws://127.0.0.1:${proxy.port}/ws`, idleTimeout: 1000, timeout: 1000 });
  const got = [];
  const sub = c.subscribe('live');
  sub.on('publication', (p) => got.push(p.data));
  await until('subscribed', () => sub.state === 'subscribed');
  proxy.dropping = true;
  const cut = Date.now();
  await until('the client noticed', () => c.state === 'connecting', 10000);
  const noticed = Date.now() - cut;
  proxy.heal();
  await until('resubscribed', () => c.state === 'connected' && sub.state === 'subscribed', 10000);
  await broker.backend('pubsub_backend', 'publish', { channel: 'live', message: 'after the cut' });
  await until('delivered', () => got.length === 1);
  assert.ok(noticed >= 1000, `noticed after ${noticed} ms, not before the idle timeout`);
  console.log(`# watchdog: a silent connection noticed after ${noticed} ms (idleTimeout 1000, timeout 1000)`);
});

test('tokens: an expired one is refreshed through getToken; one refused again ends the client', async () => {
  // an expired token is refused (401) even where anonymous connections are allowed
  const issued = [];
  const c = await open(null, {
    getToken: () => {
      // the first token is long expired (past the 30 s leeway), as one kept in storage overnight would be
      const exp = issued.length === 0 ? now() - 3600 : now() + 600;
      issued.push(exp);
      return jwt({ sub: 'carol', exp });
    },
  });

  assert.equal(issued.length, 2);
  assert.deepEqual((await c.chat.join('#tokens')).members, ['carol'], 'the identity is the fresh token\'s');

  const refused = await open(null, { wait: false, getToken: () => jwt({ sub: 'dave', exp: now() - 3600 }) });
  const ends = [];
  refused.on('disconnected', (e) => ends.push(e.code));
  await until('gave up', () => refused.state === 'disconnected' && ends.length === 1);
  assert.deepEqual(ends, [4401]);
});

test('the broker restarted (memory engine, last test here): the history is gone, so the subscription says recovered: false', async () => {
  const c = await open();
  const { sub, seen } = checkedSubscriber(c, 'news:mem');
  await until('subscribed', () => sub.state === 'subscribed');
  await c.publish('news:mem', 'before');
  await until('delivered', () => seen.messages.length === 1);
  await broker.restart();
  await until('resubscribed', () => seen.recoveries.length === 2);
  assert.deepEqual(seen.recoveries.map((r) => [r.wasRecovering, r.recovered]), [[false, false], [true, false]]);
  await c.publish('news:mem', 'after');
  await until('delivered after', () => seen.messages.length === 2);
  assert.deepEqual(seen.messages, ['before', 'after']);
  assert.deepEqual(seen.errors, []);
});

/** Cuts the client's current socket as a network failure would (close 1006): the client must come back on its own. */
function forceReconnect(c) {
  sockets.get(c).at(-1).terminate();
}
