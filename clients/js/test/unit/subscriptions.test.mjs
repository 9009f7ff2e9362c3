import { test, beforeEach, afterEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../../dist/index.js';
import { FakeSocket } from './fake-socket.mjs';

beforeEach(() => { FakeSocket.all = []; mock.timers.enable({ apis: ['setTimeout'] }); });
afterEach(() => mock.timers.reset());

function connected() {
  const c = new Client('ws://broker/ws', { WebSocket: FakeSocket, random: () => 1 });
  c.connect();
  FakeSocket.last.open();
  return c;
}
const pub = (channel, message, offset) =>
  FakeSocket.last.receive({ service: 'pubsub', message: { type: 'message', channel, message, offset } });
function reconnect() {
  FakeSocket.last.serverClose(1006);
  mock.timers.tick(500);
  FakeSocket.last.open();
  return FakeSocket.last;
}

test('subscriptions have their own states and are restored after every reconnect', () => {
  const c = connected();
  const states = [];
  const sub = c.subscribe({ room: 1, kind: 'x' });
  sub.on('state', (e) => states.push(e.state));
  FakeSocket.last.reply(FakeSocket.last.lastCall(), null);
  for (let i = 0; i < 3; i++) {
    const s = reconnect();
    assert.deepEqual(s.calls('subscribe').map((f) => f.message.params), [{ channel: { room: 1, kind: 'x' } }]);
    s.reply(s.lastCall(), null);
  }
  assert.deepEqual(states, ['subscribed', 'subscribing', 'subscribed', 'subscribing', 'subscribed', 'subscribing', 'subscribed']);
  const got = [];
  sub.on('publication', (p) => got.push(p.data));
  FakeSocket.last.receive({ service: 'pubsub', message: { type: 'message', channel: { kind: 'x', room: 1 }, message: 'k' } });
  assert.deepEqual(got, ['k'], 'channels match structurally, whatever the key order');
});

test('a positioned subscription recovers from its last offset and epoch, and says whether it recovered', () => {
  const c = connected();
  const events = [];
  const got = [];
  const sub = c.subscribe('news:1', { positioned: true });
  sub.on('subscribed', (e) => events.push(e));
  sub.on('publication', (p) => got.push(p.offset));
  let s = FakeSocket.last;
  assert.deepEqual(s.lastCall().message.params, { channel: 'news:1', recoverable: true });
  s.reply(s.lastCall(), { offset: 4, epoch: 'E' });
  pub('news:1', 'a', 5);
  s = reconnect();
  assert.deepEqual(s.lastCall().message.params, { channel: 'news:1', since: { offset: 5, epoch: 'E' } });
  s.reply(s.lastCall(), { offset: 7, epoch: 'E', recovered: true });
  pub('news:1', 'b', 6);
  pub('news:1', 'b', 6);
  pub('news:1', 'c', 7);
  assert.deepEqual(got, [5, 6, 7], 'the duplicate is dropped');
  s = reconnect();
  s.reply(s.lastCall(), { offset: 20, epoch: 'F', recovered: false });
  assert.deepEqual(events.map((e) => [e.recovered, e.wasRecovering]), [[false, false], [true, true], [false, true]]);
  assert.deepEqual(sub.position, { offset: 20, epoch: 'F' }, 'not recovered: it starts from the top');
});

test('an offset gap is never delivered past: the subscription recovers from the last offset', () => {
  const c = connected();
  const got = [];
  const sub = c.subscribe('news:1', { positioned: true });
  sub.on('publication', (p) => got.push(p.offset));
  const s = FakeSocket.last;
  s.reply(s.lastCall(), { offset: 1, epoch: 'E' });
  pub('news:1', 'x', 2);
  pub('news:1', 'x', 4);
  pub('news:1', 'x', 5);
  assert.deepEqual(got, [2]);
  assert.equal(s.lastCall().message.command, 'unsubscribe');
  s.reply(s.lastCall(), null);
  // the resend runs once the unsubscribe's promise settles
  return Promise.resolve().then(() => Promise.resolve()).then(() => {
    assert.deepEqual(s.lastCall().message.params, { channel: 'news:1', since: { offset: 2, epoch: 'E' } });
  });
});

test('the server ending a subscription (2500 Insufficient state) makes it recover', () => {
  const c = connected();
  const sub = c.subscribe('news:1', { positioned: true });
  const s = FakeSocket.last;
  s.reply(s.lastCall(), { offset: 3, epoch: 'E' });
  const told = [];
  sub.on('subscribing', (e) => told.push(e.code));
  s.receive({ service: 'pubsub', message: { type: 'unsubscribed', channel: 'news:1', code: 2500, reason: 'Insufficient state' } });
  assert.deepEqual(told, [2500]);
  assert.deepEqual(s.lastCall().message.params, { channel: 'news:1', since: { offset: 3, epoch: 'E' } });
});

test('a refused subscribe ends unsubscribed with the reason; a transient one is retried', () => {
  const c = connected();
  const sub = c.subscribe('secret');
  const ends = [];
  sub.on('unsubscribed', (e) => ends.push(e.reason));
  sub.on('error', () => {});
  FakeSocket.last.fail(FakeSocket.last.lastCall(), 'Not authorized');
  assert.equal(sub.state, 'unsubscribed');
  assert.deepEqual(ends, ['Not authorized']);
  assert.equal(c.getSubscription('secret'), undefined);

  const other = c.subscribe('busy');
  other.on('error', () => {});
  FakeSocket.last.fail(FakeSocket.last.lastCall(), 'Unavailable');
  assert.equal(other.state, 'subscribing');
  mock.timers.tick(500);
  assert.equal(FakeSocket.last.calls('subscribe').length, 3);
  FakeSocket.last.reply(FakeSocket.last.lastCall(), null);
  assert.equal(other.state, 'subscribed');
});

test('unsubscribe stops delivery and restoring; the channel can be subscribed again', async () => {
  const c = connected();
  const sub = c.subscribe('a');
  FakeSocket.last.reply(FakeSocket.last.lastCall(), null);
  const done = sub.unsubscribe();
  FakeSocket.last.reply(FakeSocket.last.lastCall(), null);
  await done;
  const s = reconnect();
  assert.equal(s.calls('subscribe').length, 0);
  assert.throws(() => c.subscribe('a') && c.subscribe('a'), /exists/);
});
