/**
 * What the picker needs from the library, as a small interface: list the processes the options select, sample the
 * rows on screen, and signal chosen process instances (identity = PID + start time) with the chosen signal, tree
 * and escalation, reporting per process. {@link libraryBackend} implements it with the library: the selection's
 * own per-process pipeline (`examine`), read incrementally by {@link ProcessSource}, and `signalProcesses` for
 * sending (each process pinned and checked by its start time, so that a process whose PID was reused is never
 * signalled; trees, TERM-then-KILL, `-g`, waits and dry runs as in a plain run).
 */

import { type Criteria, type KillReport, signalProcesses, type Target, wrapResource } from '../../killall.js';
import { ProcReader } from '../../procfs/reader.js';
import type { System } from '../../system.js';
import type { Capabilities, PickRow } from './model.js';
import { ProcessSource } from './source.js';

/** What `--pick` is run with: the selection and the initial choices from the other options. */
export interface PickOptions {
  /** What selects the listed processes (`-u`, `-o`/`-y`, `-n`, `-Z`, NAMEs, …). */
  readonly criteria: Criteria;
  readonly signal?: number;
  readonly tree?: boolean;
  readonly killAfterMs?: number;
  readonly processGroup?: boolean;
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  readonly dryRun?: boolean;
}

/** How the chosen processes are to be signalled. */
export interface SignalChoice {
  readonly signal: number;
  /** Also every descendant (needs {@link Capabilities.tree}; not with `processGroup`). */
  readonly tree: boolean;
  /** SIGKILL to survivors after `killAfterMs` (needs {@link Capabilities.escalation}; not after signal 0 or 9). */
  readonly escalate: boolean;
  readonly killAfterMs: number;
  /** Signal each chosen process's group once (`-g`). */
  readonly processGroup: boolean;
  /** Wait until they are gone (`-w`), bounded by `timeoutMs` when given. */
  readonly wait: boolean;
  readonly timeoutMs?: number;
  /** Send nothing; report what would be sent. */
  readonly dryRun: boolean;
}

/** What happened to one chosen process. */
export interface Outcome {
  readonly row: PickRow;
  /**
   * `signalled`; `escalated` (KILL followed); `escalation-failed` (signalled, but the KILL failed with `code`);
   * `failed` (with `code`, an errno name); `gone` (exited before the signal, or its PID now belongs to another
   * process: nothing sent); `refused` (process group 1); `dry-run`.
   */
  readonly kind: 'signalled' | 'escalated' | 'escalation-failed' | 'failed' | 'gone' | 'refused' | 'dry-run';
  readonly code?: string;
  /** After the send: still running when the report was made (false when it exited or was not signalled). */
  readonly stillRunning: boolean;
  /** With `-g`: the process group signalled. */
  readonly pgid?: number;
  /** With a tree: its descendants signalled (or planned), and how many of them were still running after. */
  readonly descendants?: {
    readonly signalled: number;
    readonly failed: number;
    readonly stillRunning: number;
  };
}

/** The picker's view of the library. */
export interface PickBackend {
  readonly caps: Capabilities;
  /**
   * The selected processes now, in PID order, read incrementally (new PIDs in full, the others in turn: see
   * source.ts). `ports` also brings the ports up to date (the socket tables, and the fds of the processes that need
   * it). `commandLines: false` leaves new rows' command lines for the next call, for a fast first frame.
   */
  list(opts: { readonly ports: boolean; readonly commandLines?: boolean }): Promise<PickRow[]>;
  /**
   * The rows on screen read again (CPU % since their last sample, memory, age, user, command line); rows whose
   * process is gone, or is another process now, are left out (the next list drops or replaces them).
   */
  sample(rows: readonly PickRow[]): Promise<PickRow[]>;
  /** Signals the chosen process instances, each through a pin; never a bare PID. */
  signal(chosen: readonly PickRow[], choice: SignalChoice): Promise<Outcome[]>;
}

/** How long to watch, after sending, to tell "exited" from "still running" (without `-w`). */
const SETTLE_MS = 1000;

/** The backend over the library (see the file comment). */
export function libraryBackend(criteria: Criteria, sys: System, settleMs = SETTLE_MS): PickBackend {
  const reader = new ProcReader(sys);
  const source = new ProcessSource({ ...criteria, system: sys }, reader);

  return {
    caps: { tree: true, escalation: true },

    list: ({ ports, commandLines = true }) => wrapResource(async () => source.list(ports, commandLines)),

    sample: (rows) => wrapResource(async () => source.sample(rows)),

    async signal(chosen, choice) {
      const report = await signalProcesses(
        chosen.map((r) => ({ pid: r.pid, startTime: r.startTime })),
        {
          system: sys,
          signal: choice.signal,
          processGroup: choice.processGroup,
          tree: choice.tree,
          ...(choice.escalate ? { killAfter: choice.killAfterMs } : {}),
          // Without -w, a short bounded wait tells "exited" from "still running"; with -w, --timeout bounds it.
          wait: choice.wait
            ? choice.timeoutMs !== undefined
              ? { timeoutMs: choice.timeoutMs }
              : true
            : { timeoutMs: settleMs },
          dryRun: choice.dryRun,
        },
      );
      return outcomesOf(chosen, report, (pid) => {
        // -g: a later chosen process of a group already signalled is not reported on its own.
        const st = reader.statOf(reader.dirOf(pid));
        return st ? { startTime: st.startTime, pgrp: st.pgrp } : null;
      });
    },
  };
}

