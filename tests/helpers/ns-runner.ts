/**
 * Runs one killall scenario inside a private PID namespace, where it is PID 1:
 *   unshare --pid --fork --mount-proc node ns-runner.js '<json>'
 * It starts the victims in order (so PIDs are the same run after run), runs the killall command, then waits for each
 * victim's fate and prints a JSON result. Every victim is SIGKILLed before it exits; the namespace ends with it.
 *
 * Fates are outcomes, never samples. When killall has returned, every signal it sent is already queued. A C victim
 * (victim.c) handles its signals one at a time, lowest number first, and exits after the first one its policy
 * ends on; the runner then sends it the sentinel (64, the highest) and waits, with a generous deadline, until it
 * has exited (its exit status is the fate), recorded the sentinel (it handled everything killall sent and lives:
 * "alive"), or stopped ("stopped": a stopped process handles nothing until SIGCONT). A script victim (sh blocked
 * on a FIFO read) is released by a line written to the FIFO: a signal that is pending when the read returns is
 * handled first, so it exits by that signal, or with status 0 when it was alive ("alive").
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { exitOrKill, until } from './poll.js';
import type { RunResult, Scenario, VictimResult, VictimSpec } from './scenario.js';

const SENTINEL = 64;
/** How long a victim may take to start, or to meet its fate after killall returned (a generous bound for load). */
const OUTCOME_MS = 30_000;

interface Victim {
  readonly label: string;
  readonly spec: VictimSpec;
  readonly cp: ChildProcess;
  /** The victim process itself (for a nested victim, unshare's child). */
  pid: number;
  /** Its --fork child. */
  forkChild?: number;
  /** Whether it is a --churn parent. */
  readonly churn: boolean;
  /** Date.now() just before it was spawned. */
  readonly spawnedAt: number;
  exit?: { code: number | null; signal: string | null };
}

function readRecord(path: string): string[] {
  try {
    return readFileSync(path, 'latin1')
      .split('\n')
      .filter((l) => l !== '');
  } catch {
    return [];
  }
}

