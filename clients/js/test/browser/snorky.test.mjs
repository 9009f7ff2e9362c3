// Snorky's own snorky.js (test/snorky, unmodified) in headless Chromium against two Squall nodes sharing a real
// redis-server: a Snorky application works unchanged when its users are connected to different nodes. A snorky.js
// call that Squall never answered would hang (it has no timeouts): each test has a time limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { Broker, Redis, freePort, jwt, now } from '../support/broker.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FIXTURE = new URL('../snorky/', import.meta.url);
// the order of Snorky's gruntfile.coffee (concat:bundle): its libraries, then its sources
const SCRIPTS = ['lib/my.class.js', 'lib/promise.js', 'lib/signals.js', 'src/stable-stringify.js', 'src/snorky.js',
  'src/services/base.js', 'src/services/messaging.js', 'src/services/pubsub.js', 'src/services/datasync.js',
  'src/services/chat.js', 'src/services/cursors.js'];
const PAGE = `<!doctype html><title>snorky.js on Squall</title>\n${
  SCRIPTS.map((s) => `<script src="/snorky/${s}"></script>`).join('\n')}`;

const LIMIT = { timeout: 30000 };
const cleanup = [];
let a, b, page;
const consoleErrors = [];

before(async () => {
  const redis = await Redis.start();
  cleanup.push(() => redis.stop());
  const engine = ['--engine=redis', `--redis.address=${redis.address}`];
  const node = async (id) => {
    const n = await Broker.start([...engine, `--node.id=${id}`]);
    cleanup.push(() => n.stop('SIGKILL'));
    return n;
  };
  [a, b] = await Promise.all([node('a'), node('b')]);

  const port = await freePort();
  const server = createServer((req, res) => {
    const script = SCRIPTS.find((s) => req.url === `/snorky/${s}`);
    if (script) res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(new URL(script, FIXTURE)));
    else if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
    else res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => server.close(r)));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    '--disable-quic', '--disable-gpu'] });
  cleanup.push(() => browser.close());
  page = await browser.newPage();
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e}`));
  // snorky.js reports what it cannot handle (a reply to an unknown call, a notification of an unknown type) here
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.evaluate(() => {
    // a Snorky client with every service a Squall node offers under Snorky's names, connected
    window.snorky = (url) => new Promise((resolve) => {
      const s = new Snorky(WebSocket, url, { pubsub: Snorky.PubSub, messaging: Snorky.Messaging, chat: Snorky.Chat,
        datasync: Snorky.DataSync, cursors: Snorky.Cursors });
      s.connected.addOnce(() => resolve(s));
    });
    window.waitFor = async (what, check, ms = 20000) => {
      const end = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    // snorky.js rejects a call with Error(<the protocol's error name>)
    window.failure = (promise) => promise.then(() => 'resolved',
      (e) => (e instanceof Error ? e.message : `not an Error: ${e}`));
  });
  assert.equal(await page.evaluate(() => typeof Snorky.Chat), 'function', 'the fixture loaded');
}, { timeout: 120000 });

after(async () => { for (const f of cleanup.reverse()) await f(); });

/** Runs `fn` in the page with the two nodes' WebSocket URLs; nothing snorky.js logged as an error meanwhile. */
async function inPage(fn, arg = {}) {
  consoleErrors.length = 0;
  const r = await page.evaluate(fn, { urlA: a.url, urlB: b.url, ...arg });
  assert.deepEqual(consoleErrors, []);
  return r;
}

test('snorky.js PubSub: subscribed on node a, published by a client and the backend of node b', LIMIT, async () => {
  const r = await inPage(async ({ urlA, urlB }) => {
    const [sa, sb] = await Promise.all([snorky(urlA), snorky(urlB)]);
    const got = [];
    sa.services.pubsub.messagePublished.add((m) => got.push([m.channel, m.message]));
    const subscribed = await sa.services.pubsub.subscribe({ channel: 'snorky-news' });
    const again = await failure(sa.services.pubsub.subscribe({ channel: 'snorky-news' }));
    const published = await sb.services.pubsub.publish({ channel: 'snorky-news', message: { text: 'from b' } });
    await waitFor('the client\'s publication', () => got.length === 1);
    window.pubsub = { sa, sb, got };
    return { subscribed, again, published, got };
  });
  assert.deepEqual(r, { subscribed: null, again: 'Already subscribed', published: null,
    got: [['snorky-news', { text: 'from b' }]] });
  await b.backend('pubsub_backend', 'publish', { channel: 'snorky-news', message: 'from b\'s backend' });
  const got = await inPage(async () => {
    await waitFor('the backend\'s publication', () => pubsub.got.length === 2);
    pubsub.sa.disconnect();
    pubsub.sb.disconnect();
    return pubsub.got;
  });
  assert.deepEqual(got[1], ['snorky-news', 'from b\'s backend']);
});

test('snorky.js Messaging: a name on node a, sent to from node b; names unique, listed everywhere', LIMIT, async () => {
  const r = await inPage(async ({ urlA, urlB }) => {
    const [ma, mb] = (await Promise.all([snorky(urlA), snorky(urlB)])).map((s) => s.services.messaging);
    const got = [];
    ma.messageReceived.add((m) => got.push(m));
    await ma.registerParticipant({ name: 'snorky-ann' });
    await mb.registerParticipant({ name: 'snorky-ben' });
    const taken = await failure(mb.registerParticipant({ name: 'snorky-ann' }));
    const lists = [await ma.listParticipants(), await mb.listParticipants()];
    const sent = await mb.send({ sender: 'snorky-ben', dest: 'snorky-ann', body: { text: 'hi ann' } });
    await waitFor('the message on node a', () => got.length === 1);
    const badSender = await failure(mb.send({ sender: 'snorky-ann', dest: 'snorky-ben', body: 1 }));
    // ann's connection to node a closed: node b stops listing her and refuses a send to her
    ma.snorky.disconnect();
    await waitFor('ann gone from node b\'s list', async () => !(await mb.listParticipants()).includes('snorky-ann'));
    const gone = await failure(mb.send({ sender: 'snorky-ben', dest: 'snorky-ann', body: 'still there?' }));
    mb.snorky.disconnect();
    return { taken, lists, sent, got, badSender, gone };
  });
  assert.deepEqual(r, {
    taken: 'Name already registered',
    lists: [['snorky-ann', 'snorky-ben'], ['snorky-ann', 'snorky-ben']],
    sent: null,
    got: [{ type: 'message', sender: 'snorky-ben', dest: 'snorky-ann', body: { text: 'hi ann' } }],
    badSender: 'Invalid sender',
    gone: 'Unknown destination',
  });
});

test('snorky.js Chat: identities from URL tokens; presence, messages, read receipts across nodes', LIMIT, async () => {
  const token = (sub) => jwt({ sub, exp: now() + 600 });
  const r = await inPage(async ({ urlA, urlB, alice, bob }) => {
    const withToken = (url, t) => `${url}?token=${encodeURIComponent(t)}`;
    const [ca, cb, cb2] = (await Promise.all([snorky(withToken(urlA, alice)), snorky(withToken(urlB, bob)),
      snorky(withToken(urlA, bob))])).map((s) => s.services.chat);
    const heard = { alice: [], bob: [], bob2: [] };
    const presence = [];
    const reads = [];
    for (const [who, c] of [['alice', ca], ['bob', cb], ['bob2', cb2]]) {
      c.messageReceived.add((m) => heard[who].push([m.from, m.channel, m.body, typeof m.timestamp]));
    }
    ca.presenceReceived.add((p) => presence.push([p.from, p.channel, p.status, typeof p.timestamp]));
    cb2.readReceived.add((m) => reads.push([m.channel, typeof m.timestamp]));

    const joinedA = await ca.join({ channel: '#snorky' });
    const joinedB = await cb.join({ channel: '#snorky' }); // bob's first device, on node b: alice is told
    await waitFor('bob joined', () => presence.length === 1);
    const joinedB2 = await cb2.join({ channel: '#snorky' }); // bob's second device, on node a: nobody is told
    const again = await failure(cb.join({ channel: '#snorky' }));
    await cb.send({ channel: '#snorky', body: 'hello from node b' });
    await ca.send({ channel: '#snorky', body: 'hello from node a' });
    await waitFor('both messages everywhere', () => Object.values(heard).every((h) => h.length === 2));
    await cb.read({ channel: '#snorky' }); // reaches bob's other device, on the other node
    await waitFor('the read receipt', () => reads.length === 1);
    cb.snorky.disconnect(); // bob still has a device in the channel: no "left"
    await cb2.send({ channel: '#snorky', body: 'still here' });
    await waitFor('bob\'s last message', () => heard.alice.length === 3);
    const presenceBeforeLeave = presence.slice();
    await cb2.leave({ channel: '#snorky' }); // bob's last device: alice is told
    await waitFor('bob left', () => presence.length === 2);
    const notJoined = await failure(cb2.send({ channel: '#snorky', body: 'gone' }));
    ca.snorky.disconnect();
    cb2.snorky.disconnect();
    return { joinedA, joinedB: joinedB.members.sort(), joinedB2: joinedB2.members.sort(), again, heard, reads,
      presenceBeforeLeave, presence, notJoined };
  }, { alice: token('alice'), bob: token('bob') });
  const hello = [['bob', '#snorky', 'hello from node b', 'string'],
    ['alice', '#snorky', 'hello from node a', 'string']];
  assert.deepEqual(r, {
    joinedA: { members: ['alice'] },
    joinedB: ['alice', 'bob'],
    joinedB2: ['alice', 'bob'],
    again: 'Already joined',
    heard: { alice: [...hello, ['bob', '#snorky', 'still here', 'string']], bob: hello,
      bob2: [...hello, ['bob', '#snorky', 'still here', 'string']] },
    reads: [['#snorky', 'string']],
    presenceBeforeLeave: [['bob', '#snorky', 'joined', 'string']],
    presence: [['bob', '#snorky', 'joined', 'string'], ['bob', '#snorky', 'left', 'string']],
    notJoined: 'Not joined',
  });
});

test('snorky.js DataSync: a token authorized on node a, acquired on node b, deltas in order', LIMIT, async () => {
  const publish = (deltas) => a.backend('datasync_backend', 'publishDeltas', { deltas });
  const token = await a.backend('datasync_backend', 'authorizeSubscription',
    { items: [{ dealer: 'tasks', query: null }] });
  // published before anyone acquired the token: buffered, and handed over on acquire before its answer
  await publish([{ type: 'insert', model: 'Task', data: { id: 2, title: 'buffered' } }]);
  await inPage(async ({ urlA, urlB, token }) => {
    const [sa, sb] = await Promise.all([snorky(urlA), snorky(urlB)]);
    const tasks = [{ id: 1, title: 'old' }];
    const deltas = [];
    const processor = new Snorky.DataSync.CollectionDeltaProcessor(
      { Task: new Snorky.DataSync.ArrayCollection(tasks) });
    sb.services.datasync.deltaReceived.add((d) => { deltas.push(d); processor.processDelta(d); });
    const acquired = await sb.services.datasync.acquireSubscription({ token });
    const atAcquire = deltas.length;
    const twice = await failure(sa.services.datasync.acquireSubscription({ token }));
    window.datasync = { sa, sb, tasks, deltas, acquired, atAcquire, twice };
  }, { token });
  const many = Array.from({ length: 20 },
    (_, i) => ({ type: 'insert', model: 'Task', data: { id: 100 + i, title: `t${i}` } }));
  await publish([
    { type: 'update', model: 'Task', newData: { id: 1, title: 'new' }, oldData: { id: 1, title: 'old' } },
    { type: 'delete', model: 'Task', data: { id: 2, title: 'buffered' } }]);
  for (let i = 0; i < many.length; i += 5) await publish(many.slice(i, i + 5));
  const r = await inPage(async ({ token }) => {
    await waitFor('every delta', () => datasync.deltas.length === 23);
    const { sa, sb, tasks, deltas, acquired, atAcquire, twice } = datasync;
    const cancelled = await sb.services.datasync.cancelSubscription({ token });
    const cancelledAgain = await failure(sb.services.datasync.cancelSubscription({ token }));
    sa.disconnect();
    sb.disconnect();
    return { tasks, order: deltas.map((d) => (d.data ?? d.newData).id), acquired, atAcquire, twice, cancelled,
      cancelledAgain };
  }, { token });
  assert.equal(r.acquired, null);
  assert.equal(r.atAcquire, 1, 'the buffered delta came before the acquire\'s answer');
  assert.equal(r.twice, 'Already acquired');
  assert.equal(r.cancelled, null);
  assert.equal(r.cancelledAgain, 'No such subscription');
  assert.deepEqual(r.order, [2, 1, 2, ...many.map((d) => d.data.id)]);
  assert.deepEqual(r.tasks, [{ id: 1, title: 'new' }, ...many.map((d) => d.data)]);
});

test('snorky.js Cursors: a cursor made on node a is seen, moved and removed by members on node b', LIMIT, async () => {
  const token = (sub) => jwt({ sub, exp: now() + 600 });
  const r = await inPage(async ({ urlA, urlB, alice, bob, carol }) => {
    const withToken = (url, t) => `${url}?token=${encodeURIComponent(t)}`;
    const [ca, cb, cc] = (await Promise.all([snorky(withToken(urlA, alice)), snorky(withToken(urlB, bob)),
      snorky(withToken(urlB, carol))])).map((s) => s.services.cursors);
    const docA = await ca.join({ document: 'snorky-doc' });
    const docB = await cb.join({ document: 'snorky-doc' });
    const seen = [];
    // the handle is compared at the end: node b may hear of the cursor before node a's client has its answer
    const fields = (c) => [c.owner, c.position, c.status, c.publicHandle];
    docB.cursorAdded.add((c) => seen.push(['added', ...fields(c)]));
    // snorky.js dispatches cursorUpdated with the cursor's previous state (its _.replace answers the replaced
    // item) and keeps the new one in document.cursors: the same against Snorky's own server
    docB.cursorUpdated.add((c) => seen.push(['updated', ...fields(c), docB.cursors.map(fields)]));
    docB.cursorRemoved.add((c) => seen.push(['removed', c.publicHandle]));
    const initial = [docA.cursors.length, docB.cursors.length];
    const [own, created] = docA.createCursor({ position: 1, status: 'typing' });
    await created;
    await waitFor('the cursor on node b', () => seen.length === 1);
    await own.update({ position: 7 });
    await waitFor('its move on node b', () => seen.length === 2);
    const docC = await cc.join({ document: 'snorky-doc' }); // a late joiner on node b is handed the cursor
    const late = docC.cursors.map(fields);
    const onB = docB.cursors.map((c) => [c.owner, c.position]);
    await own.remove();
    await waitFor('its removal on node b', () => seen.length === 3);
    const synced = own.isSynchronized();
    const left = docB.cursors.length;
    for (const c of [ca, cb, cc]) c.snorky.disconnect();
    const tag = (handle) => (handle === own.publicHandle ? 'its handle' : handle);
    const mine = ([owner, position, status, handle]) => [owner, position, status, tag(handle)];
    return { initial, handle: typeof own.publicHandle, late: late.map(mine), onB, synced, left,
      seen: seen.map(([what, ...c]) => (what === 'removed' ? [what, tag(c[0])]
        : [what, ...mine(c), ...c.slice(4).map((list) => list.map(mine))])) };
  }, { alice: token('alice'), bob: token('bob'), carol: token('carol') });
  assert.deepEqual(r, {
    initial: [0, 0],
    handle: 'number',
    seen: [['added', 'alice', 1, 'typing', 'its handle'],
      ['updated', 'alice', 1, 'typing', 'its handle', [['alice', 7, 'typing', 'its handle']]],
      ['removed', 'its handle']],
    late: [['alice', 7, 'typing', 'its handle']],
    onB: [['alice', 7]],
    synced: true,
    left: 0,
  });
});
