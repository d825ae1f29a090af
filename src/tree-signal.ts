/**
 * `signalTree`: whole process trees signalled children first (what tree-kill does, and fkill's `tree`), race-free.
 * The trees come from /proc passes repeated until one finds nobody new ({@link walkTrees}); every member is then
 * pinned and confirmed by its start time before its signal ({@link signalProcesses}); after the sends, fresh passes
 * catch children that members forked meanwhile. Waits and SIGKILL escalation go through pins too.
 */
import { KillallError } from './errors.js';
import {
  checkProc,
  checkSignalOptions,
  type KillEvent,
  type KillReport,
  type ProcessRef,
  resolveSignal,
  type SignalProcessesOptions,
  signalProcesses,
  type Target,
  wrapResource,
} from './killall.js';
import { ProcReader } from './procfs/reader.js';
import { PID_MAX_LIMIT } from './signal/pid.js';
import { realSystem, type System } from './system.js';
import { childrenFirst } from './tree.js';
import { MAX_WALK_PASSES, newcomersOf, type TreeMember, walkTrees } from './tree-walk.js';

/** Options of {@link signalTree}. */
export interface SignalTreeOptions {
  /** A number, or a name with or without `SIG`. @default 15 (SIGTERM) */
  readonly signal?: number | string;
  /** Wait until every signalled process is gone, as {@link SignalOptions.wait}. */
  readonly wait?: boolean | { readonly timeoutMs?: number };
  /** SIGKILL what still runs this many ms after the first send (through pins), as {@link SignalOptions.killAfter}. */
  readonly killAfter?: number;
  /** Ends the waits at once, as {@link SignalOptions.abortSignal}. */
  readonly abortSignal?: AbortSignal;
  /** Walk and pin, send nothing: the members are in `planned`. @default false */
  readonly dryRun?: boolean;
  /** Called for every event as it happens (`scanned` once, after the last send). */
  readonly onEvent?: (event: KillEvent) => void;
  /**
   * Never signal the calling process, even when it is in a tree. Without it the caller, when it is a member, is
   * signalled last, after every other process of every tree. @default false
   */
  readonly spareSelf?: boolean;
  /** At most this many /proc passes for the walk, and as many for newcomers after the sends. @default 8 */
  readonly maxPasses?: number;
  /** The OS seam; tests pass a fake. @default realSystem */
  readonly system?: System;
}

/** What {@link signalTree} did: a {@link KillReport} (with `names` empty) and the trees it walked. */
export interface TreeReport extends KillReport {
  /** Every process of the trees, roots included, in the order found; `root` is the index of its root. */
  readonly members: readonly TreeMember[];
  /** Per root given: whether it was found, with its start time. */
  readonly found: readonly boolean[];
  /**
   * Every root found, no failure but ESRCH (a process gone meanwhile), no failed SIGKILL, nothing still running
   * after a bounded wait.
   */
  readonly ok: boolean;
}

function badRoot(r: unknown): KillallError {
  const text =
    typeof r === 'object' && r !== null ? `${(r as ProcessRef).pid}/${(r as ProcessRef).startTime}` : r;
  return new KillallError('BAD_OPTION', `not a process identity: ${String(text)}`, 'roots', {
    subject: 'roots',
  });
}

function checkRoot(r: number | ProcessRef): void {
  const pid = typeof r === 'number' ? r : r?.pid;
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid > PID_MAX_LIMIT) throw badRoot(r);
  if (typeof r !== 'number' && (typeof r.startTime !== 'string' || !/^\d+$/.test(r.startTime)))
    throw badRoot(r);
}

/** Children first; the caller last, or not at all with `spare`. */
function ordered(members: readonly TreeMember[], self: number, spare: boolean): TreeMember[] {
  const out = childrenFirst(members).filter((m) => m.pid !== self);
  const me = members.find((m) => m.pid === self);
  if (me && !spare) out.push(me);
  return out;
}

function merged(a: KillReport, b: KillReport): KillReport {
  return {
    ...a,
    signalled: [...a.signalled, ...b.signalled],
    failed: [...a.failed, ...b.failed],
    planned: [...a.planned, ...b.planned],
    unreadable: Math.max(a.unreadable, b.unreadable),
  };
}

type After = Pick<KillReport, 'escalated' | 'escalationFailed' | 'stillRunning' | 'wait'>;

/**
 * The waits and the escalation, after every send: a wait (signal 0 through pins) until `killAfter` from the first
 * send, SIGKILL through pins for what still runs, then the wait of `wait`.
 */
