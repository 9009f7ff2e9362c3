import { test, beforeEach, afterEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Client, SquallError } from '../../dist/index.js';
import { FakeSocket, flush } from './fake-socket.mjs';

beforeEach(() => { FakeSocket.all = []; mock.timers.enable({ apis: ['setTimeout'] }); });
afterEach(() => mock.timers.reset());

function connected(opts = {}) {
  const c = new Client('ws://broker/ws', { WebSocket: FakeSocket, random: () => 1, ...opts });
  c.connect();
  FakeSocket.last.open();
  return c;
}

test('a call resolves with its data and a protocol error rejects with a SquallError naming it', async () => {
  const c = connected();
  const ok = c.publish('news', 'hi');
  const s = FakeSocket.last;
  assert.deepEqual(s.lastCall(), { service: 'pubsub',
    message: { command: 'publish', params: { channel: 'news', message: 'hi' }, callId: s.lastCall().message.callId } });
  s.reply(s.lastCall(), null);
  assert.equal(await ok, null);
  const bad = c.publish('news', 'hi');
  s.fail(s.lastCall(), 'Not authorized');
  const e = await bad.catch((x) => x);
  assert.ok(e instanceof Error && e instanceof SquallError);
  assert.equal(e.code, 'Not authorized');
  assert.equal(e.name, 'SquallError');
});

test('a frame-level error with the call id (service null) settles the call too', async () => {
  const c = connected();
  const p = c.call('nope', 'x');
  FakeSocket.last.receive({ service: null, message: { type: 'error', callId: FakeSocket.last.lastCall().message.callId, message: 'Unknown service' } });
  assert.equal((await p.catch((e) => e)).code, 'Unknown service');
});

test('calls time out after 5 s by default, or their own timeout', async () => {
  const c = connected();
  const results = [];
  c.call('pubsub', 'history', {}).catch((e) => results.push(['default', e.code]));
  c.call('pubsub', 'history', {}, { timeout: 100 }).catch((e) => results.push(['short', e.code]));
  mock.timers.tick(100);
  await flush();
  assert.deepEqual(results, [['short', 'Timeout']]);
  mock.timers.tick(4899);
  await flush();
  assert.equal(results.length, 1);
  mock.timers.tick(1);
  await flush();
  assert.deepEqual(results[1], ['default', 'Timeout']);
  assert.ok(results.every(([, code]) => code === 'Timeout'));
});

test('every pending call is rejected at once when the connection closes, with an Error', async () => {
  const c = connected();
  const calls = [c.publish('a', 1), c.presence('a'), c.chat.join('room')];
  FakeSocket.last.serverClose(1006);
  const errors = await Promise.all(calls.map((p) => p.catch((e) => e)));
  assert.ok(errors.every((e) => e instanceof SquallError && e.code === 'Disconnected'));
});

test('a call made while reconnecting is sent once connected; one made while disconnected fails at once', async () => {
  const c = connected();
  FakeSocket.last.serverClose(1006);
  const queued = c.publish('a', 1);
  mock.timers.tick(500);
  FakeSocket.last.open();
  const s = FakeSocket.last;
  assert.equal(s.lastCall().message.command, 'publish');
  s.reply(s.lastCall(), null);
  assert.equal(await queued, null);
  c.disconnect();
  assert.equal((await c.publish('a', 1).catch((e) => e)).code, 'Disconnected');
});

test('a throwing handler is reported as an error event and the other handlers still run', () => {
  const c = connected();
  const errors = [];
  const got = [];
  c.on('error', (e) => errors.push(e));
  c.on('error', () => { throw new Error('an error handler that throws is swallowed'); });
  const sub = c.subscribe('news');
  FakeSocket.last.reply(FakeSocket.last.lastCall(), null);
  sub.on('publication', () => { throw new TypeError('app bug'); });
  sub.on('publication', (p) => got.push(p.data));
  for (const n of [1, 2]) FakeSocket.last.receive({ service: 'pubsub', message: { type: 'message', channel: 'news', message: n } });
  assert.deepEqual(got, [1, 2]);
  assert.equal(errors.length, 0, 'a subscription handler is reported on the subscription');
  const subErrors = [];
  sub.on('error', (e) => subErrors.push(e));
  FakeSocket.last.receive({ service: 'pubsub', message: { type: 'message', channel: 'news', message: 3 } });
  assert.equal(subErrors[0].code, 'Handler failed');
  assert.ok(subErrors[0].cause instanceof TypeError);
  c.on('connected', () => { throw new Error('boom'); });
  FakeSocket.last.serverClose(1006);
  mock.timers.tick(500);
  FakeSocket.last.open();
  assert.equal(c.state, 'connected');
  assert.equal(errors[0].code, 'Handler failed');
});

test('a frame that is not JSON is reported, and the client keeps working', async () => {
  const c = connected();
  const errors = [];
  c.on('error', (e) => errors.push(e.code));
  FakeSocket.last.onmessage({ data: '{oops' });
  const p = c.publish('a', 1);
  FakeSocket.last.reply(FakeSocket.last.lastCall(), null);
  assert.equal(await p, null);
  assert.deepEqual(errors, ['Invalid JSON']);
});
