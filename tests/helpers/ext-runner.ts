/**
 * Runs one extension scenario inside a private PID namespace, where it is PID 1:
 *   unshare --pid --fork --mount-proc node ext-runner.js '<json>'
 * It starts ext-victim trees, runs a command (killall-ts, or a Node script using the library), optionally starts
 * a same-name latecomer once the first victim recorded a given signal (after the scan), then asks every surviving
 * process for the sentinel signal so that everything sent before it is recorded, and prints a JSON result: for
 * every process of every tree its comm, parent, signals (with the CLOCK_MONOTONIC ms each was handled) and fate.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { exitOrKill, until } from './poll.js';

const SENTINEL = 64;
/** How long the processes get to record the sentinel, and a victim to record the `later` trigger: generous. */
const SETTLE_MS = 30_000;

/** One ext-victim tree. */
export interface ExtVictim {
  readonly label: string;
  /** The file name it runs as (its comm). */
  readonly exe: string;
  /** ext-victim options (see ext-victim.c). */
  readonly args?: readonly string[];
  /** How many processes the tree has when it is ready (default 1). */
  readonly size?: number;
}

export interface ExtScenario {
  readonly victims: readonly ExtVictim[];
  /**
   * The command; `{pid:LABEL}` is replaced by that victim's PID, `{dir}` by the scenario folder, `{victim}` by the
   * ext-victim binary.
   */
  readonly command: readonly string[];
  readonly stdin?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Start this victim once victim `when.label` recorded signal `when.signal`. */
  readonly later?: {
    readonly when: { readonly label: string; readonly signal: number };
    readonly victim: ExtVictim;
  };
  readonly timeoutMs?: number;
  /** Record files (labels) written by processes the command starts itself, collected like the victims'. */
  readonly records?: readonly string[];
}

export interface ExtProcess {
  readonly label: string;
  readonly pid: number;
  readonly ppid: number;
  /** Signals handled, in order, with the monotonic ms of each. */
  readonly signals: readonly { readonly sig: number; readonly at: number }[];
  /** The monotonic ms of its "ready" line. */
  readonly readyAt: number;
  /** alive, stopped, or gone (a zombie counts as gone). */
  readonly fate: 'alive' | 'stopped' | 'gone';
  /** How a direct child of the runner ended (`SIGKILL`, `code 0`), when it did. */
  readonly exit?: string;
}

export interface ExtResult {
  readonly rc: number | string;
  readonly stdout: string;
  readonly stderr: string;
  /** Monotonic ms when the command was started and when it ended. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly processes: readonly ExtProcess[];
  /** The PID of each top victim. */
  readonly pids: Readonly<Record<string, number>>;
}

const monoMs = (): number => Number(process.hrtime.bigint() / 1_000_000n);

interface Line {
  pid: number;
  ppid: number;
  event: string;
  at: number;
}

function lines(path: string): Line[] {
  let text = '';
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [pid, ppid, event, at] = l.split(' ');
      return { pid: Number(pid), ppid: Number(ppid), event: event!, at: Number(at) };
    });
}

function fate(pid: number): 'alive' | 'stopped' | 'gone' {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const st = s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
    if (st === 'Z' || st === 'X') return 'gone';
    return st === 'T' ? 'stopped' : 'alive';
  } catch {
    return 'gone';
  }
}

