import {
  type Candidate,
  compileNames,
  compileRegex,
  examine,
  type NameSpec,
  type ScanCursor,
  type Selection,
  scanNext,
} from './engine.js';
import { KillallError } from './errors.js';
import { ProcReader, ResourceError } from './procfs/reader.js';
import { validateSignal } from './signal/pid.js';
import {
  openPin,
  type Pin,
  pinDir,
  type SendResult,
  sendGroup,
  sendPinned,
  statFdShows,
  unpin,
} from './signal/send.js';
import { parseSignal, SIGTERM } from './signal/signals.js';
import { type WaitResult, type WaitTarget, waitForExit } from './signal/wait.js';
import { realSystem, type System } from './system.js';
import { codeOf } from './text/strerror.js';

/** A NAME: text (UTF-8) or raw bytes. */
export type NameInput = string | Uint8Array;

/** What selects processes. Every field is optional; with no names, every process that passes the filters matches. */
export interface Criteria {
  /**
   * Process names, compared as psmisc does (comm, or the long name from cmdline when comm is 15 bytes). A name
   * with a `/` is an executable path, matched by its inode.
   */
  readonly names?: readonly NameInput[];
  /** Read `names` as POSIX extended regular expressions (unanchored). @default false */
  readonly regexp?: boolean;
  /** Skip processes whose 15-byte comm has no long name in cmdline (`-e`). @default false */
  readonly exact?: boolean;
  /** ASCII case-insensitive names and regexes (`-I`). @default false */
  readonly ignoreCase?: boolean;
  /** Only processes whose real UID is this user (name looked up through NSS) or uid. */
  readonly user?: string | number;
  /** Only processes at most this many seconds old (`-y`). */
  readonly youngerThan?: number;
  /** Only processes at least this many seconds old (`-o`). */
  readonly olderThan?: number;
  /** Only processes in the PID namespace of this PID (`-n`); ignored when that PID cannot be read. */
  readonly namespacePid?: number;
  /** Only processes whose security context (`/proc/PID/attr/current`) matches this ERE (`-Z`). */
  readonly context?: string;
  /** Include kernel threads. @default false (the CLI passes true, as psmisc matches them) */
  readonly kernelThreads?: boolean;
  /** Never select our own ancestors (the shell, npm, …). @default true (the CLI passes false) */
  readonly excludeAncestors?: boolean;
  /** The OS seam; tests pass a fake. @default realSystem */
  readonly system?: System;
}

/** A process that was (or was to be) signalled. */
export interface Target {
  /** The PID that matched. */
  readonly pid: number;
  /** The process group signalled instead, with `processGroup`. */
  readonly pgid?: number;
  /** The stat comm, raw bytes. */
  readonly comm: Uint8Array;
  /** The name psmisc shows: the long name when there is one, else comm (raw bytes). */
  readonly name: Uint8Array;
  /** Index in `names` of the NAME this process counts for, or -1 without names. */
  readonly nameIndex: number;
}

/**
 * Everything that happens, in order, for callers that report as they go (the CLI):
 * - `partial`: `exact` skipped a process whose 15-byte comm has no long name (`pid`, raw `comm`);
 * - `signalled`: `target` got `signal`;
 * - `failed`: sending to `target` failed with errno `code` (`EPERM`, `EINVAL`, …; `ESRCH` only with `confirm`);
 * - `refused`: `target`'s process group is 1 and was not signalled (`reason`);
 * - `scanned`: the scan is over; `report` is final except for `wait`.
 */
export type KillEvent =
  | { readonly type: 'partial'; readonly pid: number; readonly comm: Uint8Array }
  | { readonly type: 'signalled'; readonly target: Target; readonly signal: number }
  | { readonly type: 'failed'; readonly target: Target; readonly code: string }
  | { readonly type: 'refused'; readonly target: Target; readonly reason: 'process-group-1' }
  | { readonly type: 'scanned'; readonly report: KillReport };

