// node bench/explain.mjs [N] [ROUNDS] [OTHER_BIN...]: the cost of --explain, and that a plain run pays nothing.
// In a private PID namespace filled with N idle processes (spawner.c), it alternates round by round: psmisc
// `killall -q NOSUCHNAME`, this checkout's `bin/killall -q NOSUCHNAME`, the same with `--explain` (stderr to
// /dev/null), and `-q NOSUCHNAME` with every OTHER_BIN given (another checkout's bin/killall, for a before/after
// comparison of plain runs). Prints medians in ms; each run is timed by measure.c (fork, exec, wait).
// Needs root, unshare, cc, psmisc.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const [n = '5000', rounds = '15', ...others] = process.argv.slice(2);

if (process.pid !== 1) {
  // A directory of our own: another checkout's bench run must not replace our helpers mid-run.
  const bin = mkdtempSync(`${tmpdir()}/kts-bench-`);
  process.on('exit', () => rmSync(bin, { recursive: true, force: true }));
  execFileSync('cc', ['-O2', '-o', `${bin}/spawner`, here('./spawner.c')]);
  execFileSync('cc', ['-O2', '-o', `${bin}/measure`, here('./measure.c')]);
  const r = spawnSync(
    'unshare',
    ['--pid', '--fork', '--mount-proc', process.execPath, here('./explain.mjs'), n, rounds, ...others],
    { stdio: 'inherit', env: { ...process.env, KTS_BENCH_BIN: bin } },
  );
  process.exit(r.status ?? 1);
}

const bin = process.env.KTS_BENCH_BIN;
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const spawner = spawn(`${bin}/spawner`, [String(Number(n) - 1), 'hx7idle'], {
  stdio: ['ignore', 'pipe', 'ignore'],
});
await new Promise((resolve) => spawner.stdout.on('data', (d) => d.toString().includes('ready') && resolve()));
const ours = here('../bin/killall');
const cases = [
  ['psmisc', ['/usr/bin/killall', '-q', 'NOSUCHNAME']],
  ['killall-ts', [ours, '-q', 'NOSUCHNAME']],
  ['killall-ts --explain', [ours, '--explain', '-q', 'NOSUCHNAME']],
  ...others.map((o, i) => [`other ${i + 1} (${o})`, [o, '-q', 'NOSUCHNAME']]),
];
const times = new Map(cases.map(([k]) => [k, []]));
for (let r = 0; r < Number(rounds); r++) {
  for (const [k, argv] of cases) {
    // measure.c prints elapsed_us=…; --explain's narration goes to /dev/null.
    const out = execFileSync('sh', ['-c', `"${bin}/measure" "$@" 2>/dev/null`, 'sh', ...argv], {
      env,
      encoding: 'utf8',
    });
    times.get(k).push(Number(/elapsed_us=(\d+)/.exec(out)[1]) / 1000);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const base = median(times.get('psmisc'));
console.log(
  `${n} processes, ${rounds} alternating rounds, medians (ms, and ratio to psmisc in the same rounds):`,
);
for (const [k] of cases) {
  const m = median(times.get(k));
  console.log(`  ${k.padEnd(40)} ${m.toFixed(1).padStart(7)}  ${(m / base).toFixed(2)}`);
}
spawner.kill('SIGKILL');
process.exit(0);
