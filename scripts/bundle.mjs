// Bundles the CLI into one CommonJS file (dist/killall.cjs) for a fast start: one module to load (Node 20 loads
// CommonJS about 9 ms faster than ESM), koffi left external and required only when a signal is sent.
// Code that a plain run never needs goes to files of its own, loaded only when asked for, so a plain run never
// parses it: what only `killall-ts` prints (the full help, the completion scripts) in dist/killall-ts-extras.cjs,
// --explain's implementation in dist/explain.cjs, and the --pick picker in dist/pick.cjs. dist/killall-ts.cjs is
// the entry of bin/killall-ts: it requires the same bundle, and its own name tells main.ts how it was invoked.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const path = (p) => new URL(p, import.meta.url).pathname;
const common = {
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
};

// The files bundled apart: `spec` imported (lazily) by `importer` becomes a require of `out` in the main bundle.
const apart = [
  {
    importer: '/src/cli/run.ts',
    spec: './extras.js',
    entry: '../src/cli/extras.ts',
    out: 'killall-ts-extras.cjs',
  },
  {
    importer: '/src/explain/index.ts',
    spec: './impl.js',
    entry: '../src/explain/impl.ts',
    out: 'explain.cjs',
  },
  { importer: '/src/cli/run.ts', spec: './pick/cli.js', entry: '../src/cli/pick/cli.ts', out: 'pick.cjs' },
];
const bundledApart = {
  name: 'bundled-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z/-]+\.js$/ }, (a) => {
      const f = apart.find((x) => x.spec === a.path && a.importer.endsWith(x.importer));
      return f ? { path: `./${f.out}`, external: true } : undefined;
    });
  },
};

await build({
  ...common,
  entryPoints: [path('../src/cli/main.ts')],
  outfile: path('../dist/killall.cjs'),
  plugins: [bundledApart],
  // import() of a file bundled apart becomes require(): a real import() would start Node's ESM loader (~30 ms).
  supported: { 'dynamic-import': false },
});
for (const f of apart)
  await build({ ...common, entryPoints: [path(f.entry)], outfile: path(`../dist/${f.out}`) });
writeFileSync(path('../dist/killall-ts.cjs'), "'use strict';\nrequire('./killall.cjs');\n");

// The drop-ins whose originals are CommonJS (tree-kill, kill-port, pidtree 0.6) as CommonJS bundles of their own, so
// that require() works on Node 20.10 (which cannot require an ES module), each with the hand-written types of its
// wrapper package beside it (`export =`). Not minified: their stack traces reach their callers. --explain's
// implementation, never loaded by them, stays out (a require of the CLI's dist/explain.cjs).
const dropins = [
  { out: 'tree-kill', entry: "require('./tree-kill.ts').treeKill", types: 'tree-kill/index.d.ts' },
  { out: 'kill-port', entry: "require('./kill-port.ts').killPort", types: 'kill-port/index.d.ts' },
  { out: 'pidtree', entry: "require('./pidtree-core.ts').pidtreeLegacy", types: 'pidtree/index.d.cts' },
];
const explainApart = {
  name: 'explain-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/impl\.js$/ }, (a) =>
      a.importer.endsWith('/src/explain/index.ts') ? { path: '../explain.cjs', external: true } : undefined,
    );
  },
};
for (const d of dropins) {
  await build({
    ...common,
    minify: false,
    stdin: {
      contents: `'use strict';\nmodule.exports = ${d.entry};\n`,
      resolveDir: path('../src/dropins'),
      sourcefile: `${d.out}.cjs`,
      loader: 'js',
    },
    outfile: path(`../dist/dropins/${d.out}.cjs`),
    plugins: [explainApart],
    supported: { 'dynamic-import': false },
  });
  copyFileSync(path(`../packages/${d.types}`), path(`../dist/dropins/${d.out}.d.cts`));
}
