// The broker's web console (/console on the private port) in real headless Chromium (Debian's, driven by
// playwright-core): log in, see a connection appear, tail a channel while the backend publishes, disconnect the
// client, publish from the form, log out. Screenshots go to target/console/ (docs/console.png is one of them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { Broker, WebSocket, jwt, now, until } from '../support/broker.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'console-password-for-the-browser-test';
const SHOTS = new URL('../../target/console/', import.meta.url).pathname;
let broker, browser, page, alice;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  broker = await Broker.start([`--console.password=${PASSWORD}`]);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  page.on('pageerror', (e) => console.log(`# page error: ${e}`));
});

after(async () => {
  alice?.close();
  await browser?.close();
  await broker?.stop();
});

/** A public client with an identity, subscribed to room:1 (the raw protocol: one frame each way). */
async function connectAlice() {
  const ws = new WebSocket(`${broker.url}?token=${jwt({ sub: 'alice', exp: now() + 600 })}`);
  ws.closed = new Promise((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
  await new Promise((resolve, reject) => { ws.addEventListener('open', resolve); ws.addEventListener('error', reject); });
  const subscribed = new Promise((resolve) => ws.addEventListener('message', resolve, { once: true }));
  ws.send(JSON.stringify({ service: 'pubsub', message: { command: 'subscribe', params: { channel: 'room:1' }, callId: 1 } }));
  await subscribed;
  return ws;
}

test('console: log in, watch, tail, disconnect, publish, log out', async () => {
  const base = `http://127.0.0.1:${broker.privatePort}/console/`;
  await page.goto(base);
  await page.fill('#password', 'a-wrong-password-attempt');
  await page.click('#login');
  assert.equal(await page.textContent('#login-error'), 'Wrong password.');

  await page.fill('#password', PASSWORD);
  await page.click('#login');
  await page.waitForSelector('#ws-state.connected');
  await page.waitForFunction(() => document.querySelector('#nodes tr td')?.textContent.length > 0);

  alice = await connectAlice();
  const row = page.locator('#connections tr', { hasText: 'alice' });
  await row.waitFor();
  assert.match(await row.textContent(), /^alicews:\/127\.0\.0\.1:\d+1Disconnect$/);
  await page.locator('#channels tr', { hasText: 'room:1' }).waitFor();

  await page.locator('#channels tr', { hasText: 'room:1' }).getByRole('button', { name: 'Tail room:1' }).click();
  await page.waitForFunction(() => document.getElementById('tail-state').textContent === 'tailing room:1');
  let n = 0;
  await until('the tail shows the backend\'s publications', async () => {
    await broker.backend('pubsub_backend', 'publish', { channel: 'room:1', message: { n: ++n, text: 'from the backend' } });
    return (await page.locator('#tail li').count()) >= 3;
  }, 15000);
  assert.match(await page.textContent('#tail li:first-child code'), /"from the backend"/);

  await page.fill('#publish-channel', 'room:1');
  await page.fill('#publish-message', '{"text":"from the console form"}');
  await page.click('#publish-send');
  await page.waitForFunction(() => document.getElementById('publish-result').textContent.startsWith('Published'));
  await page.locator('#tail li', { hasText: 'from the console form' }).waitFor();
  await page.waitForFunction(() => document.querySelector('#channels tr td:nth-child(3)')?.textContent !== '');
  await page.screenshot({ path: `${SHOTS}console.png`, fullPage: true });

  await row.getByRole('button', { name: 'Disconnect alice' }).click();
  assert.equal(await alice.closed, 4003);
  await page.waitForFunction(() => document.getElementById('disconnect-result').textContent
    === 'Closed 1 connection(s) of alice.');
  await row.waitFor({ state: 'detached' });
  await page.screenshot({ path: `${SHOTS}disconnected.png`, fullPage: true });

  await page.click('#logout');
  await page.waitForSelector('#password');
  assert.equal((await fetch(`${base}session`)).status, 401);
});
