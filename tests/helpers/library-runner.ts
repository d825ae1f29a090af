/**
 * The library against real processes, as PID 1 of a private PID namespace:
 *   unshare --pid --fork --mount-proc node library-runner.js VICTIM DIR
 * Prints JSON facts for tests/integration/library.test.ts to check.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { findProcesses, killall } from 'killall-ts';

const [victimBin, dir] = process.argv.slice(2) as [string, string];

async function ready(record: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(existsSync(record) && readFileSync(record, 'latin1').includes('ready'))) {
    if (Date.now() > deadline) throw new Error(`victim ${record} did not start`);
    await sleep(2);
  }
}

async function main() {
  symlinkSync(victimBin, `${dir}/hx7lib`);
  // A parent shell that is not PID 1, and under it a victim whose comm imitates stat fields.
  const sh = spawn('sh', ['-c', `"${dir}/hx7lib" "${dir}/rec" --comm 'hx7) S 1 (x' & wait`], {
    stdio: 'ignore',
  });
  await ready(`${dir}/rec`);
  const spoof = await findProcesses({ names: ['hx7) S 1 (x'] });
  const regex = await findProcesses({ names: ['^hx7'], regexp: true });
  const report = await killall({
    names: ['hx7) S 1 (x', 'hx7nothing'],
    signal: 'SIGUSR1',
    // Generous for load: the wait returns as soon as the victim is gone, and then its record is complete.
    wait: { timeoutMs: 30_000 },
  });
  const record = readFileSync(`${dir}/rec`, 'latin1')
    .split('\n')
    .filter((l) => l !== '' && l !== 'ready');
  process.stdout.write(
    `${JSON.stringify({
      shPid: sh.pid,
      spoof: spoof.map((p) => ({
        pid: p.pid,
        ppid: p.ppid,
        comm: p.comm,
        state: p.state,
        kernelThread: p.kernelThread,
      })),
      regexCount: regex.length,
      report: {
        signal: report.signal,
        ok: report.ok,
        found: report.names.map((n) => n.found),
        signalled: report.signalled.map((t) => t.pid),
        remaining: report.wait?.remaining.length,
      },
      record,
    })}\n`,
  );
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String(e instanceof Error ? e.stack : e) })}\n`);
  process.exit(0);
});
