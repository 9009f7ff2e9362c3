// The browser bundle's size, and the copies the SNAP live page and the web console serve from the broker's jar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const bundle = readFileSync(new URL('../../dist/squall.min.js', import.meta.url));
const PAGE_COPY = new URL('../../../../broker-snap-bridge/src/main/resources/io/squall/snap/page/squall.min.js', import.meta.url);
const CONSOLE_COPY = new URL('../../../../broker-server/src/main/resources/io/squall/server/console/squall.min.js', import.meta.url);

test('the minified browser bundle is at most 6 KB gzipped', () => {
  const gz = gzipSync(bundle, { level: 9 }).length;
  console.log(`# bundle: ${bundle.length} bytes minified, ${gz} bytes gzipped (-9)`);
  assert.ok(gz <= 6 * 1024, `${gz} bytes gzipped`);
});

test('the bundle is ESM with no import of its own (no runtime dependency)', () => {
  const text = bundle.toString();
  assert.match(text, /export\s*\{/);
  assert.doesNotMatch(text, /\bimport\s*[\s{*"']|require\(/);
});

test('the SNAP live page serves the current bundle', () => {
  assert.ok(readFileSync(PAGE_COPY).equals(bundle),
    'broker-snap-bridge serves an old bundle: after npm run build, cp clients/js/dist/squall.min.js '
    + 'broker-snap-bridge/src/main/resources/io/squall/snap/page/');
});

test('the web console serves the current bundle', () => {
  assert.ok(readFileSync(CONSOLE_COPY).equals(bundle),
    'broker-server\'s console serves an old bundle: after npm run build, cp clients/js/dist/squall.min.js '
    + 'broker-server/src/main/resources/io/squall/server/console/');
});
