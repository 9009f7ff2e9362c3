import { test, beforeEach, afterEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Client, SquallError } from '../../dist/index.js';
import { FakeSocket, flush } from './fake-socket.mjs';

beforeEach(() => { FakeSocket.all = []; mock.timers.enable({ apis: ['setTimeout'] }); });
afterEach(() => mock.timers.reset());

const client = (opts = {}) => new Client('ws://broker/ws', { WebSocket: FakeSocket, random: () => 1, ...opts });

test('states go disconnected -> connecting -> connected, with events in that order', () => {
  const c = client();
  const seen = [];
  c.on('state', (e) => seen.push(e.state));
  c.on('connected', () => seen.push('connected!'));
  assert.equal(c.state, 'disconnected');
  c.connect();
  assert.equal(c.state, 'connecting');
  FakeSocket.last.open();
  assert.deepEqual(seen, ['connecting', 'connected', 'connected!']);
  c.disconnect();
  assert.equal(c.state, 'disconnected');
  assert.ok(FakeSocket.last.closed);
});

test('a lost connection reconnects after the backoff, and again with a longer one', () => {
  const c = client({ minDelay: 100, maxDelay: 1000 });
  c.connect();
  FakeSocket.last.open();
  FakeSocket.last.serverClose(1006);
  assert.equal(c.state, 'connecting');
  assert.equal(FakeSocket.all.length, 1);
  mock.timers.tick(99);
  assert.equal(FakeSocket.all.length, 1);
  mock.timers.tick(1);
  assert.equal(FakeSocket.all.length, 2, 'first retry after 100 ms (random=1, attempt 0)');
  FakeSocket.last.serverClose(1006);
  mock.timers.tick(199);
  assert.equal(FakeSocket.all.length, 2);
  mock.timers.tick(1);
  assert.equal(FakeSocket.all.length, 3, 'second retry after 200 ms');
  FakeSocket.last.open();
  assert.equal(c.state, 'connected');
});

test('backoff is full jitter within [0, min(maxDelay, minDelay * 2^n)]', () => {
  const c = new Client('ws://x', { WebSocket: FakeSocket, minDelay: 500, maxDelay: 20000 });
  for (let n = 0; n < 12; n++) {
    const cap = Math.min(20000, 500 * 2 ** n);
    const samples = Array.from({ length: 200 }, () => c.backoff(n));
    assert.ok(samples.every((d) => d >= 0 && d <= cap), `attempt ${n} within [0, ${cap}]`);
    assert.ok(new Set(samples).size > 100, `attempt ${n} is jittered`);
    assert.ok(Math.max(...samples) > cap * 0.8 && Math.min(...samples) < cap * 0.2, 'spread over the whole range');
  }
  assert.equal(client({ random: () => 1, minDelay: 500, maxDelay: 20000 }).backoff(30), 20000, 'capped');
});

test('close codes that retrying cannot fix end in disconnected with the reason', () => {
  for (const code of [1002, 1007, 1009, 4003]) {
    const c = client();
    const ends = [];
    c.on('disconnected', (e) => ends.push(e));
    c.connect();
    FakeSocket.last.open();
    FakeSocket.last.serverClose(code, 'bye');
    mock.timers.tick(60000);
    assert.equal(c.state, 'disconnected', `code ${code}`);
    assert.deepEqual(ends, [{ code, reason: 'bye' }]);
  }
  const before = FakeSocket.all.length;
  const c = client();
  c.connect();
  FakeSocket.last.refuse(403);
  mock.timers.tick(60000);
  assert.equal(c.state, 'disconnected');
  assert.equal(FakeSocket.all.length, before + 1, 'an origin refusal is never retried');
});

test('server shutdown (1001), slow consumer (4001) and pong timeout (4002) reconnect', () => {
  for (const code of [1001, 4001, 4002, 1006]) {
    const c = client();
    c.connect();
    FakeSocket.last.open();
    FakeSocket.last.serverClose(code);
    assert.equal(c.state, 'connecting', `code ${code}`);
    c.disconnect();
  }
});