/**
 * One outcome per chosen row from `signalProcesses`' report: its own target's fate (signalled, escalated, failed,
 * refused, planned, or not reported: gone), with its descendants counted, and, with `-g`, the outcome of its group
 * for a row whose group was signalled through another chosen process (`groupOf` reads its group now).
 */
export function outcomesOf(
  chosen: readonly PickRow[],
  r: KillReport,
  groupOf: (pid: number) => { readonly startTime: string; readonly pgrp: number } | null,
): Outcome[] {
  const own = (t: Target) => t.descendantOf === undefined;
  const by = <T>(list: readonly T[], get: (x: T) => Target) => {
    const m = new Map<number, T>();
    for (const x of list) if (own(get(x))) m.set(get(x).pid, x);
    return m;
  };
  const signalled = by(r.signalled, (t) => t);
  const planned = by(r.planned, (t) => t);
  const failed = by(r.failed, (f) => f.target);
  const refused = by(r.refused, (t) => t);
  const escalated = by(r.escalated, (e) => e.target);
  const escFailed = by(r.escalationFailed, (e) => e.target);
  const left = new Set(r.stillRunning.map((t) => t.pid));
  const leftGroups = new Set(r.stillRunning.flatMap((t) => (t.pgid !== undefined ? [t.pgid] : [])));
  const running = (t: Target) => left.has(t.pid) || (t.pgid !== undefined && leftGroups.has(t.pgid));
  const byGroup = new Map<number, Outcome>();
  const out: (Outcome | null)[] = chosen.map((row) => {
    const descendants = (list: readonly Target[]) => list.filter((t) => t.descendantOf === row.pid);
    const done = r.dryRun ? descendants(r.planned) : descendants(r.signalled);
    // A descendant that exited between the snapshot and its signal (ESRCH) is not a failure: it is gone.
    const broke = r.failed.filter((f) => f.target.descendantOf === row.pid && f.code !== 'ESRCH').length;
    const tree =
      done.length > 0 || broke > 0
        ? {
            descendants: {
              signalled: done.length,
              failed: broke,
              stillRunning: r.dryRun ? 0 : done.filter(running).length,
            },
          }
        : {};
    const f = failed.get(row.pid);
    const t = signalled.get(row.pid) ?? planned.get(row.pid) ?? refused.get(row.pid);
    if (t && t.startTime !== row.startTime) return { row, kind: 'gone', stillRunning: false };
    const pgid = t?.pgid !== undefined ? { pgid: t.pgid } : {};
    let o: Outcome | null;
    if (f && f.target.startTime === row.startTime)
      o =
        f.code === 'ESRCH'
          ? { row, kind: 'gone', stillRunning: false, ...pgid, ...tree }
          : { row, kind: 'failed', code: f.code, stillRunning: true, ...pgid, ...tree };
    else if (f) o = { row, kind: 'gone', stillRunning: false };
    else if (!t) o = null;
    else if (refused.has(row.pid)) o = { row, kind: 'refused', stillRunning: true, ...pgid };
    else if (r.dryRun) o = { row, kind: 'dry-run', stillRunning: true, ...pgid, ...tree };
    else if (escFailed.has(row.pid))
      o = {
        row,
        kind: 'escalation-failed',
        code: escFailed.get(row.pid)!.code,
        stillRunning: true,
        ...pgid,
        ...tree,
      };
    else
      o = {
        row,
        kind: escalated.has(row.pid) ? 'escalated' : 'signalled',
        stillRunning: running(t),
        ...pgid,
        ...tree,
      };
    if (o && o.pgid !== undefined && !byGroup.has(o.pgid)) byGroup.set(o.pgid, o);
    return o;
  });
  return out.map((o, i) => {
    if (o) return o;
    const row = chosen[i]!;
    const g = groupOf(row.pid);
    if (!g || g.startTime !== row.startTime) return { row, kind: 'gone', stillRunning: false };
    // signalProcesses skips group 1 without reporting it (a plain run reports it as refused).
    if (g.pgrp <= 1) return { row, kind: 'refused', stillRunning: true, pgid: g.pgrp };
    const same = byGroup.get(g.pgrp);
    return same ? { ...same, row } : { row, kind: 'gone', stillRunning: false };
  });
}
