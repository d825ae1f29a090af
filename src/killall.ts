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
import { type ExplainOptions, withExplain } from './explain/index.js';
import { processAge } from './match/age.js';
import type {
  ExtensionEvent,
  ExtensionOptions,
  ExtensionReport,
  TargetExtras,
  WaitOutcome,
} from './outcome.js';
import { readDetails } from './procfs/describe.js';
import { portInodes } from './procfs/fds.js';
import { readLinks } from './procfs/links.js';
import { ProcReader, ResourceError } from './procfs/reader.js';
import { isKernelThread, type StatInfo } from './procfs/stat.js';
import { afterSend } from './signal/after.js';
import { SendBatch } from './signal/batch.js';
import { validateSignal } from './signal/pid.js';
import type { MassSignalPolicy } from './signal/policy.js';
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
import type { WaitTarget } from './signal/wait.js';
import { realSystem, type System } from './system.js';
import { MAX_DURATION_MS } from './text/duration.js';
import { codeOf } from './text/strerror.js';
import { utf8Text } from './text/utf8.js';
import { childrenIndex, descendantsOf, type ProcLink } from './tree.js';

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
  /** Narrate the run as strace would show it, with the decisions written in (`--explain`): see docs/explain.md. */
  readonly explain?: ExplainOptions;
}

