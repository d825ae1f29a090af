/**
 * Pure parsers for what the picker shows beyond the library's ProcessInfo: CPU times and start time from
 * `/proc/PID/stat`, VmRSS and the real UID from `/proc/PID/status`, the command line, `/etc/passwd` names, and the
 * socket tables `/proc/net/{tcp,tcp6,udp,udp6}`. Every function takes bytes and never throws on bad input.
 *
 * Note for the merge: the ext branch adds src/procfs/sockets.ts (the `:PORT` NAME parser); the socket-table parser
 * here is a minimal duplicate, kept inside the picker until the two are unified.
 */
import { escapeName } from '../../text/escape.js';
import type { PortInfo } from './model.js';
import { cellText } from './width.js';

/** The stat fields the picker needs. */
export interface StatTimes {
  /** utime + stime in clock ticks. */
  readonly cpuTicks: number;
  /** Field 22, text (the identity part). */
  readonly startTime: string;
  /** Field 22 as a number of ticks, for the age. */
  readonly startTicks: number;
}

/** Reads utime, stime (fields 14, 15) and starttime (22), counting fields after the last `)`. */
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
  const utime = fields[11];
  const stime = fields[12];
  const start = fields[19];
  if (utime === undefined || stime === undefined || start === undefined) return null;
  if (!/^\d+$/.test(utime) || !/^\d+$/.test(stime) || !/^\d+$/.test(start)) return null;
  return { cpuTicks: Number(utime) + Number(stime), startTime: start, startTicks: Number(start) };
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
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i <= end; i++) {
    if (i === end || buf[i] === 0) {
      parts.push(escapeName(buf.subarray(from, i)));
      from = i + 1;
    }
  }
  return cellText(parts.join(' '));
}

/** uid to name from `/etc/passwd` text: the first entry for each uid wins, as getpwuid's files backend does. */
export function parsePasswdUids(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || f[0] === '' || !/^\d+$/.test(f[2]!)) continue;
    const uid = Number(f[2]);
    if (!out.has(uid)) out.set(uid, f[0]!);
  }
  return out;
}

const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07';

/**
 * The listening TCP sockets (state 0A) or bound, unconnected UDP sockets (state 07) of one `/proc/net` table, as
 * socket inode to port. Lines that do not parse are skipped.
 */
export function parseSocketTable(text: string, proto: 'tcp' | 'udp', into = new Map<string, PortInfo>()) {
  const want = proto === 'tcp' ? TCP_LISTEN : UDP_UNCONNECTED;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    // sl local rem st tx:rx tr:tm retrnsmt uid timeout inode
    if (f.length < 10 || f[3] !== want) continue;
    const local = f[1]!;
    const colon = local.lastIndexOf(':');
    const hex = local.slice(colon + 1);
    const inode = f[9]!;
    if (colon < 0 || !/^[0-9A-Fa-f]{4}$/.test(hex) || !/^\d+$/.test(inode) || inode === '0') continue;
    const port = Number.parseInt(hex, 16);
    if (port === 0) continue;
    into.set(inode, { port, proto });
  }
  return into;
}

/** The socket inode of an fd link text `socket:[12345]`, or undefined. */
export function socketInode(link: string): string | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? m[1] : undefined;
}
