import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../../dist/index.js';
import { FakeSocket } from './fake-socket.mjs';

test('deltas keep a collection up to date, and a subscription the server ends (2500) is reported lost', async () => {
  FakeSocket.all = [];
  const c = new Client('ws://broker/ws', { WebSocket: FakeSocket });
  c.connect();
  const s = FakeSocket.last;
  s.open();
  const tasks = c.datasync.collection('Task', [{ id: 1, t: 'a' }]);
  const delta = (d) => s.receive({ service: 'datasync', message: { type: 'delta', delta: d } });
  const acquired = c.datasync.acquire('tok');
  s.reply(s.lastCall(), null);
  await acquired;
  delta({ type: 'insert', model: 'Task', data: { id: 2, t: 'b' } });
  delta({ type: 'update', model: 'Task', oldData: { id: 1, t: 'a' }, newData: { id: 1, t: 'A' } });
  delta({ type: 'insert', model: 'Other', data: { id: 9 } });
  delta({ type: 'delete', model: 'Task', data: { id: 2 } });
  assert.deepEqual([...tasks.rows.values()], [{ id: 1, t: 'A' }]);
  const lost = [];
  c.datasync.on('lost', (l) => lost.push(l.tokens));
  s.receive({ service: 'datasync', message: { type: 'unsubscribed', token: 'tok', code: 2500, reason: 'Insufficient state' } });
  s.serverClose(1006);
  assert.deepEqual(lost, [['tok']], 'once: the closed connection has nothing more to cancel');
  c.disconnect();
});
