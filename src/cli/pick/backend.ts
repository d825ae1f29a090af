/**
 * What the picker needs from the library, as a small interface: list the processes the options select, and signal
 * chosen process instances (identity = PID + start time) with the chosen signal, tree and escalation, reporting per
 * process. {@link libraryBackend} implements it with what the library has today: `findProcesses` for the
 * selection, and the library's pins (`openPin`, `pinnedIs`, `sendPinned`, `sendGroup`, `waitForExit`) for sending,
 * so that a process whose PID was reused is never signalled.
 *
 * Trees and TERM-then-KILL escalation come with the library's `signalProcesses(processes, options)` (ext branch,
 * issue 8). Until then this backend reports them as unavailable and the picker disables those switches.
 */

import { findProcesses } from '../../find.js';
import type { Criteria } from '../../killall.js';
import { ProcReader } from '../../procfs/reader.js';
import { parseRealUid } from '../../procfs/status.js';
import { openPin, type Pin, pinDir, pinnedIs, sendGroup, sendPinned } from '../../signal/send.js';
import { type WaitTarget, waitForExit } from '../../signal/wait.js';
import type { System } from '../../system.js';
import { escapeName } from '../../text/escape.js';
import type { Capabilities, PickRow, PortInfo } from './model.js';
import { rowId } from './model.js';
import {
  formatCmdline,
  parsePasswdUids,
  parseSocketTable,
  parseStatTimes,
  parseVmRssKiB,
  socketInode,
} from './procinfo.js';
import { cellText } from './width.js';

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
  /** Also every descendant (needs {@link Capabilities.tree}). */
  readonly tree: boolean;
  /** SIGKILL to survivors after `killAfterMs` (needs {@link Capabilities.escalation}). */
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
   * `signalled`; `escalated` (KILL followed); `failed` (with `code`, an errno name); `gone` (exited before the
   * signal, or its PID now belongs to another process: nothing sent); `refused` (process group 1); `dry-run`.
   */
  readonly kind: 'signalled' | 'escalated' | 'failed' | 'gone' | 'refused' | 'dry-run';
  readonly code?: string;
  /** After the send: still running when the report was made (false when it exited or was not signalled). */
  readonly stillRunning: boolean;
  /** With `-g`: the process group signalled. */
  readonly pgid?: number;
}

/** The picker's view of the library. */
export interface PickBackend {
  readonly caps: Capabilities;
  /**
   * The selected processes now, in PID order. `ports` also reads the socket tables and every process's fds
   * (slower); `detailed` limits the per-process reads (user, memory, age, command line) to the first rows, for a
   * fast first frame (the others come with empty details until the next call).
   */
  list(opts: { readonly ports: boolean; readonly detailed?: number }): Promise<PickRow[]>;
  /** Signals the chosen process instances, each through a pin; never a bare PID. */
  signal(chosen: readonly PickRow[], choice: SignalChoice): Promise<Outcome[]>;
}

/** Linux's USER_HZ on every architecture Node runs on. */
const CLOCK_TICKS = 100;
/** How long to watch, after sending, to tell "exited" from "still running" (without `-w`). */
const SETTLE_MS = 1000;

