// Runs as PID 1 of a private PID namespace (see run.mjs, floorRows): fills it with N idle processes all named
// hx7floor, then times, alternating round by round, the C floor (floor.c) and psmisc killall, procps pkill and
// killall-ts, each once scanning without a match (NOSUCHNAME) and once sending signal 0 to every one of the N (a
// match per process), plus bare `node -e 0` (Node's fixed cost). Prints one JSON line: medians of wall, user and
// system time per case, and the number of PIDs in /proc.
// Arguments: N ROUNDS OURS SPAWNER MEASURE FLOOR.
import { readdirSync } from 'node:fs';
import { alternate, crowd, measure, median } from './lib.mjs';

const [N, ROUNDS, OURS, SPAWNER, MEASURE, FLOOR] = [
  Number(process.argv[2]),
  Number(process.argv[3]),
  ...process.argv.slice(4, 8),
];
const NAME = 'hx7floor';

const c = await crowd(SPAWNER, [String(N), NAME]);
const pids = readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n)).length;

const cases = {
  'scan floor': [FLOOR, ['scan']],
  'scan psmisc': ['/usr/bin/killall', ['-q', 'NOSUCHNAME']],
  'scan pkill': ['pkill', ['-x', 'NOSUCHNAME']],
  'scan killall-ts': [OURS, ['-q', 'NOSUCHNAME']],
  'match floor': [FLOOR, ['match', NAME, '0']],
  'match psmisc': ['/usr/bin/killall', ['-q', '-s', '0', NAME]],
  'match pkill': ['pkill', ['-0', '-x', NAME]],
  'match killall-ts': [OURS, ['-q', '-s', '0', NAME]],
  'node -e 0': [process.execPath, ['-e', '0']],
};
const samples = alternate(cases, ROUNDS, ([cmd, args]) => measure(MEASURE, cmd, args));
const summary = (runs) => ({
  ms: median(runs.map((r) => r.ms)),
  userMs: median(runs.map((r) => r.userMs)),
  sysMs: median(runs.map((r) => r.sysMs)),
});
const result = {
  n: N,
  pids,
  rounds: ROUNDS,
  cases: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)])),
};
c.child.kill('SIGTERM');
await c.done;
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