/** Options of {@link killall}. */
export interface KillallOptions extends Criteria {
  /** A number, or a name with or without `SIG` (`TERM`, `SIGKILL`). @default 15 (SIGTERM) */
  readonly signal?: number | string;
  /** Signal each matching process group once (`kill(-pgid)`) instead of the process (`-g`). @default false */
  readonly processGroup?: boolean;
  /** Asked before each signal; false skips that target (`-i`). */
  readonly confirm?: (target: Target, signal: number) => boolean | Promise<boolean>;
  /** Wait until every signalled process is gone (zombies count as gone). `true` waits without limit. */
  readonly wait?: boolean | { readonly timeoutMs?: number };
  /** Called for every event as it happens. */
  readonly onEvent?: (event: KillEvent) => void;
}

/** What happened to one NAME. */
export interface NameResult {
  /** The NAME as bytes. */
  readonly name: Uint8Array;
  /** True when at least one process counting for this NAME was signalled successfully. */
  readonly found: boolean;
}

/** What {@link killall} did, as data. */
export interface KillReport {
  /** The signal number sent. */
  readonly signal: number;
  /** Per NAME, in the order given. */
  readonly names: readonly NameResult[];
  /** Targets signalled successfully, in order. */
  readonly signalled: readonly Target[];
  /** Targets whose signal failed, with the errno code (ESRCH: gone in between). */
  readonly failed: readonly { readonly target: Target; readonly code: string }[];
  /** Targets the `confirm` callback declined. */
  readonly declined: readonly Target[];
  /** Targets not signalled because that would hit every process (group 1). */
  readonly refused: readonly Target[];
  /** Processes that could not be read (EACCES/EPERM, e.g. hidepid). */
  readonly unreadable: number;
  /** psmisc's success rule: every NAME found, or (without names) anything signalled. */
  readonly ok: boolean;
  /** Present when waiting was asked for. */
  readonly wait?: WaitResult;
}

/** Resolves a signal option to a number; throws KillallError BAD_OPTION for an unknown name. */
export function resolveSignal(signal: number | string | undefined): number {
  if (signal === undefined) return SIGTERM;
  if (typeof signal === 'number') return validateSignal(signal);
  const r = parseSignal(signal);
  if (!r.ok) throw new KillallError('BAD_OPTION', `${r.unknown}: unknown signal`, r.unknown);
  return r.signal;
}

const toBytes = (n: NameInput): Buffer => (typeof n === 'string' ? Buffer.from(n, 'utf8') : Buffer.from(n));

/** psmisc's guard: /proc must be mounted and be ours (`/proc/self` names our own PID). */
export function checkProc(sys: System): void {
  let self: string;
  try {
    self = sys.readlink('/proc/self').toString('latin1');
  } catch (e) {
    throw new KillallError(
      'PROC_UNAVAILABLE',
      '/proc lacks process entries (not mounted ?)',
      codeOf(e) ?? '',
      { cause: e },
    );
  }
  if (self !== String(sys.pid)) {
    throw new KillallError('PROC_UNAVAILABLE', '/proc lacks process entries (not mounted ?)', 'foreign');
  }
}

function ancestors(reader: ProcReader): Set<number> {
  const out = new Set<number>();
  let pid = reader.sys.pid;
  for (let i = 0; i < 4096 && pid > 1; i++) {
    const st = reader.statOf(reader.dirOf(pid));
    if (!st) break;
    pid = st.ppid;
    if (pid > 0) out.add(pid);
  }
  return out;
}

/** Compiles criteria into a selection, doing psmisc's start-up I/O (user, namespace, paths) in psmisc's order. */
export function compileSelection(c: Criteria, reader: ProcReader): Selection {
  const sys = reader.sys;
  let uid: number | undefined;
  if (typeof c.user === 'number') uid = c.user;
  else if (typeof c.user === 'string') {
    uid = sys.lookupUser(c.user);
    if (uid === undefined) throw new KillallError('BAD_OPTION', `Cannot find user ${c.user}`, c.user);
  }
  const context = c.context !== undefined ? compileRegex(c.context) : undefined;
  const nsInode = c.namespacePid ? reader.pidNsInode(reader.dirOf(c.namespacePid)) : 0n;
  const names: NameSpec[] = compileNames(
    sys,
    (c.names ?? []).map(toBytes),
    c.regexp === true,
    c.ignoreCase === true,
  );
  return {
    names,
    exact: c.exact === true,
    ignoreCase: c.ignoreCase === true,
    uid,
    nsInode,
    context,
    youngerThan: c.youngerThan,
    olderThan: c.olderThan,
    kernelThreads: c.kernelThreads === true,
    exclude: c.excludeAncestors === false ? new Set() : ancestors(reader),
    clockTicks: 100,
  };
}

