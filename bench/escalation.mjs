// npm run build && node bench/escalation.mjs: how late --kill-after's SIGKILL and --timeout's return come, in a
// private PID namespace. A victim records the monotonic ms at which it handled SIGTERM and ignores it; its parent
// (this script, PID 1) notes when it died (SIGKILL) or when killall-ts exited. Lateness = that moment - SIGTERM
// handled - DURATION, an upper bound on killall-ts's own lateness (it includes signal delivery and wake-ups).
// BENCH_ROUNDS=15.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const mono = () => Number(process.hrtime.bigint() / 1_000_000n);

if (process.argv[2] === 'inner') {
  const [, , , rounds, ours, victim] = process.argv;
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const dir = `${tmpdir()}/kts-esc-${process.pid}`;
  mkdirSync(`${dir}`, { recursive: true });
  const exe = `${dir}/hx7esc`;
  execFileSync('cp', [victim, exe]);
  const termAt = (rec) => {
    const l = readFileSync(rec, 'latin1')
      .split('\n')
      .find((x) => x.split(' ')[2] === '15');
    return l ? Number(l.split(' ')[3]) : undefined;
  };
  const one = async (args, duration, waitFor) => {
    const rec = `${dir}/rec-${Math.random()}`;
    const v = spawn(exe, [rec, '--stay'], { stdio: 'ignore' });
    while (!readFileSync(rec, { flag: 'a+' }).toString().includes('ready'))
      await new Promise((r) => setTimeout(r, 5));
    const dead = new Promise((r) => v.on('exit', () => r(mono())));
    const k = spawn(ours, [...args, 'hx7esc'], { env, stdio: 'ignore' });
    const ended = await new Promise((r) => k.on('exit', () => r(mono())));
    if (waitFor !== 'kill') v.kill('SIGKILL');
    const died = await dead;
    const t = termAt(rec);
    return (waitFor === 'kill' ? died : ended) - t - duration;
  };
  const out = { killAfter: [], timeout: [] };
  for (let i = 0; i < Number(rounds); i++) {
    out.killAfter.push(await one(['--kill-after', '500ms'], 500, 'kill'));
    out.timeout.push(await one(['-w', '--timeout', '500ms'], 500, 'exit'));
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
// A directory of our own: another checkout's bench run must not replace our helpers mid-run.
const bin = mkdtempSync(`${tmpdir()}/kts-bench-`);
process.on('exit', () => rmSync(bin, { recursive: true, force: true }));
execFileSync('cc', ['-O2', '-o', `${bin}/ext-victim`, here('../tests/helpers/ext-victim.c')]);
const r = spawnSync(
  'unshare',
  [
    '--pid',
    '--fork',
    '--mount-proc',
    process.execPath,
    here('./escalation.mjs'),
    'inner',
    String(rounds),
    here('../bin/killall'),
    `${bin}/ext-victim`,
  ],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
const res = JSON.parse(r.stdout.trim().split('\n').pop());
const stats = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return `median ${s[Math.floor(s.length / 2)]} ms, max ${s.at(-1)} ms, min ${s[0]} ms`;
};
console.log(
  `escalation benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}, ${rounds} rounds`,
);
console.log(`--kill-after 500ms: SIGKILL after SIGTERM was handled, beyond 500 ms: ${stats(res.killAfter)}`);
console.log(`-w --timeout 500ms: exit after SIGTERM was handled, beyond 500 ms: ${stats(res.timeout)}`);
