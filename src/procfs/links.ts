import type { ProcLink } from '../tree.js';
import type { ProcReader } from './reader.js';

/**
 * The ppid link of every process of a PID snapshot (one stat read each), for `--tree`. Processes gone since the
 * snapshot are left out; processes started after it are not seen (as with the scan).
 */
export function readLinks(reader: ProcReader, pids: readonly string[]): ProcLink[] {
  const out: ProcLink[] = [];
  for (const name of pids) {
    const st = reader.statOf(reader.dirOf(name));
    if (st) out.push({ pid: +name, ppid: st.ppid, pgrp: st.pgrp, startTime: st.startTime });
  }
  return out;
}
