/**
 * Pure parsers for what the picker shows beyond the library's ProcessInfo: CPU times and start time from
 * `/proc/PID/stat`, VmRSS from `/proc/PID/status`, the command line. (Ports come from src/procfs/fds.ts and
 * sockets.ts, user names from `System.userName`.) Every function takes bytes and never throws on bad input.
 */
import { escapeName } from '../../text/escape.js';
import { splitArgs } from '../report.js';
import { cellText } from './width.js';

/** The stat fields the picker needs. */
export interface StatTimes {
  /** Field 3, the state letter (`Z`: a zombie). */
  readonly state: string;
  /** utime + stime in clock ticks. */
  readonly cpuTicks: number;
  /** Field 22, text (the identity part). */
  readonly startTime: string;
  /** Field 22 as a number of ticks, for the age. */
  readonly startTicks: number;
}

/** Reads the state (field 3), utime, stime (14, 15) and starttime (22), counting fields after the last `)`. */
export function parseStatTimes(buf: Uint8Array, len = buf.length): StatTimes | null {
  let close = -1;
  for (let i = len - 1; i >= 0; i--) {
    if (buf[i] === 0x29) {
      close = i;
      break;
    }
  }
  if (close < 0) return null;
  // After ") " comes field 3; we need fields 14, 15 and 22.
  const fields: string[] = [];
  let cur = '';
  for (let i = close + 2; i < len && fields.length < 20; i++) {
    const c = buf[i]!;
    if (c === 0x20 || c === 0x0a) {
      fields.push(cur);
      cur = '';
    } else cur += String.fromCharCode(c);
  }
  if (cur !== '' && fields.length < 20) fields.push(cur);
  const state = fields[0];
  const utime = fields[11];
  const stime = fields[12];
  const start = fields[19];
  if (state === undefined || utime === undefined || stime === undefined || start === undefined) return null;
  if (!/^\d+$/.test(utime) || !/^\d+$/.test(stime) || !/^\d+$/.test(start)) return null;
  return { state, cpuTicks: Number(utime) + Number(stime), startTime: start, startTicks: Number(start) };
}

/** The `VmRSS:` value in KiB from a status file, undefined when absent (kernel threads, zombies). */
export function parseVmRssKiB(buf: Uint8Array, len = buf.length): number | undefined {
  const text = Buffer.from(buf.buffer, buf.byteOffset, len).toString('latin1');
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The command line as shown: arguments escaped and joined by spaces, trailing NULs dropped. */
export function formatCmdline(buf: Uint8Array, len = buf.length): string {
  let end = len;
  while (end > 0 && buf[end - 1] === 0) end--;
  return cellText(
    splitArgs(buf.subarray(0, end))
      .map((a) => escapeName(a))
      .join(' '),
  );
}
