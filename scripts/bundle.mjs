// Bundles the CLI into one file (dist/killall.mjs) for a fast start: one module to load, koffi left external
// and required only when a signal is sent.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/killall.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['koffi'],
  define: { KILLALL_TS_VERSION: JSON.stringify(version) },
  banner: {
    js: "import { createRequire as __kcr } from 'node:module'; const require = __kcr(import.meta.url);",
  },
  logLevel: 'warning',
});
