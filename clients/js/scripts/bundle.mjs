// The browser bundle: one minified ESM file, dist/squall.min.js (the SNAP live page serves a copy of it).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  legalComments: 'none',
  outfile: 'dist/squall.min.js',
  logLevel: 'warning',
});