/** The backend over the library as it is on main: no trees, no escalation (see the file comment). */
export function libraryBackend(criteria: Criteria, sys: System, settleMs = SETTLE_MS): PickBackend {
  const reader = new ProcReader(sys);
  const prev = new Map<string, { ticks: number; at: number }>();
  let users: Map<number, string> | undefined;
  const shown = new Map<number, string>();
  const userName = (uid: number | null | undefined): string => {
    if (uid === null || uid === undefined) return '?';
    let name = shown.get(uid);
    if (name === undefined) {
      users ??= readPasswd(sys);
      name = cellText(escapeName(Buffer.from(users.get(uid) ?? String(uid), 'utf8')));
      shown.set(uid, name);
    }
    return name;
  };

  return {
    caps: { tree: false, escalation: false },

    async list({ ports, detailed = Number.POSITIVE_INFINITY }) {
      const procs = await findProcesses({ ...criteria, system: sys });
      const now = Date.now();
      const uptime = reader.readUptime();
      const sockets = ports ? readSockets(reader) : undefined;
      const rows: PickRow[] = [];
      const seen = new Set<string>();
      for (const p of procs) {
        if (p.kernelThread || p.state === 'Z') continue;
        const nameBytes = p.longName !== undefined ? Buffer.from(p.longName, 'utf8') : p.commBytes;
        if (rows.length >= detailed) {
          rows.push({
            pid: p.pid,
            startTime: p.startTime,
            comm: p.commBytes,
            ppid: p.ppid,
            name: cellText(escapeName(nameBytes)),
            user: '',
            cmdline: '',
          });
          continue;
        }
        const dir = reader.dirOf(p.pid);
        const len = reader.readStat(dir);
        if (typeof len !== 'number') continue;
        const st = parseStatTimes(reader.buf, len);
        // Gone, or the PID was reused since the scan: not this process.
        if (!st || st.startTime !== p.startTime) continue;
        const id = rowId(p);
        seen.add(id);
        const before = prev.get(id);
        const cpu =
          before && now > before.at
            ? ((st.cpuTicks - before.ticks) / CLOCK_TICKS / ((now - before.at) / 1000)) * 100
            : undefined;
        prev.set(id, { ticks: st.cpuTicks, at: now });
        const slen = reader.readFile(`${dir}/status`);
        const uid = typeof slen === 'number' ? parseRealUid(reader.buf, slen) : null;
        const rssKiB = typeof slen === 'number' ? parseVmRssKiB(reader.buf, slen) : undefined;
        const clen = reader.readFile(`${dir}/cmdline`, 4096);
        const cmdline = typeof clen === 'number' ? formatCmdline(reader.buf, clen) : '';
        const portList = sockets ? portsOf(sys, p.pid, sockets) : undefined;
        rows.push({
          pid: p.pid,
          startTime: p.startTime,
          comm: p.commBytes,
          ppid: p.ppid,
          name: cellText(escapeName(nameBytes)),
          user: userName(uid),
          ...(cpu !== undefined ? { cpu: Math.max(0, cpu) } : {}),
          ...(rssKiB !== undefined ? { rssKiB } : {}),
          ...(uptime !== undefined ? { ageSec: Math.max(0, uptime - st.startTicks / CLOCK_TICKS) } : {}),
          ...(portList ? { ports: portList } : {}),
          cmdline: cmdline === '' ? `[${cellText(escapeName(p.commBytes))}]` : cmdline,
        });
      }
      if (detailed === Number.POSITIVE_INFINITY)
        for (const id of prev.keys()) if (!seen.has(id)) prev.delete(id);
      return rows;
    },

    async signal(chosen, choice) {
      if (choice.tree || choice.escalate)
        throw new Error('trees and escalation need the library of issue 8 (signalProcesses)');
      const outcomes: Outcome[] = [];
      const pins: { index: number; pin: Pin }[] = [];
      const groups = new Map<number, number>();
      try {
        for (const row of chosen) {
          const fd = openPin(sys, row.pid);
          if (fd === null) {
            outcomes.push({ row, kind: 'gone', stillRunning: false });
            continue;
          }
          const pin: Pin = { pid: row.pid, fd, startTime: row.startTime, comm: row.comm };
          if (!pinnedIs(reader, fd, row.startTime, row.comm)) {
            sys.close(fd);
            outcomes.push({ row, kind: 'gone', stillRunning: false });
            continue;
          }
          if (choice.processGroup) {
            const st = reader.statOf(pinDir(fd));
            sys.close(fd);
            if (!st) {
              outcomes.push({ row, kind: 'gone', stillRunning: false });
              continue;
            }
            const pgid = st.pgrp;
            if (pgid <= 1) {
              outcomes.push({ row, kind: 'refused', stillRunning: true, pgid });
              continue;
            }
            const first = groups.get(pgid);
            if (first !== undefined) {
              outcomes.push({ ...outcomes[first]!, row });
              continue;
            }
            const r = choice.dryRun ? 'dry' : sendGroup(sys, pgid, choice.signal);
            groups.set(pgid, outcomes.length);
            outcomes.push(groupOutcome(row, r, pgid));
            continue;
          }
          if (choice.dryRun) {
            sys.close(fd);
            outcomes.push({ row, kind: 'dry-run', stillRunning: true });
            continue;
          }
          const r = sendPinned(sys, pin, choice.signal, reader);
          if (r === 'ok') {
            pins.push({ index: outcomes.length, pin });
            outcomes.push({ row, kind: 'signalled', stillRunning: true });
          } else {
            sys.close(fd);
            outcomes.push(
              r === 'ESRCH'
                ? { row, kind: 'gone', stillRunning: false }
                : { row, kind: 'failed', code: r, stillRunning: true },
            );
          }
        }
        const targets: WaitTarget[] = pins.map(({ pin }) => ({
          kind: 'process',
          pid: pin.pid,
          startTime: pin.startTime,
          comm: pin.comm,
          pin,
        }));
        for (const [pgid] of groups) targets.push({ kind: 'group', pgid });
        if (targets.length > 0 && !choice.dryRun) {
          const timeoutMs = choice.wait ? choice.timeoutMs : settleMs;
          const res = await waitForExit(sys, targets, timeoutMs !== undefined ? { timeoutMs } : {});
          const left = new Set(res.remaining);
          targets.forEach((t, k) => {
            const stillRunning = left.has(t);
            if (t.kind === 'process') {
              const i = pins[k]!.index;
              outcomes[i] = { ...outcomes[i]!, stillRunning };
            } else {
              outcomes.forEach((o, i) => {
                if (o.pgid === t.pgid && o.kind === 'signalled') outcomes[i] = { ...o, stillRunning };
              });
            }
          });
        }
      } finally {
        for (const { pin } of pins) sys.close(pin.fd);
      }
      return outcomes;
    },
  };
}

