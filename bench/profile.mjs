// node bench/profile.mjs: where a killall-ts scan spends its time outside the kernel (issue 18,
// items 2-3). As PID 1 of a private PID namespace filled with PROFILE_N idle processes (default 20,000), it runs
// `node --cpu-prof dist/killall.cjs -q NOSUCHNAME` PROFILE_RUNS times (default 5) and sums the profiles' self time
// by function and by kind (native fs calls, which include the syscall itself; our bundle; Node's fs layer; GC; the
// rest); and the same command PROFILE_RUNS more times under measure.c for wall, user and system time. The profiled
// bundle is built like dist/killall.cjs (scripts/bundle.mjs) but keeps its identifiers, so that functions have their
// names; the modules bundled apart stay external (a scan never loads them).
// Env: PROFILE_N, PROFILE_RUNS, PROFILE_ARGS (default "-q NOSUCHNAME"). Needs root, unshare, cc.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { benchEnv, crowd, measure, median } from './lib.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const N = Number(process.env.PROFILE_N ?? 20000);
const RUNS = Number(process.env.PROFILE_RUNS ?? 5);
const ARGS = (process.env.PROFILE_ARGS ?? '-q NOSUCHNAME').split(' ');

if (process.argv[2] !== '--inner') {
  if (process.getuid() !== 0) {
    console.error('bench/profile: needs root (a private PID namespace)');
    process.exit(1);
  }
  const dir = mkdtempSync(`${tmpdir()}/kts-profile-`);
  try {
    execFileSync('cc', ['-O2', '-o', `${dir}/spawner`, here('./spawner.c')]);
    execFileSync('cc', ['-O2', '-o', `${dir}/measure`, here('./measure.c')]);
    await build({
      entryPoints: [here('../src/cli/main.ts')],
      outfile: `${dir}/killall.cjs`,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['koffi', './extras.js', './impl.js', './pick/cli.js'],
      minifyWhitespace: true,
      minifySyntax: true,
      define: { KILLALL_TS_VERSION: '"profile"', 'import.meta.url': 'undefined' },
      supported: { 'dynamic-import': false },
      logLevel: 'warning',
    });
    const args = ['--pid', '--fork', '--mount-proc', process.execPath, here('./profile.mjs'), '--inner', dir];
    process.exitCode = spawnSync('unshare', args, { stdio: 'inherit' }).status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit();
}

const dir = process.argv[3];
await crowd(`${dir}/spawner`, [String(N), 'hx7prof']);
const pids = readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n)).length;
const bundle = `${dir}/killall.cjs`;
const profDir = `${dir}/prof`;
for (let i = 0; i < RUNS + 1; i++) {
  // The first run only warms the dentry cache.
  const prof = i === 0 ? [] : ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=50'];
  spawnSync(process.execPath, [...prof, bundle, ...ARGS], { env: benchEnv(), stdio: 'ignore' });
}

// Self time per node, from the sample counts and the time deltas of a .cpuprofile.
const kindOf = (cf) => {
  const url = cf.url ?? '';
  if (cf.functionName.startsWith('(')) return cf.functionName; // (garbage collector), (program), (idle), (root)
  if (url === '') return 'native (fs bindings: the syscall and its C++ wrapper)';
  if (url.endsWith('killall.cjs')) return 'killall-ts bundle';
  if (url.startsWith('node:fs') || url.startsWith('node:internal/fs')) return "Node's fs layer (JS)";
  return 'other Node JS (start-up, modules)';
};
const byFn = new Map();
const byKind = new Map();
let total = 0;
for (const file of readdirSync(profDir)) {
  const p = JSON.parse(readFileSync(`${profDir}/${file}`, 'utf8'));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i + 1] ?? 0;
    const cf = nodes.get(id).callFrame;
    const fn = `${cf.functionName || '(anonymous)'} ${cf.url ? `${cf.url.split('/').pop()}:${cf.lineNumber + 1}` : ''}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    const k = kindOf(cf);
    byKind.set(k, (byKind.get(k) ?? 0) + us);
    total += us;
  });
}
const runs = readdirSync(profDir).length;
const timed = [];
for (let i = 0; i < RUNS; i++) timed.push(measure(`${dir}/measure`, process.execPath, [bundle, ...ARGS]));
const ms = (us) => (us / 1000 / runs).toFixed(1);
const perProc = (us) => (us / runs / pids).toFixed(2);
console.log(
  `profile of \`killall-ts ${ARGS.join(' ')}\` over ${pids} PIDs, ${runs} profiled runs (--cpu-prof-interval=50), Node ${process.version}`,
);
console.log(
  `unprofiled, median of ${RUNS}: wall ${median(timed.map((t) => t.ms)).toFixed(1)} ms, user ${median(timed.map((t) => t.userMs)).toFixed(1)} ms, system ${median(timed.map((t) => t.sysMs)).toFixed(1)} ms`,
);
console.log('\n| kind | ms per run | µs per process | share |');
console.log('|---|---:|---:|---:|');
for (const [k, us] of [...byKind].sort((a, b) => b[1] - a[1]))
  console.log(`| ${k} | ${ms(us)} | ${perProc(us)} | ${((us / total) * 100).toFixed(1)}% |`);
console.log('\n| function (self time) | ms per run | µs per process |');
console.log('|---|---:|---:|');
for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 20))
  console.log(`| ${k.replace(/\|/g, '\\|')} | ${ms(us)} | ${perProc(us)} |`);
process.exit(0);
