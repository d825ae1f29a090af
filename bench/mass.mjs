// Runs as PID 1 of a private PID namespace (see run.mjs): mass signalling, psmisc killall against killall-ts,
// alternating round by round. Per size N, a crowd of N processes all named hx7mass:
// - `-s 0 hx7mass` (nobody dies) and `-q NOSUCHNAME` (the same crowd scanned, nothing matches), on one standing crowd:
//   their difference divided by N is the marginal cost of a match;
// - `hx7mass` (SIGTERM) on a fresh crowd per run, timed until killall returns;
// - with WAIT_N: `-w hx7mass` on a fresh crowd of WAIT_N, timed until killall returns (after the last one is gone).
// Wall time, and user and system CPU of the killall process, per run; medians.
// BENCH_MASS_VARIANTS='LABEL=BIN[ VAR=VALUE...];...' adds other builds (or the same one with other environment
// variables) to the SIGTERM rounds, in the same rotation: `term LABEL` in the output.
import { spawn, spawnSync } from 'node:child_process';

const [SIZES, ROUNDS, OURS, SPAWNER, MEASURE, WAIT_N] = [
  process.argv[2].split(',').map(Number),
  Number(process.argv[3]),
  process.argv[4],
  process.argv[5],
  process.argv[6],
  Number(process.argv[7] ?? 0),
];
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const TOOLS = { psmisc: '/usr/bin/killall', 'killall-ts': OURS };
// The variants: label -> [bin, extra environment].
const VARIANTS = Object.fromEntries(
  (process.env.BENCH_MASS_VARIANTS ?? '')
    .split(';')
    .filter(Boolean)
    .map((v) => {
      const [label, rest] = [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)];
      const [bin, ...vars] = rest.trim().split(/\s+/);
      return [
        label,
        [bin, Object.fromEntries(vars.map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]))],
      ];
    }),
);

// A crowd of n hx7mass processes; resolves once every one has its name. `done` resolves when all are gone.
async function crowd(n, exitWhenGone) {
  const child = spawn(SPAWNER, [...(exitWhenGone ? ['-x'] : []), String(n), 'hx7mass'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const done = new Promise((resolve) => child.on('exit', resolve));
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => d.toString().includes('ready') && resolve());
    child.on('exit', () => reject(new Error('spawner died')));
  });
  return { child, done };
}

function measure(cmd, args, okStatus = [0], extraEnv = {}) {
  const nice = process.env.BENCH_NICE;
  const runEnv = { ...env, ...extraEnv };
  const r = nice
    ? spawnSync('nice', ['-n', nice, MEASURE, cmd, ...args], {
        env: runEnv,
        encoding: 'latin1',
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    : spawnSync(MEASURE, [cmd, ...args], {
        env: runEnv,
        encoding: 'latin1',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
  const m = /elapsed_us=(\d+) maxrss_kib=(\d+) status=(\d+) user_us=(\d+) sys_us=(\d+)/.exec(r.stdout);
  if (!m || !okStatus.includes(Number(m[3]))) throw new Error(`${cmd} ${args.join(' ')}: ${r.stdout}`);
  return { ms: Number(m[1]) / 1000, userMs: Number(m[4]) / 1000, sysMs: Number(m[5]) / 1000 };
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const summary = (runs) => ({
  ms: median(runs.map((r) => r.ms)),
  userMs: median(runs.map((r) => r.userMs)),
  sysMs: median(runs.map((r) => r.sysMs)),
  cpuMs: median(runs.map((r) => r.userMs + r.sysMs)),
  runs: runs.length,
});
async function withTimeout(p, ms, what) {
  let timer;
  try {
    return await Promise.race([
      p,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not all gone after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const out = { sizes: {}, wait: null };
for (const n of SIZES.filter((x) => x > 0)) {
  const res = {};
  // Standing crowd: signal 0 and the no-match scan, alternating.
  const standing = await crowd(n, false);
  const steady = {};
  for (const [tool, bin] of Object.entries(TOOLS)) {
    steady[`sig0 ${tool}`] = [bin, ['-q', '-s', '0', 'hx7mass'], [0]];
    steady[`scan ${tool}`] = [bin, ['-q', 'NOSUCHNAME'], [1]];
  }
  const samples = Object.fromEntries(Object.keys(steady).map((k) => [k, []]));
  for (const [cmd, args, ok] of Object.values(steady)) measure(cmd, args, ok);
  for (let r = 0; r < ROUNDS; r++) {
    const keys = Object.keys(steady);
    const order = keys.slice(r % keys.length).concat(keys.slice(0, r % keys.length));
    for (const k of order) samples[k].push(measure(...steady[k]));
  }
  standing.child.kill('SIGTERM');
  await withTimeout(standing.done, 60000, 'standing crowd');
  for (const [k, v] of Object.entries(samples)) res[k] = summary(v);
  // SIGTERM, a fresh crowd per run; the variants in the same rotation.
  const runners = { ...Object.fromEntries(Object.entries(TOOLS).map(([t, b]) => [t, [b, {}]])), ...VARIANTS };
  const term = Object.fromEntries(Object.keys(runners).map((t) => [t, []]));
  const names = Object.keys(runners);
  for (let r = 0; r < ROUNDS; r++) {
    const order =
      names.length === 2
        ? r % 2
          ? [...names].reverse()
          : names
        : names.slice(r % names.length).concat(names.slice(0, r % names.length));
    for (const tool of order) {
      const c = await crowd(n, true);
      term[tool].push(measure(runners[tool][0], ['-q', 'hx7mass'], [0], runners[tool][1]));
      await withTimeout(c.done, 60000, `SIGTERM ${tool} ${n}`);
    }
  }
  for (const [tool, v] of Object.entries(term)) res[`term ${tool}`] = summary(v);
  out.sizes[n] = res;
}
if (WAIT_N > 0) {
  const wait = { psmisc: [], 'killall-ts': [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const tool of r % 2 ? ['killall-ts', 'psmisc'] : ['psmisc', 'killall-ts']) {
      const c = await crowd(WAIT_N, true);
      wait[tool].push(measure(TOOLS[tool], ['-q', '-w', 'hx7mass']));
      await withTimeout(c.done, 60000, `-w ${tool}`);
    }
  }
  out.wait = { n: WAIT_N, ...Object.fromEntries(Object.entries(wait).map(([t, v]) => [t, summary(v)])) };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
