// npm run bench: for each size, a fresh private PID namespace filled with N idle processes; medians of
// alternating runs of psmisc killall, killall-ts and pkill; syscalls per scanned process; peak memory.
// Then the floor rows (floor.mjs, floor-report.mjs): the C floor beside psmisc, pkill and killall-ts, per process
// and per match, and the plot results/scan.svg. Then mass signalling (bench/mass.mjs): signal 0 and SIGTERM to
// every one of N matching processes, and -w.
// Sizes and rounds: BENCH_SIZES=1000,5000,20000 BENCH_ROUNDS=15 BENCH_MASS_SIZES=250,2000,5000 BENCH_WAIT_N=2000
// (0 or empty skips); BENCH_FLOOR_SIZES (default: BENCH_SIZES; empty skips). BENCH_NICE=-10 runs every measured command at that nice level (a busy shared machine then
// disturbs the numbers less; both tools alike). Needs root, unshare, cc, psmisc, procps, strace.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { analyse, floorPlot, floorTables } from './floor-report.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '1000,5000,20000').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const need = ['unshare', 'cc', 'pkill', 'strace'].filter(
  (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0,
);
if (process.getuid() !== 0 || need.length || spawnSync('test', ['-x', '/usr/bin/killall']).status !== 0) {
  console.error(
    `bench: needs root, psmisc and ${['unshare', 'cc', 'pkill', 'strace'].join(', ')}; missing: ${need.join(', ') || 'root or psmisc'}`,
  );
  process.exit(1);
}
const massSizes = (process.env.BENCH_MASS_SIZES ?? '250,2000,5000').split(',').filter(Boolean).map(Number);
const waitN = Number(process.env.BENCH_WAIT_N ?? 2000);
// A directory of our own: another checkout's bench run must not replace our helpers mid-run.
const bin = mkdtempSync(`${tmpdir()}/kts-bench-`);
process.on('exit', () => rmSync(bin, { recursive: true, force: true }));
execFileSync('cc', ['-O2', '-o', `${bin}/spawner`, here('./spawner.c')]);
execFileSync('cc', ['-O2', '-o', `${bin}/measure`, here('./measure.c')]);
execFileSync('cc', ['-O2', '-o', `${bin}/floor`, here('./floor.c')]);

// Runs a bench script as PID 1 of a fresh private PID namespace; its result is the last line it prints (JSON).
const inNamespace = (script, ...args) => {
  const r = spawnSync(
    'unshare',
    ['--pid', '--fork', '--mount-proc', process.execPath, here(script), ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(r.stdout.trim().split('\n').pop());
};

// The arguments inner.mjs and floor.mjs start with: N, rounds, our launcher, the spawner, the timer.
const sizeArgs = (n) => [
  String(n),
  String(rounds),
  here('../bin/killall'),
  `${bin}/spawner`,
  `${bin}/measure`,
];

const results = [];
for (const n of sizes.filter(Boolean)) results.push(inNamespace('./inner.mjs', ...sizeArgs(n)));

const f = (x) => (x === null || x === undefined ? '—' : x.toFixed(1));
const ratio = (a, b) => (a / b).toFixed(2);
console.log(
  `killall-ts benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${rounds} alternating rounds, medians in ms`,
);
console.log(
  '| processes | scan psmisc | scan killall-ts | ratio | scan pkill -x | signal 200 psmisc | signal 200 killall-ts | ratio | syscalls/process psmisc | killall-ts | peak RSS KiB psmisc | killall-ts |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const m = r.medianMs;
  console.log(
    `| ${r.pids} | ${f(m['scan psmisc'])} | ${f(m['scan killall-ts'])} | ${ratio(m['scan killall-ts'], m['scan psmisc'])} | ${f(m['scan pkill'])} | ${f(m['signal psmisc'])} | ${f(m['signal killall-ts'])} | ${ratio(m['signal killall-ts'], m['signal psmisc'])} | ${(r.syscalls.psmisc / r.pids).toFixed(2)} | ${(r.syscalls['killall-ts'] / r.pids).toFixed(2)} | ${r.maxRssKiB.psmisc} | ${r.maxRssKiB['killall-ts']} |`,
  );
}
if (results.length > 0) {
  const s = results[0].medianMs;
  console.log(
    `\nstart-up: killall-ts -l ${f(s['start killall-ts -l'])} ms, node -e 0 ${f(s['start node -e 0'])} ms, ratio ${ratio(s['start killall-ts -l'], s['start node -e 0'])} (NODE_EXTRA_CA_CERTS unset)`,
  );
}

const floor = floorRows();

let mass = null;
if (massSizes.length > 0 || waitN > 0) {
  mass = inNamespace(
    './mass.mjs',
    massSizes.join(',') || '0',
    String(rounds),
    here('../bin/killall'),
    `${bin}/spawner`,
    `${bin}/measure`,
    String(waitN),
  );
  const us = (ms, n) => ((ms * 1000) / n).toFixed(1);
  console.log(
    '\nmass signalling: every one of N processes matches; medians in ms; CPU = user + system of the killall process',
  );
  console.log(
    '| matches | signal 0 psmisc | killall-ts | ratio | SIGTERM psmisc | killall-ts | ratio | SIGTERM CPU µs/match psmisc | killall-ts | marginal µs/match wall | CPU |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [n, m] of Object.entries(mass.sizes)) {
    const s0p = m['sig0 psmisc'];
    const s0k = m['sig0 killall-ts'];
    const tp = m['term psmisc'];
    const tk = m['term killall-ts'];
    const scan = m['scan killall-ts'];
    console.log(
      `| ${n} | ${f(s0p.ms)} | ${f(s0k.ms)} | ${ratio(s0k.ms, s0p.ms)} | ${f(tp.ms)} | ${f(tk.ms)} | ${ratio(tk.ms, tp.ms)} | ${us(tp.cpuMs, n)} | ${us(tk.cpuMs, n)} | ${us(s0k.ms - scan.ms, n)} | ${us(s0k.cpuMs - scan.cpuMs, n)} |`,
    );
  }
  if (mass.wait) {
    const w = mass.wait;
    console.log(
      `\n-w on ${w.n} matches (until killall returns, the last one gone): psmisc ${f(w.psmisc.ms)} ms (CPU ${f(w.psmisc.cpuMs)}), killall-ts ${f(w['killall-ts'].ms)} ms (CPU ${f(w['killall-ts'].cpuMs)}), ratio ${ratio(w['killall-ts'].ms, w.psmisc.ms)}`,
    );
  }
}
mkdirSync(here('./results'), { recursive: true });
writeFileSync(
  here('./results/latest.json'),
  `${JSON.stringify({ scan: results, floor: floor && { raw: floor.raw, analysis: floor.analysis }, mass }, null, 2)}\n`,
);
if (floor) writeFileSync(here('./results/scan.svg'), floor.svg);

// The floor rows: per size, a namespace of N processes all named hx7floor (floor.mjs); the C floor, psmisc, pkill
// and killall-ts alternating, scanning without a match and signalling all (signal 0); then the fit and the plot.
function floorRows() {
  const floorSizes = (process.env.BENCH_FLOOR_SIZES ?? sizes.join(','))
    .split(',')
    .filter(Boolean)
    .map(Number);
  if (floorSizes.length < 2) return null;
  const raw = floorSizes.map((n) => inNamespace('./floor.mjs', ...sizeArgs(n), `${bin}/floor`));
  const a = analyse(raw);
  console.log(floorTables(a));
  const when = `npm run bench, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores, Node ${process.version}, ${rounds} alternating rounds, medians`;
  return { raw, analysis: a, svg: floorPlot(a, when) };
}
