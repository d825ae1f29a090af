// Shared by the bench scripts that run as PID 1 of a private PID namespace (floor.mjs, pick.mjs): a crowd of idle
// processes, one timed run through measure.c, medians, and rounds that alternate the order of the cases.
import { spawn, spawnSync } from 'node:child_process';

/** The environment every measured command gets: no CA bundle for Node to load at start (40-70 ms here). */
export const benchEnv = () => {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
};

/** Starts spawner.c with its arguments; resolves once it says "ready". `done` resolves when it exits. */
export async function crowd(spawner, args) {
  const child = spawn(spawner, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise((resolve) => child.on('exit', resolve));
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => d.toString().includes('ready') && resolve());
    child.on('exit', () => reject(new Error('spawner died')));
  });
  return { child, done };
}

/**
 * One run timed by measure.c (fork, exec, wait): { ms, userMs, sysMs, rssKiB }. BENCH_NICE runs it at that nice
 * level. Throws unless the exit status is in okStatus.
 */
export function measure(measureBin, cmd, args, okStatus = [0, 1]) {
  const nice = process.env.BENCH_NICE;
  const opts = { env: benchEnv(), encoding: 'latin1', stdio: ['ignore', 'pipe', 'inherit'] };
  const r = nice
    ? spawnSync('nice', ['-n', nice, measureBin, cmd, ...args], opts)
    : spawnSync(measureBin, [cmd, ...args], opts);
  const m = /elapsed_us=(\d+) maxrss_kib=(\d+) status=(\d+) user_us=(\d+) sys_us=(\d+)/.exec(r.stdout);
  if (!m || !okStatus.includes(Number(m[3]))) throw new Error(`${cmd} ${args.join(' ')}: ${r.stdout}`);
  return {
    ms: Number(m[1]) / 1000,
    rssKiB: Number(m[2]),
    userMs: Number(m[4]) / 1000,
    sysMs: Number(m[5]) / 1000,
  };
}

export const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Runs every case once to warm the caches, then `rounds` rounds, each starting one case later than the one before
 * (so that machine drift touches all cases alike). `run(case)` returns one sample; the result maps each case name
 * to its samples.
 */
export function alternate(cases, rounds, run) {
  const keys = Object.keys(cases);
  const samples = Object.fromEntries(keys.map((k) => [k, []]));
  for (const k of keys) run(cases[k]);
  for (let r = 0; r < rounds; r++) {
    const order = keys.slice(r % keys.length).concat(keys.slice(0, r % keys.length));
    for (const k of order) samples[k].push(run(cases[k]));
  }
  return samples;
}
