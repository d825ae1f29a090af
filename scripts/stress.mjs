#!/usr/bin/env node
/**
 * The test suite under CPU load (npm run test:stress): two busy loops compete for the CPUs while
 * scripts/run-tests.mjs runs, then the loops are ended, whatever happened.
 *   node scripts/stress.mjs [--runs N] [FILTER...]
 * --runs N runs the suite N times in a row (all of them, even after a failure) and prints one line per run;
 * FILTERs are passed on to run-tests.mjs. Exit status 0 only when every run passed.
 * The loops also end by themselves as soon as this process is gone (they watch their parent PID), so a SIGKILL
 * of this script cannot leave them spinning.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runTests = fileURLToPath(new URL('./run-tests.mjs', import.meta.url));
const BUSY =
  'const p = process.ppid; for (;;) { for (let i = 0; i < 5e6; i++); if (process.ppid !== p) process.exit(0); }';

const args = process.argv.slice(2);
let runs = 1;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else filters.push(args[i]);
}
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('stress: --runs needs a positive integer\n');
  process.exit(2);
}

const loops = [0, 1].map(() => spawn(process.execPath, ['-e', BUSY], { stdio: 'ignore' }));
let current;
function endLoops() {
  for (const l of loops) if (l.exitCode === null && l.signalCode === null) l.kill('SIGKILL');
}
process.on('exit', endLoops);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    current?.kill(sig);
    endLoops();
    process.exit(130);
  });
}

const results = [];
for (let n = 1; n <= runs; n++) {
  const started = Date.now();
  current = spawn(process.execPath, [runTests, ...filters], { stdio: 'inherit' });
  const code = await new Promise((resolve) => current.on('close', (c) => resolve(c ?? 1)));
  const line = `stress run ${n}/${runs}: ${code === 0 ? 'pass' : `FAIL (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s with 2 busy loops`;
  results.push(line);
  process.stderr.write(`${line}\n`);
}
endLoops();
process.stderr.write(`${results.join('\n')}\n`);
process.exit(results.every((l) => l.includes(': pass ')) ? 0 : 1);
