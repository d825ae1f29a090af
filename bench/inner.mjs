// Runs as PID 1 of a private PID namespace (see run.mjs): fills it with N idle processes, then measures psmisc's
// killall, killall-ts and procps pkill in alternation so that machine drift touches all of them alike.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

const [N, ROUNDS, OURS, SPAWNER, MEASURE] = [
  Number(process.argv[2]),
  Number(process.argv[3]),
  process.argv[4],
  process.argv[5],
  process.argv[6],
];
const MATCH = Math.min(200, Math.floor(N / 5));
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;

const spawner = spawn(SPAWNER, [String(N - MATCH), 'hx7idle', String(MATCH), 'hx7match'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  spawner.stdout.on('data', (d) => d.toString().includes('ready') && resolve());
  spawner.on('exit', () => reject(new Error('spawner died')));
});
const pids = readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n)).length;

// One run, timed by the C helper: { ms, rssKiB }.
const measure = (cmd, args) => {
  const nice = process.env.BENCH_NICE;
  const opts = { env, encoding: 'latin1', stdio: ['ignore', 'pipe', 'inherit'] };
  const r = nice
    ? spawnSync('nice', ['-n', nice, MEASURE, cmd, ...args], opts)
    : spawnSync(MEASURE, [cmd, ...args], opts);
  const m = /elapsed_us=(\d+) maxrss_kib=(\d+) status=(\d+)/.exec(r.stdout);
  if (!m || (m[3] !== '0' && m[3] !== '1')) throw new Error(`${cmd} ${args.join(' ')}: ${r.stdout}`);
  return { ms: Number(m[1]) / 1000, rssKiB: Number(m[2]) };
};
const time = (cmd, args) => measure(cmd, args).ms;

const cases = {
  'scan psmisc': ['/usr/bin/killall', ['-q', 'NOSUCHNAME']],
  'scan killall-ts': [OURS, ['-q', 'NOSUCHNAME']],
  'scan pkill': ['pkill', ['-x', 'NOSUCHNAME']],
  'signal psmisc': ['/usr/bin/killall', ['-s', 'WINCH', 'hx7match']],
  'signal killall-ts': [OURS, ['-s', 'WINCH', 'hx7match']],
  'start node -e 0': [process.execPath, ['-e', '0']],
  'start killall-ts -l': [OURS, ['-l']],
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const [cmd, args] of Object.values(cases)) time(cmd, args); // warm the dentry cache and page cache
for (let r = 0; r < ROUNDS; r++) {
  const keys = Object.keys(cases);
  const order = keys.slice(r % keys.length).concat(keys.slice(0, r % keys.length));
  for (const k of order) samples[k].push(time(...cases[k]));
}
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const syscalls = (cmd, args) => {
  // Beside the helpers, in this run's private directory (run.mjs): another checkout's run cannot clobber it.
  const out = `${dirname(SPAWNER)}/strace.txt`;
  const r = spawnSync('strace', ['-f', '-c', '-o', out, cmd, ...args], { env, stdio: 'ignore' });
  if (r.error) return null;
  const total = readFileSync(out, 'latin1').trim().split('\n').pop().trim().split(/\s+/);
  return Number(total[total.length - 3] === 'total' ? total[total.length - 4] : total[3]);
};
const rss = (cmd, args) => measure(cmd, args).rssKiB;

const result = {
  n: N,
  pids,
  rounds: ROUNDS,
  medianMs: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])),
  syscalls: {
    psmisc: syscalls('/usr/bin/killall', ['-q', 'NOSUCHNAME']),
    'killall-ts': syscalls('sh', [OURS, '-q', 'NOSUCHNAME']),
  },
  maxRssKiB: {
    psmisc: rss('/usr/bin/killall', ['-q', 'NOSUCHNAME']),
    'killall-ts': rss(OURS, ['-q', 'NOSUCHNAME']),
  },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