function groupOutcome(row: PickRow, r: string, pgid: number): Outcome {
  if (r === 'dry') return { row, kind: 'dry-run', stillRunning: true, pgid };
  if (r === 'ok') return { row, kind: 'signalled', stillRunning: true, pgid };
  if (r === 'ESRCH') return { row, kind: 'gone', stillRunning: false, pgid };
  return { row, kind: 'failed', code: r, stillRunning: true, pgid };
}

function readPasswd(sys: System): Map<number, string> {
  try {
    const fd = sys.open('/etc/passwd');
    try {
      const chunks: Buffer[] = [];
      const buf = Buffer.allocUnsafe(65536);
      for (;;) {
        const n = sys.read(fd, buf, 0, buf.length);
        if (n === 0) break;
        chunks.push(Buffer.from(buf.subarray(0, n)));
      }
      return parsePasswdUids(Buffer.concat(chunks).toString('utf8'));
    } finally {
      sys.close(fd);
    }
  } catch {
    return new Map();
  }
}

/** Socket inode to port, from the four tables. */
function readSockets(reader: ProcReader): Map<string, PortInfo> {
  const out = new Map<string, PortInfo>();
  for (const [file, proto] of [
    ['tcp', 'tcp'],
    ['tcp6', 'tcp'],
    ['udp', 'udp'],
    ['udp6', 'udp'],
  ] as const) {
    const len = reader.readFile(`${reader.root}/net/${file}`, 16 * 1024 * 1024);
    if (typeof len === 'number') parseSocketTable(reader.buf.toString('latin1', 0, len), proto, out);
  }
  return out;
}

/** The ports among a process's fds, sorted, without duplicates (v4 and v6 of one port count once). */
function portsOf(sys: System, pid: number, sockets: ReadonlyMap<string, PortInfo>): PortInfo[] {
  if (sockets.size === 0) return [];
  let fds: string[];
  try {
    fds = sys.readdir(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const found = new Map<string, PortInfo>();
  for (const fd of fds) {
    let link: string;
    try {
      link = sys.readlink(`/proc/${pid}/fd/${fd}`).toString('latin1');
    } catch {
      continue;
    }
    const inode = socketInode(link);
    const p = inode === undefined ? undefined : sockets.get(inode);
    if (p) found.set(`${p.proto}:${p.port}`, p);
  }
  return [...found.values()].sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto));
}
