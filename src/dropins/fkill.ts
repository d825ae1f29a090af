/**
 * fkill 10's API over the library: `fkill(input, options?)` with PIDs, names and `:PORT` in any mix. Nothing is
 * spawned (the original runs psmisc's `killall`, `kill`, `ps` and `ss`); every signal, the SIGKILL of
 * `forceAfterTimeout` included, goes through a pin of the process instance that was selected; `tree` works on
 * Linux (descendants first).
 */
import type { KillReport, ProcessRef, SignalOptions, Target } from '../killall.js';
import { signalProcesses } from '../killall.js';
import { MAX_DURATION_MS } from '../text/duration.js';
import { escapeName } from '../text/escape.js';
import { strerror } from '../text/strerror.js';
import { signalTree } from '../tree-signal.js';
import { type Resolved, resolveInputs } from './fkill-inputs.js';

/** fkill's options. */
export type Options = {
  /** Force kill the processes (SIGKILL). @default false */
  readonly force?: boolean;
  /** SIGKILL, through the same pins, what did not exit within this many milliseconds of SIGTERM. */
  readonly forceAfterTimeout?: number;
  /** Kill all child processes along with each process, children first (on Linux too, unlike fkill). @default false */
  readonly tree?: boolean;
  /** Ignore capitalization when killing a process by name (psmisc's `-I`: ASCII only). @default false */
  readonly ignoreCase?: boolean;
  /** Suppress all errors. @default false */
  readonly silent?: boolean;
  /** Wait up to this many milliseconds for the processes to exit; then an error (unless `silent`). */
  readonly waitForExit?: number;
};

const key = (p: { readonly pid: number; readonly startTime: string }): string => `${p.pid}:${p.startTime}`;

/** A duration the library takes (1 ms to 24 days): fkill reads 0 or less as "at once". */
const duration = (ms: number): number => Math.min(MAX_DURATION_MS, Math.max(1, Math.ceil(ms) || 1));

/** What the sends did, and which input each process signalled (a tree's members: their root's) counts for. */
interface Sent {
  readonly reports: readonly KillReport[];
  readonly owner: ReadonlyMap<string, Resolved>;
}

/** The sends: plain selections, process groups, and (with `tree`) whole trees, waits and escalation included. */
async function send(resolved: readonly Resolved[], o: Options): Promise<Sent> {
  const owner = new Map<string, Resolved>();
  const plain: ProcessRef[] = [];
  const groups: ProcessRef[] = [];
  for (const r of resolved) {
    for (const p of r.refs) {
      if (owner.has(key(p))) continue;
      owner.set(key(p), r);
      (r.kind === 'group' ? groups : plain).push(p);
    }
  }
  const force = o.force === true;
  const common: SignalOptions = {
    signal: force ? 9 : 15,
    ...(!force && o.forceAfterTimeout !== undefined ? { killAfter: duration(o.forceAfterTimeout) } : {}),
    ...(o.waitForExit !== undefined && o.waitForExit > 0
      ? { wait: { timeoutMs: duration(o.waitForExit) } }
      : {}),
  };
  const reports: KillReport[] = [];
  const runs: Promise<void>[] = [];
  if (plain.length > 0 && o.tree === true) {
    const tree = signalTree(plain, { ...common, spareSelf: true }).then((r) => {
      for (const m of r.members) if (!owner.has(key(m))) owner.set(key(m), owner.get(key(plain[m.root]!))!);
      reports.push(r);
    });
    runs.push(tree);
  } else if (plain.length > 0) runs.push(signalProcesses(plain, common).then((r) => void reports.push(r)));
  if (groups.length > 0)
    runs.push(signalProcesses(groups, { ...common, processGroup: true }).then((r) => void reports.push(r)));
  await Promise.all(runs);
  return { reports, owner };
}

/** The text of a failed kill, as fkill shows what `kill` or psmisc's `killall` printed. */
function failureText(r: Resolved, failures: readonly { target: Target; code: string }[]): string {
  if (r.kind !== 'name') {
    const f = failures[0]!;
    const id = r.kind === 'group' ? r.input : f.target.pid;
    return `kill: (${id}): ${strerror(f.code)}`;
  }
  const lines = failures.map((f) => `${escapeName(f.target.name)}(${f.target.pid}): ${strerror(f.code)}`);
  return `${lines.join('\n')}\n${r.input}: no process found`;
}

/** The inputs that a set of identities touches: their owner, or any input that selected them too. */
function inputsOf(
  keys: ReadonlySet<string>,
  resolved: readonly Resolved[],
  owner: Sent['owner'],
): Set<Resolved> {
  const out = new Set<Resolved>();
  for (const k of keys) {
    const r = owner.get(k);
    if (r) out.add(r);
  }
  for (const r of resolved) if (r.refs.some((p) => keys.has(key(p)))) out.add(r);
  return out;
}

/** fkill's messages, per input in the order given: nothing selected, or nothing signalled. */
function killErrors(resolved: readonly Resolved[], { reports, owner }: Sent): string[] {
  const done = new Set<string>();
  const failures = new Map<string, { target: Target; code: string }>();
  for (const rep of reports) {
    for (const t of rep.signalled) done.add(key(t));
    for (const f of rep.failed) if (f.code !== 'ESRCH') failures.set(key(f.target), f);
  }
  const ok = inputsOf(done, resolved, owner);
  const out: string[] = [];
  for (const r of resolved) {
    if (r.self || ok.has(r)) continue;
    const mine = [...failures].filter(([k]) => owner.get(k) === r || r.refs.some((p) => key(p) === k));
    const why =
      r.error ??
      (mine.length > 0
        ? failureText(
            r,
            mine.map(([, f]) => f),
          )
        : "Process doesn't exist");
    out.push(`Killing process ${r.input} failed: ${why}`);
  }
  return out;
}

/** `Process X did not exit within Tms`, once per input with a process still running. */
function waitErrors(resolved: readonly Resolved[], { reports, owner }: Sent, ms: number): string[] {
  const running = new Set(reports.flatMap((rep) => rep.stillRunning.map(key)));
  const late = inputsOf(running, resolved, owner);
  return resolved.filter((r) => late.has(r)).map((r) => `Process ${r.input} did not exit within ${ms}ms`);
}

/**
 * Kills processes by PID, name (psmisc's rules, as `killall NAME`), `:PORT` (TCP listening or UDP bound, IPv4
 * and IPv6: every process holding it) or `-PGID` (a process group), one input or an array. SIGTERM, or SIGKILL with
 * `force`; `forceAfterTimeout` sends SIGKILL through the same identities to what still runs; `waitForExit` waits
 * (a zombie counts as exited). Never kills its own process; by the name `node`, never its own ancestors. Rejects
 * with an AggregateError (unless `silent`): "Failed to kill processes" with one "Killing process X failed: …" per
 * input that nothing was signalled for, after the waits; else "Processes did not exit within timeout".
 */
export default async function fkill(
  input: number | string | ReadonlyArray<string | number>,
  options: Options = {},
): Promise<void> {
  const inputs = ([input] as unknown[]).flat() as (string | number)[];
  const resolved = await resolveInputs(inputs, options.ignoreCase === true);
  const sent = await send(resolved, options);
  if (options.silent === true) return;
  const errors = killErrors(resolved, sent);
  if (errors.length > 0) throw new AggregateError(errors, 'Failed to kill processes');
  if (options.waitForExit === undefined || !(options.waitForExit > 0)) return;
  const late = waitErrors(resolved, sent, options.waitForExit);
  if (late.length > 0) throw new AggregateError(late, 'Processes did not exit within timeout');
}
