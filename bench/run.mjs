// npm run bench: for each size, a fresh private PID namespace filled with N idle processes; medians of
// alternating runs of psmisc killall, killall-ts and pkill; syscalls per scanned process; peak memory.
// Sizes and rounds: BENCH_SIZES=1000,5000,20000 BENCH_ROUNDS=15. Needs root, unshare, cc, psmisc, procps, strace.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

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
const bin = `${tmpdir()}/kts-bench`;
mkdirSync(bin, { recursive: true });
execFileSync('cc', ['-O2', '-o', `${bin}/spawner`, here('./spawner.c')]);
execFileSync('cc', ['-O2', '-o', `${bin}/measure`, here('./measure.c')]);

const results = [];
for (const n of sizes) {
  const r = spawnSync(
    'unshare',
    [
      '--pid',
      '--fork',
      '--mount-proc',
      process.execPath,
      here('./inner.mjs'),
      String(n),
      String(rounds),
      here('../bin/killall'),
      `${bin}/spawner`,
      `${bin}/measure`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  results.push(JSON.parse(r.stdout.trim().split('\n').pop()));
}

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
const s = results[0].medianMs;
console.log(
  `\nstart-up: killall-ts -l ${f(s['start killall-ts -l'])} ms, node -e 0 ${f(s['start node -e 0'])} ms, ratio ${ratio(s['start killall-ts -l'], s['start node -e 0'])} (NODE_EXTRA_CA_CERTS unset)`,
);
mkdirSync(here('./results'), { recursive: true });
writeFileSync(here('./results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