/** Lists /proc (PID names, ascending), turning failures into psmisc's fatal `/proc: <error>`. */
export function snapshot(reader: ProcReader): string[] {
  try {
    return reader.listPidNames();
  } catch (e) {
    const code = codeOf(e);
    if (code === undefined) throw e;
    throw new KillallError('PROC_UNREADABLE', `/proc: ${code}`, code, { cause: e });
  }
}

/** Runs a library entry point, turning the internal ResourceError into KillallError RESOURCE. */
export function wrapResource<T>(f: () => Promise<T>): Promise<T> {
  return f().catch((e: unknown) => {
    if (e instanceof ResourceError) throw new KillallError('RESOURCE', e.message, e.code, { cause: e });
    throw e;
  });
}

/**
 * Finds processes as psmisc's killall does and signals each one through a pin of its /proc directory
 * (pidfd_send_signal), so a PID reused between scan and send is never hit. Never prints, never exits.
 */
export function killall(options: KillallOptions): Promise<KillReport> {
  return wrapResource(() => run(options));
}

/** What every step of one run shares. */
export interface RunContext {
  readonly sys: System;
  readonly reader: ProcReader;
  readonly sel: Selection;
  readonly signal: number;
  /** `-g`: signal process groups. */
  readonly group: boolean;
  /** `-i`: a confirm callback was given (ESRCH is then reported, as psmisc does under `-i`). */
  readonly interactive: boolean;
  /** The caller's event sink, when there is one. */
  readonly emit: ((e: KillEvent) => void) | undefined;
}

/** A candidate pinned and confirmed to be the instance the scan read, and to match still. */
export interface Verified {
  readonly target: Target;
  /** The pin the signal goes through. */
  readonly pin: Pin;
}

/** The lists of the report, filled as the steps go. */
export class Tally {
  readonly signalled: Target[] = [];
  readonly failed: { target: Target; code: string }[] = [];
  readonly declined: Target[] = [];
  readonly refused: Target[] = [];
  readonly found: boolean[];
  constructor(names: number) {
    this.found = new Array<boolean>(names).fill(false);
  }
}

/**
 * Step 1, selection: the next candidate of the scan (see {@link scanNext}), with the fd of the stat it read kept
 * open for {@link verify}. `-e` skips are reported to the caller as they happen.
 */
export function selectNext(ctx: RunContext, cursor: ScanCursor): Candidate | null {
  const emit = ctx.emit;
  return scanNext(
    ctx.reader,
    ctx.sel,
    cursor,
    emit ? (pid, comm) => emit({ type: 'partial', pid, comm }) : undefined,
    true,
  );
}

/**
 * Step 2, `-g` de-duplication, before anything is pinned or asked, from the pgid the scan's stat read gave (where
 * psmisc calls `getpgid()`): `duplicate` for a group already handled (and for group 0, as psmisc's zeroed table
 * does), `refused` for group 1 (it is then marked handled), `first` otherwise. A `first` group is marked handled
 * by {@link markGroup} once its candidate is confirmed, so that a member that vanished leaves it to the next one.
 */
export function groupStep(handled: Set<number>, pgid: number): 'first' | 'duplicate' | 'refused' {
  if (pgid <= 0 || handled.has(pgid)) return 'duplicate';
  if (pgid === 1) {
    handled.add(pgid);
    return 'refused';
  }
  return 'first';
}

/** Marks a group handled (see {@link groupStep}). */
export function markGroup(handled: Set<number>, pgid: number): void {
  handled.add(pgid);
}

/** The target a candidate stands for before it is confirmed (what a refusal or a vanished match reports). */
export function candidateTarget(c: Candidate, group: boolean): Target {
  return group
    ? { pid: c.pid, pgid: c.pgrp, comm: c.comm, name: c.name, nameIndex: c.nameIndex }
    : { pid: c.pid, comm: c.comm, name: c.name, nameIndex: c.nameIndex };
}

