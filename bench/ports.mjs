// npm run build && node bench/ports.mjs: port NAMEs against psmisc fuser, lsof and ss. In a private PID and network
// namespace filled with N idle processes and one TCP listener, medians of alternating runs of
//   fuser -n tcp PORT | lsof -t -i tcp:PORT | ss -ltnp | killall-ts -s 0 :PORT/tcp | killall-ts --dry-run :PORT/tcp
// BENCH_PORT_SIZES=5000 BENCH_ROUNDS=11. Needs root, unshare, cc, psmisc (fuser), lsof, iproute2 (ss).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const PORT = 4321;

if (process.argv[2] === 'inner') {
  const [, , , n, rounds, ours, spawner, measure, listener] = process.argv;
  const N = Number(n);
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const sp = spawn(spawner, [String(N - 1), 'hx7idle'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    sp.stdout.on('data', (d) => d.toString().includes('ready') && resolve());
    sp.on('exit', () => reject(new Error('spawner died')));
  });
  // In the private helper directory (PID 1 of a namespace: a PID in the name would always be 1).
  const rec = `${dirname(spawner)}/ports-listener.rec`;
  const ls = spawn(listener, [rec, '--listen', 'tcp', String(PORT)], { stdio: 'ignore' });
  for (let i = 0; i < 500 && !readFileSync(rec, { flag: 'a+' }).toString().includes('ready'); i++)
    await new Promise((r) => setTimeout(r, 10));
  const pids = readdirSync('/proc').filter((x) => /^[0-9]+$/.test(x)).length;
  const time = (cmd, args) => {
    const r = spawnSync(measure, [cmd, ...args], {
      env,
      encoding: 'latin1',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const m = /elapsed_us=(\d+) maxrss_kib=(\d+) status=(\d+)/.exec(r.stdout);
    if (m?.[3] !== '0') throw new Error(`${cmd} ${args.join(' ')}: ${r.stdout}`);
    return Number(m[1]) / 1000;
  };
  // Same answer from each tool, checked once.
  const ourLine = spawnSync(ours, ['-v', '-s', '0', `:${PORT}/tcp`], { env, encoding: 'latin1' }).stderr;
  if (!ourLine.includes(`(${ls.pid}) with signal 0`))
    throw new Error(`killall-ts missed the listener: ${ourLine}`);
  const fuserOut = spawnSync('fuser', ['-n', 'tcp', String(PORT)], { encoding: 'latin1' }).stdout;
  if (!fuserOut.includes(String(ls.pid))) throw new Error(`fuser missed the listener: ${fuserOut}`);
  const cases = {
    'fuser -n tcp': ['fuser', ['-n', 'tcp', String(PORT)]],
    'lsof -t -i tcp:': ['lsof', ['-t', '-i', `tcp:${PORT}`]],
    'ss -ltnp': ['ss', ['-ltnp']],
    'killall-ts -s 0 :PORT/tcp': [ours, ['-s', '0', `:${PORT}/tcp`]],
    'killall-ts --dry-run :PORT/tcp': [ours, ['--dry-run', `:${PORT}/tcp`]],
  };
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const [cmd, args] of Object.values(cases)) time(cmd, args);
  const keys = Object.keys(cases);
  for (let r = 0; r < Number(rounds); r++) {
    const order = keys.slice(r % keys.length).concat(keys.slice(0, r % keys.length));
    for (const k of order) samples[k].push(time(...cases[k]));
  }
  const median = (a) => {
    const s = [...a].sort((x, y) => x - y);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  process.stdout.write(
    `${JSON.stringify({ pids, medianMs: Object.fromEntries(keys.map((k) => [k, median(samples[k])])) })}\n`,
  );
  process.exit(0);
}

const sizes = (process.env.BENCH_PORT_SIZES ?? '5000').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
// A directory of our own: another checkout's bench run must not replace our helpers mid-run.
const bin = mkdtempSync(`${tmpdir()}/kts-bench-`);
process.on('exit', () => rmSync(bin, { recursive: true, force: true }));
execFileSync('cc', ['-O2', '-o', `${bin}/spawner`, here('./spawner.c')]);
execFileSync('cc', ['-O2', '-o', `${bin}/measure`, here('./measure.c')]);
execFileSync('cc', ['-O2', '-o', `${bin}/ext-victim`, here('../tests/helpers/ext-victim.c')]);
const results = [];
for (const n of sizes) {
  const r = spawnSync(
    'unshare',
    [
      '--pid',
      '--fork',
      '--mount-proc',
      '--net',
      process.execPath,
      here('./ports.mjs'),
      'inner',
      String(n),
      String(rounds),
      here('../bin/killall'),
      `${bin}/spawner`,
      `${bin}/measure`,
      `${bin}/ext-victim`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  results.push(JSON.parse(r.stdout.trim().split('\n').pop()));
}
console.log(
  `port NAME benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}, ${rounds} alternating rounds, medians in ms`,
);
const keys = Object.keys(results[0].medianMs);
console.log(`| processes | ${keys.join(' | ')} | killall-ts -s 0 / fuser |`);
console.log(`|---:|${keys.map(() => '---:').join('|')}|---:|`);
for (const r of results) {
  const m = r.medianMs;
  console.log(
    `| ${r.pids} | ${keys.map((k) => m[k].toFixed(1)).join(' | ')} | ${(m['killall-ts -s 0 :PORT/tcp'] / m['fuser -n tcp']).toFixed(2)} |`,
  );
}
mkdirSync(here('./results'), { recursive: true });
writeFileSync(here('./results/ports-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
