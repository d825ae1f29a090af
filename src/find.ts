import { examine, type ScanCursor, scanNext } from './engine.js';
import { withExplain } from './explain/index.js';
import type { Criteria } from './killall.js';
import { checkProc, compileSelection, snapshot, wrapResource } from './killall.js';
import { ProcReader } from './procfs/reader.js';
import { isKernelThread } from './procfs/stat.js';
import { realSystem } from './system.js';

/** A process as {@link findProcesses} reports it. Names from /proc are attacker-controlled: escape before printing. */
export interface ProcessInfo {
  /** The PID (a thread-group leader). */
  readonly pid: number;
  /** comm from `/proc/PID/stat` (at most 15 bytes for user tasks), decoded as UTF-8. */
  readonly comm: string;
  /** comm as raw bytes. */
  readonly commBytes: Uint8Array;
  /** psmisc's long name from `/proc/PID/cmdline`, read only when comm is 15 or 63 bytes long. */
  readonly longName?: string;
  /** The long name if there is one, else comm: what NAMEs and regexes are matched against. */
  readonly name: string;
  /** State letter from stat field 3 (`Z` is a zombie). */
  readonly state: string;
  /** Parent PID (stat field 4). */
  readonly ppid: number;
  /** Process group (stat field 5). */
  readonly pgrp: number;
  /** Session (stat field 6). */
  readonly session: number;
  /** Start time in clock ticks after boot (stat field 22): with the PID, the identity of this process instance. */
  readonly startTime: string;
  /** True for kernel threads (PF_KTHREAD). */
  readonly kernelThread: boolean;
  /** Index of the first NAME that matched, -1 without names. */
  readonly nameIndex: number;
}

/** Lists the processes killall would select, in ascending PID order, without signalling anything. */
export function findProcesses(criteria: Criteria = {}): Promise<ProcessInfo[]> {
  const names = criteria.names?.length ?? 0;
  return wrapResource(() =>
    withExplain(criteria, find, (r) =>
      Array.from({ length: names }, (_, i) => r.some((p) => p.nameIndex === i)),
    ),
  );
}

async function find(criteria: Criteria): Promise<ProcessInfo[]> {
  const sys = criteria.system ?? realSystem;
  const reader = new ProcReader(sys);
  checkProc(sys);
  const sel = compileSelection(criteria, reader);
  const out: ProcessInfo[] = [];
  const cursor: ScanCursor = { pids: snapshot(reader), next: 0 };
  for (let c = scanNext(reader, sel, cursor); c; c = scanNext(reader, sel, cursor)) {
    const m = examine(reader, sel, c.pid, reader.dirOf(c.pid));
    if (!m) continue;
    const longName = m.longName?.toString('utf8');
    out.push({
      pid: m.pid,
      comm: m.comm.toString('utf8'),
      commBytes: m.comm,
      ...(longName !== undefined ? { longName } : {}),
      name: longName ?? m.comm.toString('utf8'),
      state: m.stat.state,
      ppid: m.stat.ppid,
      pgrp: m.stat.pgrp,
      session: m.stat.session,
      startTime: m.stat.startTime,
      kernelThread: isKernelThread(m.stat),
      nameIndex: m.nameIndex,
    });
  }
  return out;
}
