// The vendored snorky.js (test/snorky) is Snorky's code unmodified: every file matches the SHA-256 recorded for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = new URL('../snorky/', import.meta.url);
// the fixture's own notes, not Snorky's files
const OURS = new Set(['README.md', 'SHA256SUMS']);

function recorded() {
  const sums = new Map();
  for (const line of readFileSync(new URL('SHA256SUMS', DIR), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    assert.ok(m, `not a sha256sum line: ${line}`);
    sums.set(m[2], m[1]);
  }
  return sums;
}

test('every vendored Snorky file has its recorded SHA-256 (the fixture is unmodified)', () => {
  const sums = recorded();
  assert.ok(sums.size >= 12, `${sums.size} sums`);
  for (const [path, sum] of sums) {
    const actual = createHash('sha256').update(readFileSync(new URL(path, DIR))).digest('hex');
    assert.equal(actual, sum, `${path} differs from Snorky's commit 989c882: the fixture must stay unmodified`);
  }
});

test('no file in the fixture goes unchecked', () => {
  const sums = recorded();
  const files = readdirSync(DIR, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(fileURLToPath(DIR), join(e.parentPath ?? e.path, e.name)).split(sep).join('/'))
    .filter((p) => !OURS.has(p));
  assert.deepEqual(files.sort(), [...sums.keys()].sort());
});