async function main(): Promise<void> {
  const sc = JSON.parse(process.argv[2]!) as ExtScenario & { victimBinary: string; dir: string };
  const dir = sc.dir;
  mkdirSync(`${dir}/bin`, { recursive: true });
  mkdirSync(`${dir}/rec`, { recursive: true });
  const started: { v: ExtVictim; cp: ChildProcess; exit?: string }[] = [];
  const record = (label: string): string => `${dir}/rec/${label}`;
  async function start(v: ExtVictim): Promise<void> {
    const exe = `${dir}/bin/${v.exe}`;
    if (!existsSync(exe)) symlinkSync(sc.victimBinary, exe);
    const cp = spawn(exe, [record(v.label), ...(v.args ?? [])], { stdio: 'ignore' });
    const entry: (typeof started)[number] = { v, cp };
    cp.on('exit', (code, signal) => {
      entry.exit = signal ?? `code ${code}`;
    });
    started.push(entry);
    const ok = await until(
      () => lines(record(v.label)).filter((l) => l.event === 'ready').length >= (v.size ?? 1),
      15_000,
    );
    if (!ok) throw new Error(`victim ${v.label} did not start`);
  }
  for (const v of sc.victims) await start(v);
  const pidOf = (label: string): number => started.find((s) => s.v.label === label)!.cp.pid!;
  const expand = (a: string): string =>
    a
      .replaceAll('{dir}', dir)
      .replaceAll('{victim}', sc.victimBinary)
      .replace(/\{pid:([^}]+)\}/g, (_, l: string) => String(pidOf(l)));
  const startedAt = monoMs();
  const cmd = sc.command.map(expand);
  const child = spawn(cmd[0]!, cmd.slice(1), {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...(sc.env ?? {}) },
    cwd: dir,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdin.on('error', () => {});
  if (sc.stdin !== undefined) child.stdin.end(sc.stdin);
  let laterDone: Promise<void> = Promise.resolve();
  if (sc.later) {
    const l = sc.later;
    laterDone = (async () => {
      const triggered = await until(
        () => lines(record(l.when.label)).some((x) => x.event === String(l.when.signal)),
        Math.max(sc.timeoutMs ?? 0, SETTLE_MS),
      );
      if (!triggered)
        throw new Error(
          `victim ${l.when.label} never recorded signal ${l.when.signal}: latecomer ${l.victim.label} not started`,
        );
      await start(l.victim);
    })();
    // Awaited after the command ended; a rejection before that must not count as unhandled.
    laterDone.catch(() => {});
  }
  const timeout = sc.timeoutMs ?? 30_000;
  const rc = await exitOrKill(child, timeout);
  const endedAt = monoMs();
  await laterDone;
  // Sentinel: every process still there records it after anything sent before it.
  const all = new Map<number, { label: string; ppid: number }>();
  const labels = [...started.map((s) => s.v.label), ...(sc.records ?? [])];
  // The parent as it was when the process started (its first line), not after it was reparented.
  for (const label of labels)
    for (const l of lines(record(label))) if (!all.has(l.pid)) all.set(l.pid, { label, ppid: l.ppid });
  // One deadline for them all, so that the whole run stays within the test's spawnSync timeout.
  const settleBy = Date.now() + SETTLE_MS;
  for (const [pid, { label }] of all) {
    if (fate(pid) !== 'alive') continue;
    try {
      process.kill(pid, SENTINEL);
    } catch {}
    const settled = await until(
      () =>
        fate(pid) !== 'alive' ||
        lines(record(label)).some((l) => l.pid === pid && l.event === String(SENTINEL)),
      Math.max(0, settleBy - Date.now()),
    );
    // Without the sentinel, a signal sent before it may still be unrecorded: "nothing sent" would be unproven.
    if (!settled)
      throw new Error(
        `process ${pid} (${label}) neither recorded the sentinel (signal ${SENTINEL}) nor ended within ${SETTLE_MS} ms`,
      );
  }
  const processes: ExtProcess[] = [];
  for (const [pid, { label, ppid }] of all) {
    const mine = lines(record(label)).filter((l) => l.pid === pid);
    const top = started.find((s) => s.cp.pid === pid);
    processes.push({
      label,
      pid,
      ppid,
      signals: mine
        .filter((l) => l.event !== 'ready' && l.event !== String(SENTINEL))
        .map((l) => ({ sig: Number(l.event), at: l.at })),
      readyAt: mine.find((l) => l.event === 'ready')?.at ?? -1,
      fate: fate(pid),
      ...(top?.exit ? { exit: top.exit } : {}),
    });
  }
  const result: ExtResult = {
    rc,
    stdout: Buffer.concat(out).toString('latin1'),
    stderr: Buffer.concat(err).toString('latin1'),
    startedAt,
    endedAt,
    processes,
    pids: Object.fromEntries(started.map((s) => [s.v.label, s.cp.pid!])),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String(e instanceof Error ? e.stack : e) })}\n`);
  process.exit(0);
});