async function afterSends(
  targets: readonly Target[],
  o: SignalTreeOptions,
  sys: System,
  firstSendAt: number,
): Promise<After> {
  const none: After = { escalated: [], escalationFailed: [], stillRunning: [] };
  const wanted = o.wait !== undefined && o.wait !== false;
  if (targets.length === 0 || (o.killAfter === undefined && !wanted)) return none;
  const timeoutMs = typeof o.wait === 'object' ? o.wait.timeoutMs : undefined;
  const waitFor = (ms: number | undefined) => (ms === undefined ? true : { timeoutMs: ms });
  const common = { system: sys, ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}) };
  if (o.killAfter === undefined) {
    const w = await signalProcesses(targets, { ...common, signal: 0, wait: waitFor(timeoutMs) });
    return { ...none, stillRunning: w.stillRunning, ...(w.wait ? { wait: w.wait } : {}) };
  }
  const left = Math.max(0, o.killAfter - (Date.now() - firstSendAt));
  const w = await signalProcesses(targets, { ...common, signal: 0, wait: { timeoutMs: left } });
  if (w.wait?.aborted || w.stillRunning.length === 0)
    return { ...none, stillRunning: w.stillRunning, ...(w.wait ? { wait: w.wait } : {}) };
  const k = await signalProcesses(w.stillRunning, { ...common, signal: 9, wait: waitFor(timeoutMs) });
  const afterMs = Date.now() - firstSendAt;
  const escalated = k.signalled.map((target) => ({ target, afterMs }));
  const escalationFailed = k.failed.filter((f) => f.code !== 'ESRCH');
  for (const e of escalated) o.onEvent?.({ type: 'escalated', target: e.target, signal: 9, afterMs });
  for (const f of escalationFailed) o.onEvent?.({ type: 'escalation-failed', ...f });
  return { escalated, escalationFailed, stillRunning: k.stillRunning, ...(k.wait ? { wait: k.wait } : {}) };
}

async function treeRun(roots: readonly (number | ProcessRef)[], o: SignalTreeOptions): Promise<TreeReport> {
  o.abortSignal?.throwIfAborted();
  const sys = o.system ?? realSystem;
  const signal = resolveSignal(o.signal);
  checkSignalOptions(o, signal, false);
  for (const r of roots) checkRoot(r);
  const passes = o.maxPasses ?? MAX_WALK_PASSES;
  if (!Number.isSafeInteger(passes) || passes < 1)
    throw new KillallError('BAD_OPTION', `maxPasses: ${passes}: not a positive integer`, 'maxPasses');
  const reader = new ProcReader(sys);
  checkProc(sys);
  const walk = walkTrees(reader, roots, passes);
  const members = [...walk.members];
  const spare = o.spareSelf === true;
  // Each signalProcesses call reports `scanned` for its part: the caller hears it once, for the whole.
  const emit = o.onEvent;
  const base: SignalProcessesOptions = {
    signal,
    system: sys,
    ...(emit ? { onEvent: (e: KillEvent) => e.type !== 'scanned' && emit(e) } : {}),
  };
  const firstSendAt = Date.now();
  let report = await signalProcesses(ordered(members, sys.pid, spare), {
    ...base,
    dryRun: o.dryRun === true,
  });
  for (let pass = 1; pass < passes && o.dryRun !== true; pass++) {
    const fresh = newcomersOf(reader, members).filter((m) => !(spare && m.pid === sys.pid));
    if (fresh.length === 0) break;
    members.push(...fresh);
    report = merged(report, await signalProcesses(ordered(fresh, sys.pid, spare), base));
  }
  const ok = (r: After): boolean =>
    walk.found.every(Boolean) &&
    report.failed.every((f) => f.code === 'ESRCH') &&
    r.escalationFailed.length === 0 &&
    r.stillRunning.length === 0;
  const scanned = { ...report, members, found: walk.found, ok: ok({ ...report, stillRunning: [] }) };
  emit?.({ type: 'scanned', report: scanned });
  const after = await afterSends(report.signalled, o, sys, firstSendAt);
  return { ...scanned, ...after, ok: ok(after) };
}

/**
 * Signals each root and all its descendants, children first (every process after all of its descendants; the
 * caller itself last, or never with `spareSelf`), race-free: the trees are read from /proc, pass after pass until
 * one finds nobody new; each member is pinned and must still have the start time the walk read (else it is
 * reported in `failed` with ESRCH, and a reused PID is never hit); after the sends, fresh passes catch children
 * forked meanwhile. A root is a PID (its start time read by the first pass) or a PID and start time. Spawns
 * nothing. Throws KillallError BAD_OPTION for a bad root or option before reading anything.
 */
export function signalTree(
  roots: readonly (number | ProcessRef)[],
  options: SignalTreeOptions = {},
): Promise<TreeReport> {
  return wrapResource(() => treeRun(roots, options));
}
