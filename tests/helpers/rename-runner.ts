/**
 * A crowd that renames itself on SIGTERM, run as PID 1 of a private PID namespace:
 *   unshare --pid --fork --mount-proc node rename-runner.js RENAMER KILLALL MODE N [NO_PIDFD]
 * starts N processes (tests/helpers/renamer.c) that ignore SIGTERM but rename themselves on it, then runs KILLALL:
 * - `kill-after`: `--kill-after 1s NAME`; reports its status and how many of the crowd are still alive after it
 *   returned (every one should have got SIGKILL, the ones waited on by PID and start time past the 256 kept pins
 *   too);
 * - `wait`: `-w NAME`; once every one has renamed itself, SIGKILLs all but the last N-256 by PID (the ones past the
 *   kept pins), gives killall 2 s to return (wrongly, if it took a rename for an exit), then SIGKILLs the rest;
 *   reports whether killall returned while any of the crowd was alive.
 * With NO_PIDFD, killall runs with KILLALL_TS_NO_PIDFD=1 (the kill(2) fallback). Prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { exitOrKill, until } from './poll.js';

const [renamer, killallBin, mode, count, noPidfd] = process.argv.slice(2) as [
  string,
  string,
  'kill-after' | 'wait',
  string,
  string | undefined,
];
const n = Number(count);
const tag = Math.random().toString(36).slice(2, 7);
const name = `hx7rn${tag}`;
const renamed = `hx7ed${tag}`;

/** Alive: its stat reads and it is not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat[stat.lastIndexOf(')') + 2];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

async function startCrowd(): Promise<number[]> {
  const crowd = spawn(renamer, [String(n), name, renamed], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  crowd.stdout.on('data', (d: Buffer) => {
    out += d.toString('latin1');
  });
  if (!(await until(() => out.includes('ready\n'), 60_000))) throw new Error('the crowd did not start');
  return out
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number)
    .sort((a, b) => a - b);
}

async function main(): Promise<Record<string, unknown>> {
  const pids = await startCrowd();
  const env = { ...process.env, ...(noPidfd ? { KILLALL_TS_NO_PIDFD: '1' } : {}) };
  const args = mode === 'kill-after' ? ['--kill-after', '1s', name] : ['-w', name];
  const k = spawn(killallBin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  k.stdout.on('data', (d: Buffer) => {
    output += d.toString('latin1');
  });
  k.stderr.on('data', (d: Buffer) => {
    output += d.toString('latin1');
  });
  let returned = false;
  const status = exitOrKill(k, 120_000).then((s) => {
    returned = true;
    return s;
  });
  if (mode === 'kill-after') {
    const rc = await status;
    return { rc, output, crowd: pids.length, alive: pids.filter(alive).length };
  }
  const renamedAll = await until(() => pids.every((p) => commOf(p) === renamed), 30_000);
  const late = pids.slice(Math.min(256, pids.length - 1));
  const early = pids.slice(0, pids.length - late.length);
  for (const p of early) process.kill(p, 'SIGKILL');
  await until(() => early.every((p) => !alive(p)), 30_000);
  // killall must not return now: the late ones still run, renamed.
  await until(() => returned, 2_000);
  const returnedEarly = returned;
  const lateAlive = late.filter(alive).length;
  for (const p of late) process.kill(p, 'SIGKILL');
  const rc = await status;
  return { rc, output, crowd: pids.length, renamedAll, late: late.length, lateAlive, returnedEarly };
}

main().then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n`);
    process.exit(0);
  },
);
