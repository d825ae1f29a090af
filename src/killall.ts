import { compileNames, compileRegex, examine, type NameSpec, type Selection, scan } from './engine.js';
import { KillallError } from './errors.js';
import { ProcReader, ResourceError } from './procfs/reader.js';
import { validateSignal } from './signal/pid.js';
import { openPin, type Pin, pinDir, type SendResult, sendGroup, sendPinned, unpin } from './signal/send.js';
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
 * Finds processes as psmisc's killall does and signals each one through a pin of its /proc directory
 * (pidfd_send_signal), so a PID reused between scan and send is never hit. Never prints, never exits.
 */
export function killall(options: KillallOptions): Promise<KillReport> {
  return wrapResource(() => run(options));
}

async function run(o: KillallOptions): Promise<KillReport> {
  const sys = o.system ?? realSystem;
  const signal = resolveSignal(o.signal);
  const reader = new ProcReader(sys);
  checkProc(sys);
  const sel = compileSelection(o, reader);
  const pids = snapshot(reader);
  const emit = o.onEvent ?? (() => {});
  const found = new Array<boolean>(sel.names.length).fill(false);
  const signalled: Target[] = [];
  const failed: { target: Target; code: string }[] = [];
  const declined: Target[] = [];
  const refused: Target[] = [];
  const waitTargets: WaitTarget[] = [];
  const seenGroups = new Set<number>();
  const group = o.processGroup === true;
  const interactive = o.confirm !== undefined;
  const wantWait = o.wait !== undefined && o.wait !== false;
  const maxWaitPins = wantWait ? waitPinBudget(reader) : 0;
  let waitPins = 0;

  // A candidate from the scan is pinned, then confirmed through the pin: the same instance (start time, as read by
  // the scan) that still matches, read from the very process the signal will reach.
  const onCandidate = async (pid: number, comm: Buffer, name: Buffer, startTime: string): Promise<void> => {
    const fd = openPin(sys, pid);
    let m = fd === null ? null : examine(reader, sel, pid, pinDir(fd));
    if (m !== null && m.stat.startTime !== startTime) m = null;
    if (m === null) {
      if (fd !== null) sys.close(fd);
      // Gone (or changed) since the scan read it: what psmisc sees as ESRCH, reported only under -i.
      const gone: Target = { pid, comm, name, nameIndex: -1 };
      failed.push({ target: gone, code: 'ESRCH' });
      if (interactive) emit({ type: 'failed', target: gone, code: 'ESRCH' });
      return;
    }
    let held: Pin | null = { pid, fd: fd!, startTime: m.stat.startTime, comm: m.comm };
    const target: Target = {
      pid,
      comm: m.comm,
      name: m.longName ?? m.comm,
      nameIndex: m.nameIndex,
      ...(group ? { pgid: m.stat.pgrp } : {}),
    };
    try {
      if (group) {
        const pgid = m.stat.pgrp;
        // psmisc's zeroed pgid table makes group 0 a duplicate; it is never signalled here either.
        if (pgid <= 0 || seenGroups.has(pgid)) return;
        seenGroups.add(pgid);
        if (pgid === 1) {
          refused.push(target);
          emit({ type: 'refused', target, reason: 'process-group-1' });
          return;
        }
      }
      if (o.confirm && !(await o.confirm(target, signal))) {
        declined.push(target);
        return;
      }
      const result: SendResult = group
        ? sendGroup(sys, target.pgid!, signal)
        : sendPinned(sys, held, signal, reader);
      if (result !== 'ok') {
        failed.push({ target, code: result });
        if (result !== 'ESRCH' || interactive) emit({ type: 'failed', target, code: result });
        return;
      }
      signalled.push(target);
      if (m.nameIndex >= 0) found[m.nameIndex] = true;
      emit({ type: 'signalled', target, signal });
      if (!wantWait) return;
      if (group) {
        waitTargets.push({ kind: 'group', pgid: target.pgid! });
        return;
      }
      const keep = waitPins < maxWaitPins;
      waitTargets.push({
        kind: 'process',
        pid,
        startTime: m.stat.startTime,
        comm: m.comm,
        ...(keep ? { pin: held } : {}),
      });
      if (keep) {
        waitPins++;
        held = null;
      }
    } finally {
      if (held) unpin(sys, held);
    }
  };

  await scan(reader, sel, pids, {
    partial: (pid, comm) => emit({ type: 'partial', pid, comm }),
    candidate: onCandidate,
  });

  const names = sel.names.map((n, i) => ({ name: n.raw, found: found[i]! }));
  const report: KillReport = {
    signal,
    names,
    signalled,
    failed,
    declined,
    refused,
    unreadable: reader.denied,
    ok: names.length > 0 ? names.every((n) => n.found) : signalled.length > 0,
  };
  emit({ type: 'scanned', report });
  if (!wantWait || waitTargets.length === 0) return report;
  try {
    const timeoutMs = typeof o.wait === 'object' ? o.wait.timeoutMs : undefined;
    const wait = await waitForExit(sys, waitTargets, timeoutMs === undefined ? {} : { timeoutMs });
    return { ...report, wait };
  } finally {
    for (const t of waitTargets) if (t.kind === 'process' && t.pin) unpin(sys, t.pin);
  }
}