/** A process that was (or was to be) signalled. */
export interface Target extends TargetExtras {
  /** The PID that matched. */
  readonly pid: number;
  /** The process group signalled instead, with `processGroup`. */
  readonly pgid?: number;
  /** The stat comm, raw bytes. */
  readonly comm: Uint8Array;
  /** The name psmisc shows: the long name when there is one, else comm (raw bytes). */
  readonly name: Uint8Array;
  /** `comm` as text (UTF-8, invalid bytes as U+FFFD): process-controlled, escape it before printing. */
  readonly commText: string;
  /** `name` as text (UTF-8, invalid bytes as U+FFFD): process-controlled, escape it before printing. */
  readonly nameText: string;
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
  | { readonly type: 'scanned'; readonly report: KillReport }
  | ExtensionEvent<Target>;

/** How to signal, shared by {@link killall} and {@link signalProcesses}. */
export interface SignalOptions extends ExtensionOptions {
  /** A number, or a name with or without `SIG` (`TERM`, `SIGKILL`). @default 15 (SIGTERM) */
  readonly signal?: number | string;
  /** Signal each matching process group once (`kill(-pgid)`) instead of the process (`-g`). @default false */
  readonly processGroup?: boolean;
  /** Asked before each signal; false skips that target (`-i`). */
  readonly confirm?: (target: Target, signal: number) => boolean | Promise<boolean>;
  /**
   * Wait until every signalled process is gone (zombies count as gone). `true` waits without limit; `timeoutMs`
   * stops waiting then, with what still runs in the report's `stillRunning` (and `ok` false). With `killAfter`,
   * `timeoutMs` bounds the wait after SIGKILL.
   */
  readonly wait?: boolean | { readonly timeoutMs?: number };
  /** Called for every event as it happens. */
  readonly onEvent?: (event: KillEvent) => void;
}

/** Options of {@link killall}: what to select and how to signal it. `N` is the type of the NAMEs given. */
export interface KillallOptions<N extends NameInput = NameInput> extends Criteria, SignalOptions {
  /** {@link Criteria.names}: the report gives each one back as it was given. */
  readonly names?: readonly N[];
}

/** What happened to one NAME. */
export interface NameResult<N extends NameInput = NameInput> {
  /** The NAME as it was given: a string stays a string, bytes stay bytes. */
  readonly name: N;
  /** True when at least one process counting for this NAME was signalled successfully. */
  readonly found: boolean;
}

/** What {@link killall} did, as data. `N` is the type of the NAMEs given. */
export interface KillReport<N extends NameInput = NameInput> extends ExtensionReport<Target> {
  /** The signal number sent. */
  readonly signal: number;
  /** Per NAME, in the order given. */
  readonly names: readonly NameResult<N>[];
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
  /**
   * psmisc's success rule: every NAME found, or (without names) anything signalled; a dry run counts what it would
   * have signalled. Also false when a SIGKILL of `killAfter` failed or a bounded wait left processes running.
   */
  readonly ok: boolean;
  /** Present when waiting was asked for (`wait`, or `killAfter`). */
  readonly wait?: WaitOutcome;
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
  // Port NAMEs: the socket tables are read once, before the scan.
  for (const n of names) if (n.kind === 'port') n.inodes = portInodes(reader, n.port);
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
  /** The caller's event sink, when there is one (a run that batches its sends wraps it, see SendBatch). */
  emit: ((e: KillEvent) => void) | undefined;
}

/** A candidate pinned and confirmed to be the instance the scan read, and to match still. */
export interface Verified {
  readonly target: Target;
  /** The pin the signal goes through. */
  readonly pin: Pin;
  /** The stat read through the pin, when the step that pinned it kept it (so `details` need not read it again). */
  readonly stat?: StatInfo;
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
  const t: Target = {
    pid: c.pid,
    comm: c.comm,
    name: c.name,
    commText: utf8Text(c.comm),
    nameText: c.name === c.comm ? utf8Text(c.comm) : utf8Text(c.name),
    nameIndex: c.nameIndex,
    startTime: c.startTime,
  };
  return group ? { ...t, pgid: c.pgrp } : t;
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
  const name = m.longName ?? m.comm;
  return {
    target: {
      pid: c.pid,
      comm: m.comm,
      name,
      commText: utf8Text(m.comm),
      nameText: utf8Text(name),
      nameIndex: m.nameIndex,
      startTime: m.stat.startTime,
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

/** Wait targets, with pins kept for at most `budget` of them (see {@link waitPinBudget}). */
export class WaitList {
  readonly targets: WaitTarget[] = [];
  /** What each wait target stands for in the report (same index as `targets`). */
  readonly owners: Target[] = [];
  private pins = 0;
  /** @param budget the most pins it keeps */
  constructor(readonly budget: number) {}

  /** Adds what was signalled; returns true when it keeps `v`'s pin (then the caller must not release it). */
  add(v: Verified, group: boolean): boolean {
    this.owners.push(v.target);
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

/** The highest signal number Linux has (SIGRTMAX, _NSIG - 1). */
const SIGNAL_MAX = 64;

/**
 * The checks the library can make before reading anything (KillallError BAD_OPTION): a signal number outside 0-64
 * (unless `psmiscSignals`: the CLI sends what psmisc would and reports the kernel's EINVAL per process), `killAfter`
 * with signal 0 or 9 or outside 1 ms-24 days, `tree` with `processGroup`, `wait.timeoutMs` outside 0-24 days.
 */
export function checkSignalOptions(o: SignalOptions, signal: number, psmiscSignals: boolean): void {
  const bad = (message: string, subject: string): KillallError =>
    new KillallError('BAD_OPTION', message, subject, { subject });
  if (!psmiscSignals && (signal < 0 || signal > SIGNAL_MAX))
    throw bad(`${signal}: not a signal number (0 to ${SIGNAL_MAX})`, String(signal));
  const ms = (v: unknown): boolean => typeof v === 'number' && v > 0 && v <= MAX_DURATION_MS;
  if (o.killAfter !== undefined) {
    if (!ms(o.killAfter))
      throw bad(`killAfter: ${o.killAfter}: not a duration (1 ms to 24 days)`, 'killAfter');
    if (signal === 0 || signal === 9)
      throw bad(`killAfter: nothing to escalate after signal ${signal}`, 'killAfter');
  }
  const timeoutMs = typeof o.wait === 'object' ? o.wait.timeoutMs : undefined;
  if (timeoutMs !== undefined && !(ms(timeoutMs) || timeoutMs === 0))
    throw bad(`wait.timeoutMs: ${timeoutMs}: not a duration (0 to 24 days)`, 'wait.timeoutMs');
  if (o.tree === true && o.processGroup === true)
    throw bad('tree and processGroup cannot be combined', 'tree');
}

/** The state of the extensions during one run. */
interface ExtState {
  readonly dryRun: boolean;
  /** `-w` or `killAfter` (not with a dry run): what is signalled is kept for {@link afterStep}. */
  readonly wantWait: boolean;
  readonly details: boolean;
  /** `tree`: children by parent, and the PIDs never signalled as descendants (ourselves and our ancestors). */
  readonly tree: { readonly children: Map<number, ProcLink[]>; readonly skip: ReadonlySet<number> } | null;
  /** `-g --dry-run`: members by group. */
  readonly members: Map<number, number[]> | null;
  /** PIDs already handled as a descendant: true when signalled (or planned), false when declined or failed. */
  readonly treeDone: Map<number, boolean>;
  readonly planned: Target[];
  firstSendAt: number | undefined;
  uptime: number | undefined;
}

function extState(ctx: RunContext, o: SignalOptions, pids: readonly string[] | null): ExtState {
  const dryRun = o.dryRun === true;
  let links: ProcLink[] | null = null;
  const needLinks = pids !== null && (o.tree === true || (dryRun && ctx.group));
  if (needLinks) links = readLinks(ctx.reader, pids);
  let tree: ExtState['tree'] = null;
  if (o.tree === true) {
    // Both callers pass the PID snapshot with `tree`. The library's default selection already holds our ancestors.
    const skip = new Set(ctx.sel.exclude.size > 0 ? ctx.sel.exclude : ancestors(ctx.reader));
    skip.add(ctx.sys.pid);
    tree = { children: childrenIndex(links!), skip };
  }
  let members: Map<number, number[]> | null = null;
  if (dryRun && ctx.group && links) {
    members = new Map();
    for (const l of links) {
      const list = members.get(l.pgrp);
      if (list) list.push(l.pid);
      else members.set(l.pgrp, [l.pid]);
    }
  }
  return {
    dryRun,
    wantWait: !dryRun && ((o.wait !== undefined && o.wait !== false) || o.killAfter !== undefined),
    details: o.details === true,
    tree,
    members,
    treeDone: new Map(),
    planned: [],
    firstSendAt: undefined,
    uptime: undefined,
  };
}

/** Adds what `details` and `-g --dry-run` show, read through the pin (so it is the pinned instance's). */
function enrich(ctx: RunContext, ext: ExtState, t: Target, fd: number, stat?: StatInfo): Target {
  let out = t;
  if (ext.details) {
    const dir = pinDir(fd);
    const st = stat ?? ctx.reader.statOf(dir);
    ext.uptime ??= ctx.reader.readUptime();
    const d = readDetails(ctx.reader, dir);
    out = {
      ...out,
      ...d,
      ...(st ? { ppid: st.ppid } : {}),
      ...(st && ext.uptime !== undefined
        ? { age: processAge(ext.uptime, Number(st.startTime), ctx.sel.clockTicks) }
        : {}),
    };
  }
  if (ext.members && t.pgid !== undefined) out = { ...out, members: ext.members.get(t.pgid) ?? [t.pid] };
  return out;
}

/**
 * `tree`: the descendants of a selected process from the snapshot's ppid links, parents before children, each
 * pinned and confirmed by the start time the link pass read (a PID reused since is not touched), without kernel
 * threads, ourselves or our ancestors, and without processes already handled.
 */
function pinDescendants(ctx: RunContext, ext: ExtState, root: Target): Verified[] {
  if (!ext.tree) return [];
  const out: Verified[] = [];
  try {
    collectDescendants(ctx, ext, root, out);
  } catch (e) {
    // EMFILE and the like: release what was pinned so far, then fail as the scan does.
    for (const v of out) unpin(ctx.sys, v.pin);
    throw e;
  }
  return out;
}

function collectDescendants(ctx: RunContext, ext: ExtState, root: Target, out: Verified[]): void {
  for (const l of descendantsOf(root.pid, ext.tree!.children, ext.tree!.skip)) {
    if (ext.treeDone.has(l.pid)) continue;
    const v = pinByStartTime(ctx, l.pid, l.startTime, { descendantOf: root.pid });
    if (v === null) continue;
    if (isKernelThread(v.stat!)) {
      ctx.sys.close(v.pin.fd);
      continue;
    }
    out.push({ ...v, target: enrich(ctx, ext, v.target, v.pin.fd, v.stat) });
  }
}

/**
 * Pins a process known by PID and start time (a `tree` descendant from the link pass, a {@link signalProcesses}
 * entry) and confirms it by the start time read through the pin; null (the pin closed) when the PID is gone or now
 * holds another process. The target is named by its comm; `extra` is added to it.
 */
function pinByStartTime(
  ctx: RunContext,
  pid: number,
  startTime: string,
  extra: Partial<Target> = {},
): Verified | null {
  const fd = openPin(ctx.sys, pid);
  if (fd === null) return null;
  const st = ctx.reader.statOf(pinDir(fd));
  if (st === null || st.startTime !== startTime) {
    ctx.sys.close(fd);
    return null;
  }
  return {
    target: {
      pid,
      comm: st.comm,
      name: st.comm,
      commText: utf8Text(st.comm),
      nameText: utf8Text(st.comm),
      nameIndex: -1,
      startTime: st.startTime,
      ppid: st.ppid,
      ...extra,
    },
    pin: { pid, fd, startTime: st.startTime, comm: st.comm },
    stat: st,
  };
}

/**
 * Step 5's bookkeeping for one confirmed target once {@link sendStep} sent to it: record the outcome, and keep what
 * was signalled for the wait (`-w`, `killAfter`). `descendant`: a `tree` descendant (its outcome is noted for the
 * scan). True when the wait list keeps the pin (the caller must then not release it).
 */
function recordOne(
  ctx: RunContext,
  ext: ExtState,
  tally: Tally,
  waits: WaitList,
  x: Verified,
  descendant: boolean,
  result: SendResult,
): boolean {
  recordSend(ctx, tally, x.target, result);
  if (descendant) ext.treeDone.set(x.target.pid, result === 'ok');
  if (result !== 'ok') return false;
  ext.firstSendAt ??= Date.now();
  if (!ext.wantWait) return false;
  return waits.add(x, ctx.group);
}

/**
 * Steps 4 and 5 for one confirmed target (and, with `tree`, its descendants): plan it (dry run), or ask (`-i`,
 * once per tree) and send, parent first, recording each outcome and keeping what is waited for. Releases every pin
 * not kept for the wait.
 */
async function handleVerified(
  ctx: RunContext,
  ext: ExtState,
  tally: Tally,
  waits: WaitList,
  v: Verified,
  confirm: SignalOptions['confirm'],
): Promise<void> {
  let descendants: Verified[] = [];
  let target: Target;
  try {
    descendants = pinDescendants(ctx, ext, v.target);
    const base = ext.tree ? { ...v.target, descendants: descendants.length } : v.target;
    target = enrich(ctx, ext, base, v.pin.fd, v.stat);
  } catch (e) {
    // A resource error while reading: release every pin taken for this target, then fail as the scan does.
    unpin(ctx.sys, v.pin);
    for (const d of descendants) unpin(ctx.sys, d.pin);
    throw e;
  }
  for (const d of descendants) ext.treeDone.set(d.target.pid, false);
  const root: Verified = { pin: v.pin, target };
  const all = [root, ...descendants];
  const kept = new Set<Verified>();
  try {
    if (ext.dryRun) {
      for (const x of all) {
        ext.planned.push(x.target);
        if (x.target.nameIndex >= 0) tally.found[x.target.nameIndex] = true;
        if (x !== root) ext.treeDone.set(x.target.pid, true);
        ctx.emit?.({ type: 'planned', target: x.target, signal: ctx.signal });
      }
      return;
    }
    // Step 4, confirmation (-i): after pinning, so a PID reused while the user answers is caught by the kernel.
    if (confirm && !(await confirm(root.target, ctx.signal))) {
      for (const x of all) tally.declined.push(x.target);
      return;
    }
    for (const x of all) if (recordOne(ctx, ext, tally, waits, x, x !== root, sendStep(ctx, x))) kept.add(x);
  } finally {
    for (const x of all) if (!kept.has(x)) unpin(ctx.sys, x.pin);
  }
}

/** Builds the report from the tally (before waiting). */
function reportOf(ctx: RunContext, tally: Tally, ext: ExtState, names: readonly NameResult[]): KillReport {
  const done = tally.signalled.length + ext.planned.length;
  return {
    signal: ctx.signal,
    names,
    signalled: tally.signalled,
    failed: tally.failed,
    declined: tally.declined,
    refused: tally.refused,
    unreadable: ctx.reader.denied,
    ok: names.length > 0 ? names.every((n) => n.found) : done > 0,
    dryRun: ext.dryRun,
    planned: ext.planned,
    escalated: [],
    escalationFailed: [],
    stillRunning: [],
  };
}

/** Step 6, after sending: `-w`, `killAfter`'s escalation, bounded waits; the pins are released at the end. */
async function afterStep(
  ctx: RunContext,
  o: SignalOptions,
  ext: ExtState,
  waits: WaitList,
  report: KillReport,
): Promise<KillReport> {
  if (!ext.wantWait || waits.targets.length === 0) {
    waits.release(ctx.sys);
    return report;
  }
  const owner = (i: number): Target => waits.owners[i]!;
  let r: Awaited<ReturnType<typeof afterSend>>;
  try {
    const timeoutMs = typeof o.wait === 'object' ? o.wait.timeoutMs : undefined;
    r = await afterSend(ctx.sys, ctx.reader, waits.targets, {
      ...(o.killAfter !== undefined ? { killAfterMs: o.killAfter } : {}),
      firstSendAt: ext.firstSendAt ?? Date.now(),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
      onEscalation: (i, result, afterMs) => {
        if (result === 'ok') ctx.emit?.({ type: 'escalated', target: owner(i), signal: 9, afterMs });
        else if (result !== 'ESRCH')
          ctx.emit?.({ type: 'escalation-failed', target: owner(i), code: result });
      },
    });
  } finally {
    waits.release(ctx.sys);
  }
  const escalated = r.escalated.map((e) => ({ target: owner(e.index), afterMs: e.afterMs }));
  const escalationFailed = r.escalationFailed.map((e) => ({ target: owner(e.index), code: e.code }));
  const stillRunning = r.remaining.map(owner);
  return {
    ...report,
    ok: report.ok && escalationFailed.length === 0 && stillRunning.length === 0,
    escalated,
    escalationFailed,
    stillRunning,
    wait: {
      remaining: r.remaining.map((i) => waits.targets[i]!),
      elapsedMs: r.elapsedMs,
      timedOut: r.timedOut,
      aborted: r.aborted,
    },
  };
}

/**
 * Finds processes as psmisc's killall does and signals each one through a pin of its /proc directory
 * (pidfd_send_signal), so a PID reused between scan and send is never hit. Never prints, never exits. Throws
 * KillallError BAD_OPTION for options it can tell are wrong before reading anything (see {@link SignalOptions}).
 */
export function killall<N extends NameInput = NameInput>(options: KillallOptions<N>): Promise<KillReport<N>> {
  return wrapResource(() => withExplain(options, (o) => run(o, false))) as Promise<KillReport<N>>;
}

/**
 * {@link killall} as the CLI calls it: any int32 signal goes to the kernel, as psmisc sends it (EINVAL per process).
 * With `policy` (the CLI's, never the library's), a plain run without `-i` and `-g` holds its confirmed pins and
 * sends after the scan, a mass signal's loop raised as the policy allows (see SendBatch); without it, it sends as it
 * scans.
 */
export function killallPsmiscSignals(
  options: KillallOptions,
  policy?: MassSignalPolicy,
): Promise<KillReport> {
  return wrapResource(() => withExplain(options, (o) => run(o, true, policy)));
}

/**
 * Wait pins hold one fd each: keep at most 256 of them, and never more than a quarter of the soft fd limit, so the
 * scan always has fds left. Later targets are waited on by PID and start time (never by comm: see processGone).
 */
function waitPinBudget(softLimit: number): number {
  return Math.max(0, Math.min(256, Math.floor(softLimit / 4)));
}

/** The soft limit on open fds, from /proc/self/limits (64 when it cannot be read, 4,096 for unlimited). */
function softFdLimit(reader: ProcReader): number {
  const len = reader.readFile('/proc/self/limits');
  if (typeof len !== 'number') return 64;
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(reader.buf.toString('latin1', 0, len));
  return m && m[1] !== 'unlimited' ? Number(m[1]) : 4096;
}

/** The context every step of a run shares: the seam, the reader, the compiled selection and the signal options. */
function runContext(reader: ProcReader, sel: Selection, signal: number, o: SignalOptions): RunContext {
  return {
    sys: reader.sys,
    reader,
    sel,
    signal,
    group: o.processGroup === true,
    interactive: o.confirm !== undefined && o.dryRun !== true,
    emit: o.onEvent,
  };
}

/**
 * The driver: for each candidate in PID order, de-duplicate (`-g`), pin and confirm, ask (`-i`), send, record; then
 * wait. Each candidate is pinned and confirmed right after the scan read it. It is sent to at once (as psmisc does,
 * with at most three fds open at a time besides wait pins), except with a {@link MassSignalPolicy} (the CLI's)
 * without `-i` and `-g`: there confirmed pins are held and sent to after the scan, see SendBatch. The loop
 * awaits only the `confirm` callback, so without `-i` the whole run is one synchronous pass.
 */
async function run(
  o: KillallOptions,
  psmiscSignals: boolean,
  policy?: MassSignalPolicy,
): Promise<KillReport> {
  o.abortSignal?.throwIfAborted();
  const sys = o.system ?? realSystem;
  const signal = resolveSignal(o.signal);
  checkSignalOptions(o, signal, psmiscSignals);
  const reader = new ProcReader(sys);
  checkProc(sys);
  const sel = compileSelection(o, reader);
  const cursor: ScanCursor = { pids: snapshot(reader), next: 0 };
  const ctx = runContext(reader, sel, signal, o);
  const ext = extState(ctx, o, cursor.pids);
  const tally = new Tally(sel.names.length);
  const handled = new Set<number>();
  // The soft fd limit, read once (by the wait list or a growing batch) if at all.
  let limit: number | undefined;
  const fdLimit = (): number => {
    limit ??= softFdLimit(reader);
    return limit;
  };
  const waits = new WaitList(ext.wantWait ? waitPinBudget(fdLimit()) : 0);
  // Without tree, dry run, details and -g --dry-run members, a confirmed candidate goes straight to the send (no
  // per-match promise, closure or array): the fast path of plain `killall NAME` with -s/-q/-v/-i/-w.
  const plain = ext.tree === null && !ext.dryRun && !ext.details && ext.members === null;
  // Without -i and -g, and only with the CLI's policy, confirmed candidates are held and sent to in batches (see
  // SendBatch).
  const batch =
    plain && !o.confirm && !ctx.group && policy !== undefined
      ? new SendBatch<Verified>({
          sys,
          policy,
          send: (v) => sendStep(ctx, v),
          record: (v, r) => recordOne(ctx, ext, tally, waits, v, false, r),
          closeInLoop: !ext.wantWait,
          waitPins: waits.budget,
          noWait: !ext.wantWait,
          fdLimit,
        })
      : null;
  if (batch && ctx.emit) {
    // An event of the scan (-e's skips) comes after the sends of the matches before it, as in psmisc's output.
    const emit = ctx.emit;
    ctx.emit = (e) => {
      if (e.type === 'partial') batch.flush();
      emit(e);
    };
  }

  try {
    for (let c = selectNext(ctx, cursor); c !== null; c = selectNext(ctx, cursor)) {
      const done = ext.treeDone.get(c.pid);
      if (done !== undefined) {
        // Already signalled (or planned) as a descendant of an earlier match: signalled once, credited as a match.
        if (c.statFd >= 0) sys.close(c.statFd);
        if (done && c.nameIndex >= 0) tally.found[c.nameIndex] = true;
        continue;
      }
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
        const gone: Target = { ...candidateTarget(c, false), nameIndex: -1 };
        tally.failed.push({ target: gone, code: 'ESRCH' });
        if (ctx.interactive) ctx.emit?.({ type: 'failed', target: gone, code: 'ESRCH' });
        continue;
      }
      if (ctx.group) markGroup(handled, c.pgrp);
      if (!plain) {
        await handleVerified(ctx, ext, tally, waits, v, ext.dryRun ? undefined : o.confirm);
        continue;
      }
      if (batch) {
        batch.add(v);
        continue;
      }
      let keep = false;
      try {
        // Step 4, confirmation (-i): after pinning, so a PID reused while the user answers is caught by the kernel.
        if (o.confirm && !(await o.confirm(v.target, signal))) {
          tally.declined.push(v.target);
          continue;
        }
        keep = recordOne(ctx, ext, tally, waits, v, false, sendStep(ctx, v));
      } finally {
        if (!keep) unpin(sys, v.pin);
      }
    }
    batch?.flush(true);
  } catch (e) {
    try {
      // What was found before the error is signalled, as psmisc (which sends as it scans) would have.
      batch?.flush();
    } finally {
      batch?.release();
      waits.release(sys);
    }
    throw e;
  }

  // Each NAME comes back as it was given (a string stays a string).
  const given = o.names ?? [];
  const names = sel.names.map((n, i) => ({ name: given[i] ?? n.raw, found: tally.found[i]! }));
  const report = reportOf(ctx, tally, ext, names);
  ctx.emit?.({ type: 'scanned', report });
  return afterStep(ctx, o, ext, waits, report);
}

/** A process to signal by its identity: the PID and the start time read with it (as {@link findProcesses} gives). */
export interface ProcessRef {
  readonly pid: number;
  /** Stat field 22, clock ticks after boot, as digits. */
  readonly startTime: string;
}

/** Options of {@link signalProcesses}. */
export interface SignalProcessesOptions extends SignalOptions {
  /** The OS seam; tests pass a fake. @default realSystem */
  readonly system?: System;
}

/**
 * Signals processes chosen by any means (a `findProcesses` result filtered in JS, say), race-free: each one is
 * pinned and its start time read through the pin must equal `startTime`, else it is not signalled (reported in
 * `failed` with ESRCH: the process it names is gone, whether or not its PID was reused). Everything else is
 * {@link killall}'s: `signal`, `processGroup`, `confirm`, `wait`, `killAfter`, `tree`, `dryRun`, `details`,
 * `abortSignal`, events. `names` is empty; `ok` is true when every process was signalled (or planned).
 */
export function signalProcesses(
  processes: readonly ProcessRef[],
  options: SignalProcessesOptions = {},
): Promise<KillReport> {
  return wrapResource(() => signalRun(processes, options));
}

async function signalRun(processes: readonly ProcessRef[], o: SignalProcessesOptions): Promise<KillReport> {
  o.abortSignal?.throwIfAborted();
  const sys = o.system ?? realSystem;
  const signal = resolveSignal(o.signal);
  checkSignalOptions(o, signal, false);
  for (const p of processes) {
    if (
      !Number.isSafeInteger(p.pid) ||
      p.pid <= 0 ||
      typeof p.startTime !== 'string' ||
      !/^\d+$/.test(p.startTime)
    )
      throw new KillallError(
        'BAD_OPTION',
        `not a process identity: ${String(p.pid)}/${String(p.startTime)}`,
        'processes',
        {
          subject: 'processes',
        },
      );
  }
  const reader = new ProcReader(sys);
  checkProc(sys);
  const sel = compileSelection({ system: sys, kernelThreads: true, excludeAncestors: false }, reader);
  const ctx = runContext(reader, sel, signal, o);
  const needPids = o.tree === true || (o.dryRun === true && ctx.group);
  const ext = extState(ctx, o, needPids ? snapshot(reader) : null);
  const tally = new Tally(0);
  const handled = new Set<number>();
  const waits = new WaitList(ext.wantWait ? waitPinBudget(softFdLimit(reader)) : 0);
  try {
    for (const p of processes) {
      if (ext.treeDone.has(p.pid)) continue;
      const v = pinByStartTime(ctx, p.pid, p.startTime);
      if (v === null) {
        const gone: Target = {
          pid: p.pid,
          comm: Buffer.alloc(0),
          name: Buffer.alloc(0),
          commText: '',
          nameText: '',
          nameIndex: -1,
          startTime: p.startTime,
        };
        tally.failed.push({ target: gone, code: 'ESRCH' });
        ctx.emit?.({ type: 'failed', target: gone, code: 'ESRCH' });
        continue;
      }
      const st = v.stat!;
      const target: Target = ctx.group ? { ...v.target, pgid: st.pgrp } : v.target;
      if (ctx.group) {
        const g = groupStep(handled, st.pgrp);
        if (g !== 'first') {
          sys.close(v.pin.fd);
          // Group 1 would reach every process: refused and reported, as killall() does.
          if (g === 'refused') {
            tally.refused.push(target);
            ctx.emit?.({ type: 'refused', target, reason: 'process-group-1' });
          }
          continue;
        }
        markGroup(handled, st.pgrp);
      }
      await handleVerified(ctx, ext, tally, waits, { ...v, target }, ext.dryRun ? undefined : o.confirm);
    }
  } catch (e) {
    waits.release(sys);
    throw e;
  }
  const report = reportOf(ctx, tally, ext, []);
  const done = tally.failed.length === 0 && tally.declined.length === 0 && tally.refused.length === 0;
  const r = { ...report, ok: done && tally.signalled.length + ext.planned.length > 0 };
  ctx.emit?.({ type: 'scanned', report: r });
  return afterStep(ctx, o, ext, waits, r);
}
