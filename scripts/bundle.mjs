// Bundles the CLI into one CommonJS file (dist/killall.cjs) for a fast start: one module to load (Node 20 loads
// CommonJS about 9 ms faster than ESM), koffi left external and required only when a signal is sent.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// The --pick picker is its own bundle (dist/pick.cjs), required only when --pick is used: plain runs never parse it.
const pickApart = {
  name: 'pick-apart',
  setup(b) {
    b.onResolve({ filter: /\/pick\/cli\.js$/ }, () => ({ path: './pick.cjs', external: true }));
  },
};
await build({
  entryPoints: [new URL('../src/cli/pick/cli.ts', import.meta.url).pathname],
  outfile: new URL('../dist/pick.cjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['koffi'],
  minify: true,
  define: { 'import.meta.url': 'undefined' },
  logLevel: 'warning',
});
await build({
  plugins: [pickApart],
  // import() of dist/pick.cjs becomes require(): a real import() would start Node's ESM loader (about 30 ms).
  supported: { 'dynamic-import': false },
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/killall.cjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['koffi'],
  // A smaller file parses faster; error messages never show stack traces, so names are not needed.
  minify: true,
  // import.meta.url only feeds createRequire, which the CommonJS bundle never calls (it has require).
  define: { KILLALL_TS_VERSION: JSON.stringify(version), 'import.meta.url': 'undefined' },
  logLevel: 'warning',
});