/**
 * Step 3, pin and confirm identity: opens the pin of the candidate's PID, then proves it holds the instance the
 * scan read, and that this instance still matches. The proof is the fd of the stat the scan read, kept open: it is
 * bound to the scanned instance and fails once that instance has been reaped, even if the PID was reused. Read
 * again after the pin was opened, it shows that the instance held the PID from the scan's read until after the pin
 * was opened, so the pin holds it (docs/reliability.md, T7); when it fails, the candidate is gone, whatever holds the
 * PID now. When the scan's verdict rested on its stat alone and the re-read shows the same start time and comm,
 * the candidate is confirmed; otherwise the pinned process is examined again in full through the pin (every
 * filter, the start time). Null when it is gone or no longer matches (what psmisc sees as ESRCH). Closes the
 * candidate's stat fd in every case.
 */
export function verify(ctx: RunContext, c: Candidate): Verified | null {
  const { sys, reader, sel } = ctx;
  let fd: number | null = null;
  let seen: 'same' | 'alive' | 'gone' | 'unknown' = 'unknown';
  try {
    fd = openPin(sys, c.pid);
    if (fd !== null && c.statFd >= 0) {
      seen = statFdShows(reader, c.statFd, c.pid, c.startTime, c.comm, sel.kernelThreads);
    }
  } finally {
    if (c.statFd >= 0) sys.close(c.statFd);
  }
  if (fd === null) return null;
  if (seen === 'gone') {
    // The scanned instance is gone: whatever holds the PID now is a newcomer, even one with the same start time.
    sys.close(fd);
    return null;
  }
  if (seen === 'same' && c.statOnly) {
    return {
      target: candidateTarget(c, ctx.group),
      pin: { pid: c.pid, fd, startTime: c.startTime, comm: c.comm },
    };
  }
  const m = examine(reader, sel, c.pid, pinDir(fd));
  if (m === null || m.stat.startTime !== c.startTime) {
    sys.close(fd);
    return null;
  }
  return {
    target: {
      pid: c.pid,
      comm: m.comm,
      name: m.longName ?? m.comm,
      nameIndex: m.nameIndex,
      ...(ctx.group ? { pgid: c.pgrp } : {}),
    },
    pin: { pid: c.pid, fd, startTime: m.stat.startTime, comm: m.comm },
  };
}

/** Step 5, sending: `kill(-pgid)` with `-g`, else the signal through the pin. */
export function sendStep(ctx: RunContext, v: Verified): SendResult {
  return ctx.group
    ? sendGroup(ctx.sys, v.target.pgid!, ctx.signal)
    : sendPinned(ctx.sys, v.pin, ctx.signal, ctx.reader);
}

/** Records a send's outcome in the tally and tells the caller (ESRCH only under `-i`, as psmisc). */
export function recordSend(ctx: RunContext, tally: Tally, target: Target, result: SendResult): void {
  if (result !== 'ok') {
    tally.failed.push({ target, code: result });
    if (result !== 'ESRCH' || ctx.interactive) ctx.emit?.({ type: 'failed', target, code: result });
    return;
  }
  tally.signalled.push(target);
  if (target.nameIndex >= 0) tally.found[target.nameIndex] = true;
  ctx.emit?.({ type: 'signalled', target, signal: ctx.signal });
}

/** Builds the report from the tally (before waiting). */
function reportOf(ctx: RunContext, tally: Tally): KillReport {
  const names = ctx.sel.names.map((n, i) => ({ name: n.raw, found: tally.found[i]! }));
  return {
    signal: ctx.signal,
    names,
    signalled: tally.signalled,
    failed: tally.failed,
    declined: tally.declined,
    refused: tally.refused,
    unreadable: ctx.reader.denied,
    ok: names.length > 0 ? names.every((n) => n.found) : tally.signalled.length > 0,
  };
}

/** Wait targets, with pins kept for at most `budget` of them (see {@link waitPinBudget}). */
export class WaitList {
  readonly targets: WaitTarget[] = [];
  private pins = 0;
  constructor(private readonly budget: number) {}

  /** Adds what was signalled; returns true when it keeps `v`'s pin (then the caller must not release it). */
  add(v: Verified, group: boolean): boolean {
    if (group) {
      this.targets.push({ kind: 'group', pgid: v.target.pgid! });
      return false;
    }
    const keep = this.pins < this.budget;
    const { pid, startTime, comm } = v.pin;
    this.targets.push({ kind: 'process', pid, startTime, comm, ...(keep ? { pin: v.pin } : {}) });
    if (keep) this.pins++;
    return keep;
  }

