// The drop-ins against the original packages (npm run build first; needs root, unshare, cc, and the registry once):
//   node bench/dropins.mjs [ROUNDS]
// Each measurement runs in a private PID and network namespace of its own (dropins-inner.mjs as PID 1), on
// processes it starts there; the original and the drop-in alternate round by round, in both orders. Cases: tree-kill
// and pidtree on trees of about 100 and 1,000 processes, kill-port among 5,000 idle processes, fkill by name and by
// port among 1,000. Prints the medians (ms until the call returns, and until the last target is gone) and the
// ratios original / drop-in. NODE_EXTRA_CA_CERTS is dropped for the measured processes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const ROOT = here('..');
const ROUNDS = Number(process.argv[2] ?? 3);
const { originals } = await import(`${ROOT}/dist/tests/helpers/originals.js`);
const { compiledHelper } = await import(`${ROOT}/dist/tests/helpers/ns.js`);
const orig = originals();
if (orig instanceof Error) {
  console.error(`bench: the original packages could not be installed: ${orig.message}`);
  process.exit(1);
}
const bin = mkdtempSync(`${tmpdir()}/kts-bench-dropins-`);
execFileSync('cc', ['-O2', '-o', `${bin}/spawner`, here('./spawner.c')]);
const extVictim = compiledHelper('ext-victim');
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;

function once(kase, impl, n) {
  const r = spawnSync(
    'unshare',
    [
      '--pid',
      '--fork',
      '--mount-proc',
      '--net',
      process.execPath,
      here('./dropins-inner.mjs'),
      kase,
      impl,
      String(n),
      ROOT,
      orig,
      extVictim,
      `${bin}/spawner`,
    ],
    { encoding: 'utf8', env, timeout: 600_000 },
  );
  const out = JSON.parse(r.stdout.trim().split('\n').pop() || '{"error":"no output"}');
  if (out.error) throw new Error(`${kase} ${impl} ${n}: ${out.error}\n${r.stderr}`);
  return out;
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x) => (x === null ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ratio = (a, b) => (a === null || b === null ? '–' : `${(a / b).toFixed(1)}×`);

const cases = [
  ['tree-kill', 100],
  ['tree-kill', 1000],
  ['pidtree', 100],
  ['pidtree', 1000],
  ['kill-port', 5000],
  ['fkill-name', 1000],
  ['fkill-port', 1000],
];
console.log(
  `| case | processes | original: call / gone (ms) | drop-in: call / gone (ms) | call ratio | gone ratio |`,
);
console.log('|---|---|---|---|---|---|');
for (const [kase, n] of cases) {
  const runs = { ours: [], orig: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['orig', 'ours'] : ['ours', 'orig'];
    for (const impl of order) runs[impl].push(once(kase, impl, n));
  }
  const m = (impl, k) => (runs[impl][0][k] === null ? null : median(runs[impl].map((r) => r[k])));
  const procs = kase === 'tree-kill' || kase === 'pidtree' ? runs.ours[0].processes : n;
  console.log(
    `| ${kase} | ${procs} | ${fmt(m('orig', 'callMs'))} / ${fmt(m('orig', 'goneMs'))} | ${fmt(m('ours', 'callMs'))} / ${fmt(m('ours', 'goneMs'))} | ${ratio(m('orig', 'callMs'), m('ours', 'callMs'))} | ${ratio(m('orig', 'goneMs'), m('ours', 'goneMs'))} |`,
  );
}
console.log(
  `\n${ROUNDS} rounds per cell, alternating; load average ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
rmSync(bin, { recursive: true, force: true });
