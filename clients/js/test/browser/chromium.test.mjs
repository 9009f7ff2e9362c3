// The key cases in real headless Chromium (Debian's, driven by playwright-core), loading the built ESM bundle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { Broker, freePort, jwt, now } from '../support/broker.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BUNDLE = readFileSync(new URL('../../dist/squall.min.js', import.meta.url));
let broker, server, browser, page;

before(async () => {
  broker = await Broker.start();
  // the page comes from another origin than the broker's, as an app's would (the broker allows it: allowed.origins)
  const port = await freePort();
  server = createServer((req, res) => {
    if (req.url === '/squall.min.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(BUNDLE);
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>squall-client</title>');
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  // without the background-networking flags Chromium keeps calling Google's hosts, which a closed network refuses
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu'] });
  page = await browser.newPage();
  page.on('pageerror', (e) => console.log(`# page error: ${e}`));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.evaluate(async (url) => {
    const mod = await import('/squall.min.js');
    window.squall = mod;
    window.url = url;
    window.waitFor = async (what, check, ms = 20000) => {
      const end = Date.now() + ms;
      while (!check()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
  }, broker.url);
});

after(async () => {
  await browser?.close();
  server?.close();
  await broker?.stop();
});

test('chromium: connect, subscribe, publish, receive; rejections are Errors with the protocol name', async () => {
  const r = await page.evaluate(async () => {
    const c = new squall.Client(url);
    c.connect();
    const got = [];
    const sub = c.subscribe({ app: 'browser' });
    sub.on('publication', (p) => got.push(p.data));
    await waitFor('subscribed', () => sub.state === 'subscribed');
    await c.publish({ app: 'browser' }, 'hello');
    await waitFor('delivered', () => got.length === 1);
    const e = await c.call('pubsub', 'subscribe', { channel: 1, nope: 2 }).catch((x) => x);
    const ping = await c.call('pubsub', 'ping');
    c.disconnect();
    const after = await c.publish('x', 1).catch((x) => x);
    return { got, isError: e instanceof Error, isSquall: e instanceof squall.SquallError, code: e.code, ping,
      afterCode: after.code, afterIsError: after instanceof Error, state: c.state };
  });
  assert.deepEqual(r, { got: ['hello'], isError: true, isSquall: true, code: 'Invalid params', ping: null,
    afterCode: 'Disconnected', afterIsError: true, state: 'disconnected' });
});

test('chromium: the watchdog probes a silent connection with ping and keeps a live one', async () => {
  const r = await page.evaluate(async () => {
    const c = new squall.Client(url, { idleTimeout: 200 });
    const states = [];
    c.on('state', (e) => states.push(e.state));
    c.connect();
    await waitFor('connected', () => c.state === 'connected');
    await new Promise((res) => setTimeout(res, 1000)); // several probes, each answered
    const state = c.state;
    c.disconnect();
    return { state, states };
  });
  assert.deepEqual(r, { state: 'connected', states: ['connecting', 'connected', 'disconnected'] });
});

test('chromium: a token from getToken gives the identity; a throwing handler is reported and isolated', async () => {
  const token = jwt({ sub: 'erin', exp: now() + 600 });
  const r = await page.evaluate(async (token) => {
    const c = new squall.Client(url, { getToken: async () => token });
    const errors = [];
    c.on('error', (e) => errors.push(e.code));
    c.chat.on('message', () => { throw new Error('app bug'); });
    const bodies = [];
    c.chat.on('message', (m) => bodies.push(m.body));
    c.chat.on('error', (e) => errors.push(e.code));
    c.connect();
    await waitFor('connected', () => c.state === 'connected');
    const joined = await c.chat.join('#browser');
    await c.chat.send('#browser', 'hi');
    await waitFor('message', () => bodies.length === 1);
    c.disconnect();
    return { members: joined.members, bodies, errors };
  }, token);
  assert.deepEqual(r, { members: ['erin'], bodies: ['hi'], errors: ['Handler failed'] });
});

test('chromium: the broker restarted: the client reconnects, resubscribes, and is told recovered: false', async () => {
  await page.evaluate(async () => {
    const c = new squall.Client(url, { minDelay: 100, maxDelay: 1000 });
    window.restart = { c, got: [], recoveries: [] };
    const sub = c.subscribe('news:browser', { positioned: true });
    sub.on('publication', (p) => restart.got.push(p.data));
    sub.on('subscribed', (e) => restart.recoveries.push([e.wasRecovering, e.recovered]));
    c.connect();
    await waitFor('subscribed', () => sub.state === 'subscribed');
    await c.publish('news:browser', 'before');
    await waitFor('delivered', () => restart.got.length === 1);
  });
  await broker.restart();
  const r = await page.evaluate(async () => {
    await waitFor('resubscribed', () => restart.recoveries.length === 2);
    await restart.c.publish('news:browser', 'after');
    await waitFor('delivered after', () => restart.got.length === 2);
    restart.c.disconnect();
    return restart;
  });
  assert.deepEqual(r.recoveries, [[false, false], [true, false]]);
  assert.deepEqual(r.got, ['before', 'after']);
});