  /** Releases every pin kept. */
  release(sys: System): void {
    for (const t of this.targets) if (t.kind === 'process' && t.pin) unpin(sys, t.pin);
  }
}

/** Step 6, waiting (`-w`): until every signalled process is gone, then the pins are released. */
export async function waitStep(
  sys: System,
  list: WaitList,
  wait: KillallOptions['wait'],
): Promise<WaitResult> {
  try {
    const timeoutMs = typeof wait === 'object' ? wait.timeoutMs : undefined;
    return await waitForExit(sys, list.targets, timeoutMs === undefined ? {} : { timeoutMs });
  } finally {
    list.release(sys);
  }
}

/**
 * Wait pins hold one fd each: keep at most 256 of them, and never more than a quarter of the soft fd limit, so the
 * scan always has fds left. Later targets are waited on by PID, start time and comm.
 */
function waitPinBudget(reader: ProcReader): number {
  const len = reader.readFile('/proc/self/limits');
  if (typeof len !== 'number') return 16;
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(reader.buf.toString('latin1', 0, len));
  const soft = m && m[1] !== 'unlimited' ? Number(m[1]) : 4096;
  return Math.max(0, Math.min(256, Math.floor(soft / 4)));
}

/**
 * The driver: for each candidate in PID order, de-duplicate (`-g`), pin and confirm, ask (`-i`), send, record; then
 * wait. Each candidate is pinned and confirmed right after the scan read it and sent to at once (as psmisc does);
 * at most three fds are open at a time besides wait pins. The loop awaits only the `confirm` callback, so without
 * `-i` the whole run is one synchronous pass.
 */
async function run(o: KillallOptions): Promise<KillReport> {
  const sys = o.system ?? realSystem;
  const signal = resolveSignal(o.signal);
  const reader = new ProcReader(sys);
  checkProc(sys);
  const sel = compileSelection(o, reader);
  const cursor: ScanCursor = { pids: snapshot(reader), next: 0 };
  const ctx: RunContext = {
    sys,
    reader,
    sel,
    signal,
    group: o.processGroup === true,
    interactive: o.confirm !== undefined,
    emit: o.onEvent,
  };
  const tally = new Tally(sel.names.length);
  const handled = new Set<number>();
  const wantWait = o.wait !== undefined && o.wait !== false;
  const waits = wantWait ? new WaitList(waitPinBudget(reader)) : null;

  try {
    for (let c = selectNext(ctx, cursor); c !== null; c = selectNext(ctx, cursor)) {
      if (ctx.group) {
        const g = groupStep(handled, c.pgrp);
        if (g !== 'first') {
          if (c.statFd >= 0) sys.close(c.statFd);
          if (g === 'refused') {
            const target = candidateTarget(c, true);
            tally.refused.push(target);
            ctx.emit?.({ type: 'refused', target, reason: 'process-group-1' });
          }
          continue;
        }
      }
      const v = verify(ctx, c);
      if (v === null) {
        // Gone (or changed) since the scan read it: what psmisc sees as ESRCH, reported only under -i.
        const gone: Target = { pid: c.pid, comm: c.comm, name: c.name, nameIndex: -1 };
        tally.failed.push({ target: gone, code: 'ESRCH' });
        if (ctx.interactive) ctx.emit?.({ type: 'failed', target: gone, code: 'ESRCH' });
        continue;
      }
      let keep = false;
      try {
        if (ctx.group) markGroup(handled, c.pgrp);
        // Step 4, confirmation (-i): after pinning, so a PID reused while the user answers is caught by the kernel.
        if (o.confirm && !(await o.confirm(v.target, signal))) {
          tally.declined.push(v.target);
          continue;
        }
        const result = sendStep(ctx, v);
        recordSend(ctx, tally, v.target, result);
        if (result === 'ok' && waits) keep = waits.add(v, ctx.group);
      } finally {
        if (!keep) unpin(sys, v.pin);
      }
    }
  } catch (e) {
    waits?.release(sys);
    throw e;
  }

  const report = reportOf(ctx, tally);
  ctx.emit?.({ type: 'scanned', report });
  if (!waits || waits.targets.length === 0) return report;
  return { ...report, wait: await waitStep(sys, waits, o.wait) };
}