function state(pid: number): string | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const sc = JSON.parse(process.argv[2]!) as Scenario & {
    victimBinary: string;
    killall: string[];
    dir: string;
  };
  const dir = sc.dir;
  mkdirSync(`${dir}/bin`, { recursive: true });
  mkdirSync(`${dir}/rec`, { recursive: true });
  chmodSync(`${dir}/rec`, 0o777);
  if (sc.procOptions) execFileSync('mount', ['-o', `remount,${sc.procOptions}`, '/proc']);
  const procs: Victim[] = [];
  async function startVictim(v: VictimSpec, forcePid?: number): Promise<void> {
    const exe = `${dir}/bin/${v.exe}`;
    const record = `${dir}/rec/${v.label}`;
    if (!existsSync(exe)) {
      if (v.script) {
        writeFileSync(exe, `#!/bin/sh\nexec 3<>"${dir}/rec/${v.label}.fifo"\nread x <&3\n`);
        chmodSync(exe, 0o755);
      } else if (v.copy) copyFileSync(sc.victimBinary, exe);
      else symlinkSync(sc.victimBinary, exe);
    }
    if (v.script) spawnFifo(`${dir}/rec/${v.label}.fifo`);
    const pad = (v.padArgsKiB ?? []).map((k, i) => String.fromCharCode(97 + (i % 26)).repeat(k * 1024));
    const args = v.script ? [] : [record, ...(v.args ?? []), ...pad];
    if (forcePid !== undefined) writeFileSync('/proc/sys/kernel/ns_last_pid', String(forcePid - 1));
    const spawnedAt = Date.now();
    const cp = spawn(
      v.nested ? 'unshare' : exe,
      v.nested ? ['--pid', '--fork', '--kill-child', exe, ...args] : args,
      {
        argv0: v.nested ? 'unshare' : (v.argv0 ?? exe),
        stdio: 'ignore',
        detached: v.detached === true,
        ...(v.nobody ? { uid: 65534, gid: 65534 } : {}),
      },
    );
    if (cp.pid === undefined) throw new Error(`victim ${v.label} could not be spawned`);
    const entry: Victim = {
      label: v.label,
      spec: v,
      cp,
      pid: cp.pid,
      churn: v.args?.includes('--churn') === true,
      spawnedAt,
    };
    cp.on('exit', (code, signal) => {
      entry.exit = { code, signal };
    });
    procs.push(entry);
    const ready = v.script
      ? () => existsSync(`/proc/${cp.pid}/fd/3`)
      : () =>
          readRecord(record).includes('ready') &&
          (!v.args?.includes('--fork') || readRecord(`${record}.child`).includes('ready'));
    if (!(await until(ready, OUTCOME_MS))) throw new Error(`victim ${v.label} did not start`);
    if (v.nested) entry.pid = childrenOf(cp.pid)[0]!;
    if (v.args?.includes('--fork')) entry.forkChild = childrenOf(entry.pid).find((k) => state(k) !== 'Z');
    if (v.args?.includes('--zombie') && !(await until(() => zombieOf(entry.pid), OUTCOME_MS)))
      throw new Error(`victim ${v.label} has no zombie child`);
    if (v.delayAfterMs) await sleep(v.delayAfterMs);
  }
  for (const v of sc.victims) await startVictim(v);
  if (sc.unmountProc || sc.foreignProc === 'host') execFileSync('umount', ['-l', '/proc']);
  // After the lazy unmount the host's /proc shows through; an empty tmpfs over it is a /proc with nothing in it.
  if (sc.unmountProc) execFileSync('mount', ['-t', 'tmpfs', 'none', '/proc']);
  if (sc.foreignProc === 'nested') await bindForeignProc(dir);
  const started = Date.now();
  const pidOf = (label: string): number => procs.find((p) => p.label === label)!.pid;
  const expand = (a: string): string =>
    a.replaceAll('{dir}', dir).replace(/\{pid:([^}]+)\}/g, (_, l: string) => String(pidOf(l)));
  const kill = spawn(sc.killall[0]!, [...sc.killall.slice(1), ...sc.args.map(expand)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...(sc.env ?? {}) },
    cwd: sc.cwd === 'bin' ? `${dir}/bin` : dir,
    ...(sc.asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  kill.stdout.on('data', (d: Buffer) => out.push(d));
  kill.stderr.on('data', (d: Buffer) => err.push(d));
  kill.stdin.on('error', () => {});
  if (sc.whilePrompted) {
    const wp = sc.whilePrompted;
    let acted = false;
    kill.stdout.on('data', () => {
      if (acted || !Buffer.concat(out).toString('latin1').includes('? (y/N) ')) return;
      acted = true;
      void (async () => {
        const target = procs.find((p) => p.label === wp.kill)!;
        const pid = target.pid;
        const gone = new Promise((r) => target.cp.once('exit', r));
        target.cp.kill('SIGKILL');
        await gone;
        if (wp.reuse) await startVictim(wp.reuse, pid);
        kill.stdin.end(wp.answer);
      })();
    });
  } else if (sc.stdin === null) kill.stdin.end();
  else if (sc.stdin !== undefined) kill.stdin.end(sc.stdin);
  const timeout = sc.timeoutMs ?? 15000;
  const rc = await exitOrKill(kill, timeout);
  const ended = Date.now();
  const elapsedMs = ended - started;
  // Every signal killall sent is pending or handled by now (kill(2) and pidfd_send_signal queue it before they
  // return). Each victim's fate is then waited for, never sampled.
  if (sc.unmountProc || sc.foreignProc) execFileSync('mount', ['-t', 'proc', 'proc', '/proc']);
  const deadline = Date.now() + OUTCOME_MS;
  const victims: Record<string, VictimResult> = {};
  const fates = new Map<string, string>();
  for (const p of procs) fates.set(p.label, await fate(p, dir, deadline));
  for (const p of procs)
    if (p.forkChild !== undefined) await childFate(p.forkChild, `${dir}/rec/${p.label}.child`, deadline);
  for (const p of procs) if (p.churn) await endChurn(p, deadline);
  for (const p of procs) {
    const record = `${dir}/rec/${p.label}`;
    const spec = p.spec;
    // A parent with children also gets SIGCHLD when they die, in an order that scheduling decides.
    const dropChld = spec.args?.some((a) => a === '--fork' || a === '--zombie') === true;
    const sigs = (r: string, drop: boolean) =>
      readRecord(r)
        .filter((l) => l !== 'ready' && l !== String(SENTINEL) && !(drop && l === '17'))
        .map(Number);
    victims[p.label] = { signals: spec.script ? [] : sigs(record, dropChld), exit: fates.get(p.label)! };
    for (const suffix of ['.child', '.churn'])
      if (existsSync(`${record}${suffix}`))
        victims[`${p.label}${suffix}`] = { signals: sigs(`${record}${suffix}`, false) };
  }
  const result: RunResult = {
    rc,
    stdout: Buffer.concat(out).toString('latin1'),
    stderr: Buffer.concat(err).toString('latin1'),
    victims,
    elapsedMs,
    pids: Object.fromEntries(procs.map((p) => [p.label, p.pid])),
    ageBoundMs: Object.fromEntries(procs.map((p) => [p.label, ended - p.spawnedAt])),
  };
  for (const p of procs) {
    for (const pid of [p.cp.pid!, p.pid, p.forkChild])
      if (pid !== undefined && pid > 1)
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

// Mounts the procfs of a nested PID namespace and binds it over /proc: every PID in it is someone else.
async function bindForeignProc(dir: string): Promise<void> {
  const mnt = `${dir}/foreign-proc`;
  mkdirSync(mnt);
  const holder = spawn(
    'unshare',
    ['--pid', '--fork', 'sh', '-c', `mount -t proc proc ${mnt} && exec sleep 1000`],
    {
      stdio: 'ignore',
    },
  );
  holder.unref();
  if (!(await until(() => existsSync(`${mnt}/1/stat`), 5000))) throw new Error('no foreign procfs');
  execFileSync('mount', ['--bind', mnt, '/proc']);
}

function childrenOf(parent: number): number[] {
  return readFileSync(`/proc/${parent}/task/${parent}/children`, 'latin1')
    .trim()
    .split(' ')
    .filter((k) => k !== '')
    .map(Number);
}

const exitText = (e: { code: number | null; signal: string | null }): string => e.signal ?? `code ${e.code}`;

/** Waits for what became of a victim (see the file comment): its exit, "alive", "stopped" or "undecided". */
async function fate(p: Victim, dir: string, deadline: number): Promise<string> {
  if (p.spec.script) {
    // A writer can open the FIFO only while the script (its only reader) lives; a line lets `read` return.
    try {
      const fd = openSync(`${dir}/rec/${p.label}.fifo`, constants.O_WRONLY | constants.O_NONBLOCK);
      try {
        writeSync(fd, 'x\n');
      } finally {
        closeSync(fd);
      }
    } catch {}
    await until(() => p.exit !== undefined || state(p.pid) === 'T', deadline - Date.now());
    if (p.exit) return p.exit.code === 0 && p.exit.signal === null ? 'alive' : exitText(p.exit);
    return state(p.pid) === 'T' ? 'stopped' : 'undecided';
  }
  if (p.exit === undefined)
    try {
      process.kill(p.pid, SENTINEL);
    } catch {}
  const record = `${dir}/rec/${p.label}`;
  await until(
    () => p.exit !== undefined || readRecord(record).includes(String(SENTINEL)) || state(p.pid) === 'T',
    deadline - Date.now(),
  );
  if (p.exit) return exitText(p.exit);
  if (readRecord(record).includes(String(SENTINEL))) return 'alive';
  return state(p.pid) === 'T' ? 'stopped' : 'undecided';
}

/** Waits until a --fork child has handled every signal sent to it: it recorded the sentinel, died or stopped. */
async function childFate(pid: number, record: string, deadline: number): Promise<void> {
  const dead = () => {
    const st = state(pid);
    return st === undefined || st === 'Z' || st === 'X';
  };
  if (!dead())
    try {
      process.kill(pid, SENTINEL);
    } catch {}
  await until(
    () => dead() || readRecord(record).includes(String(SENTINEL)) || state(pid) === 'T',
    deadline - Date.now(),
  );
}

/** Ends a --churn parent (it reaps its children before it exits), so that their record is complete. */
async function endChurn(p: Victim, deadline: number): Promise<void> {
  if (p.exit === undefined)
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {}
  await until(() => p.exit !== undefined, deadline - Date.now());
}

function zombieOf(parent: number): boolean {
  try {
    const kids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'latin1').trim().split(' ');
    return kids.some((k) => k !== '' && state(Number(k)) === 'Z');
  } catch {
    return false;
  }
}

// A FIFO for a script victim to block on without any child process.
function spawnFifo(path: string): void {
  if (!existsSync(path)) execFileSync('mkfifo', [path]);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String(e instanceof Error ? e.stack : e) })}\n`);
  process.exit(0);
});