test('getToken runs before every connect; a refused token is refreshed once, then it stops', async () => {
  let n = 0;
  const c = client({ getToken: async () => `t${++n}` });
  c.connect();
  await flush();
  assert.equal(FakeSocket.last.url, 'ws://broker/ws?token=t1');
  FakeSocket.last.refuse(401);
  mock.timers.tick(0);
  await flush();
  assert.equal(FakeSocket.last.url, 'ws://broker/ws?token=t2', 'a fresh token at once');
  FakeSocket.last.refuse(401);
  mock.timers.tick(60000);
  await flush();
  assert.equal(c.state, 'disconnected', 'a fresh token refused too: no loop');
  assert.equal(n, 2);
});

test('a getToken that throws is reported and retried with backoff', async () => {
  let n = 0;
  const errors = [];
  const c = client({ getToken: () => { if (++n === 1) throw new Error('auth server down'); return 'ok'; } });
  c.on('error', (e) => errors.push(e));
  c.connect();
  await flush();
  assert.equal(errors[0].code, 'Token failed');
  assert.ok(errors[0] instanceof Error);
  mock.timers.tick(500);
  await flush();
  assert.equal(FakeSocket.last.url, 'ws://broker/ws?token=ok');
});

test('the watchdog probes a silent connection and reconnects when the probe goes unanswered', async () => {
  const c = client({ idleTimeout: 1000, timeout: 500 });
  c.connect();
  FakeSocket.last.open();
  mock.timers.tick(999);
  assert.equal(FakeSocket.last.sent.length, 0);
  FakeSocket.last.receive({ service: 'pubsub', message: { type: 'message', channel: 'x', message: 1 } });
  mock.timers.tick(999);
  assert.equal(FakeSocket.last.sent.length, 0, 'any frame counts as life');
  mock.timers.tick(1);
  assert.deepEqual(FakeSocket.last.lastCall().message.command, 'ping');
  FakeSocket.last.reply(FakeSocket.last.lastCall(), null);
  assert.equal(c.state, 'connected');
  mock.timers.tick(1000);
  assert.equal(FakeSocket.last.calls('ping').length, 2);
  mock.timers.tick(500);
  await flush();
  assert.equal(c.state, 'connecting', 'an unanswered probe drops the connection');
  assert.ok(FakeSocket.all[0].closed);
});

test('online and offline events cut the wait and probe at once', () => {
  const target = new EventTarget();
  globalThis.addEventListener = target.addEventListener.bind(target);
  try {
    const c = client({ minDelay: 10000, maxDelay: 10000 });
    c.connect();
    FakeSocket.last.open();
    target.dispatchEvent(new Event('offline'));
    assert.equal(FakeSocket.last.lastCall().message.command, 'ping', 'offline: probe now');
    FakeSocket.last.serverClose(1006);
    assert.equal(FakeSocket.all.length, 1);
    target.dispatchEvent(new Event('online'));
    assert.equal(FakeSocket.all.length, 2, 'online: retry now rather than in 10 s');
  } finally {
    delete globalThis.addEventListener;
  }
});

test('frames from a dropped socket are ignored', () => {
  const c = client();
  const got = [];
  c.connect();
  FakeSocket.last.open();
  c.subscribe('a').on('publication', (p) => got.push(p.data));
  const old = FakeSocket.last;
  old.reply(old.lastCall(), null);
  old.serverClose(1006);
  old.receive({ service: 'pubsub', message: { type: 'message', channel: 'a', message: 'late' } });
  assert.deepEqual(got, []);
  assert.ok(c instanceof Client && !(got[0] instanceof SquallError));
});

test('a handshake that never completes is given up after the call timeout, and retried', () => {
  const c = client({ timeout: 2000, minDelay: 100 });
  c.connect();
  mock.timers.tick(1999);
  assert.equal(FakeSocket.all.length, 1);
  mock.timers.tick(1);
  assert.ok(FakeSocket.all[0].closed);
  mock.timers.tick(100);
  assert.equal(FakeSocket.all.length, 2);
  FakeSocket.last.open();
  assert.equal(c.state, 'connected');
});
