/**
 * signalTree against real trees with the races forced, as PID 1 of a private PID namespace (we own ns_last_pid):
 *   unshare --pid --fork --mount-proc node tree-runner.js EXT_VICTIM DIR CASE MAX_PASSES
 * The tree: a supervisor (ext-victim --respawn --stay) with two children that stay too. CASE:
 * - `rewalk`: right after the walk's first /proc listing, one child is killed and the supervisor forks a
 *   replacement: a child born during the walk;
 * - `newcomer`: right before the first signal, one child is killed and replaced: a child born after the walk, while
 *   the tree is being signalled;
 * - `reuse`: right before the pin of the first child, that child is killed and reaped, and a newcomer with the same
 *   name is started on its PID (ns_last_pid): a PID reused between the walk and the signal.
 * Prints JSON: the signals each process recorded (after a sentinel), and the report's failures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { realSystem, type System } from '../../src/system.js';
import { signalTree } from '../../src/tree-signal.js';
import { until } from './poll.js';

const [victim, dir, mode, passes] = process.argv.slice(2) as [string, string, string, string];
const SENTINEL = 64;
const started: ChildProcess[] = [];

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Polls `test` synchronously (the hooks run inside synchronous System calls) for up to 30 s. */
function untilSync(test: () => boolean, what: string): void {
  const end = Date.now() + 30_000;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    sleepSync(2);
  }
}

type Line = { pid: number; ppid: number; event: string };
const lines = (record: string): Line[] =>
  (existsSync(record) ? readFileSync(record, 'latin1') : '')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [pid, ppid, event] = l.split(' ');
      return { pid: Number(pid), ppid: Number(ppid), event: event! };
    });

const alive = (pid: number): boolean => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^[ZX]$/.test(s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
};

/** The live children of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => {
      try {
        const s = readFileSync(`/proc/${p}/stat`, 'latin1');
        return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === pid && alive(p);
      } catch {
        return false;
      }
    });
}

/** Starts ext-victim as NAME recording into REC; synchronous once spawned (it may run inside a hook). */
function startVictim(name: string, rec: string, args: string[], size: number): ChildProcess {
  const exe = `${dir}/${name}`;
  if (!existsSync(exe)) symlinkSync(victim, exe);
  const cp = spawn(exe, [`${dir}/${rec}`, ...args], { stdio: 'ignore' });
  started.push(cp);
  untilSync(() => lines(`${dir}/${rec}`).filter((l) => l.event === 'ready').length >= size, `${rec} ready`);
  return cp;
}

/** Kills a child of the supervisor and waits for its replacement; returns the replacement's PID. */
function replace(sup: number, kid: number, kids: readonly number[]): number {
  process.kill(kid, 'SIGKILL');
  const ready = (p: number) => lines(`${dir}/tree`).some((l) => l.pid === p && l.event === 'ready');
  untilSync(() => !alive(kid) && childrenOf(sup).filter(ready).length === 2, 'replacement');
  return childrenOf(sup).find((p) => !kids.includes(p) && ready(p))!;
}

async function main(): Promise<void> {
  // A supervisor for the births; without --respawn for the reuse (the newcomer must be the only one born).
  const respawn = mode === 'reuse' ? [] : ['--respawn'];
  const sup = startVictim('hx9sup', 'tree', [...respawn, '--stay', '--children', '2', 'hx9kid'], 3).pid!;
  const kids = childrenOf(sup).sort((a, b) => a - b);
  const [first, second] = kids as [number, number];
  const facts: Record<string, unknown> = { sup, kids };
  let fired = false;
  const fire = (): boolean => {
    if (fired) return false;
    fired = true;
    return true;
  };
  const sys: System = {
    ...realSystem,
    readdir: (path) => {
      const out = realSystem.readdir(path);
      if (mode === 'rewalk' && path === '/proc' && fire()) facts.born = replace(sup, second, kids);
      return out;
    },
    pidfdSendSignal: (fd, sig) => {
      if (mode === 'newcomer' && fire()) facts.born = replace(sup, second, kids);
      return realSystem.pidfdSendSignal(fd, sig);
    },
    open: (path, directory) => {
      if (mode === 'reuse' && directory && String(path) === `/proc/${first}` && fire()) {
        // The supervisor reaps it; the newcomer, the runner's child and no member of the tree, takes its PID.
        process.kill(first, 'SIGKILL');
        untilSync(() => !existsSync(`/proc/${first}`), 'first child reaped');
        writeFileSync('/proc/sys/kernel/ns_last_pid', String(first - 1));
        facts.newcomer = startVictim('hx9kid', 'newcomer', ['--stay'], 1).pid;
      }
      return realSystem.open(path, directory);
    },
  };
  const report = await signalTree([sup], { system: sys, maxPasses: Number(passes) });
  facts.failed = report.failed.map((f) => [f.target.pid, f.code]);
  // Sentinel: every process still there records it after anything sent before it.
  const records = ['tree', 'newcomer'].map((r) => `${dir}/${r}`);
  const pids = new Set(records.flatMap((r) => lines(r).map((l) => l.pid)));
  for (const pid of pids) if (alive(pid)) process.kill(pid, SENTINEL);
  const recorded = (pid: number) =>
    records.some((r) => lines(r).some((l) => l.pid === pid && l.event === '64'));
  const settled = await until(() => [...pids].every((p) => !alive(p) || recorded(p)), 30_000);
  if (!settled) throw new Error('a process neither recorded the sentinel nor ended');
  const signals: Record<number, string[]> = {};
  for (const pid of pids)
    signals[pid] = records.flatMap((r) =>
      lines(r)
        .filter((l) => l.pid === pid && l.event !== 'ready' && l.event !== '64')
        .map((l) => l.event),
    );
  for (const cp of started) cp.kill('SIGKILL');
  process.stdout.write(`${JSON.stringify({ ...facts, signals })}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String(e instanceof Error ? e.stack : e) })}\n`);
  process.exit(0);
});
