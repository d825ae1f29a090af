import { KillallError } from './errors.js';
import { ageAllowed, processAge } from './match/age.js';
import { compileEre, type Ere, EreSyntaxError } from './match/ere.js';
import { matchPlainName, TRUNCATED_LENGTHS } from './match/name.js';
import { holdsSocket } from './procfs/fds.js';
import type { ProcReader } from './procfs/reader.js';
import { type PortName, parsePortName } from './procfs/sockets.js';
import { commBounds, copyBytes, isKernelThread, parseStat, type StatInfo, statKey } from './procfs/stat.js';
import type { System } from './system.js';
import { codeOf } from './text/strerror.js';

/** One NAME, compiled for matching. */
export type NameSpec =
  | { readonly kind: 'plain'; readonly raw: Buffer }
  | { readonly kind: 'path'; readonly raw: Buffer; readonly dev: bigint; readonly ino: bigint }
  | { readonly kind: 'regex'; readonly raw: Buffer; readonly ere: Ere }
  /** `:PORT[/tcp|/udp]`: processes holding a socket bound to PORT; `inodes` from the socket tables, read first. */
  | { readonly kind: 'port'; readonly raw: Buffer; readonly port: PortName; inodes: ReadonlySet<string> };

/** What selects processes: psmisc's filters, compiled. */
export interface Selection {
  readonly names: readonly NameSpec[];
  readonly exact: boolean;
  readonly ignoreCase: boolean;
  /** Real UID filter (`-u`). */
  readonly uid?: number;
  /** Inode of the PID namespace to keep (`-n`); 0n means all namespaces. */
  readonly nsInode: bigint;
  /** Security-context ERE (`-Z`). */
  readonly context?: Ere;
  readonly youngerThan?: number;
  readonly olderThan?: number;
  /** Keep kernel threads (psmisc does; the library does not by default). */
  readonly kernelThreads: boolean;
  /** PIDs never selected besides our own (the library's ancestor guard). */
  readonly exclude: ReadonlySet<number>;
  /** Clock ticks per second for ages (sysconf(_SC_CLK_TCK), 100 on Linux). */
  readonly clockTicks: number;
}

/** A process examined in full (through its pin when one is held) that passes every filter. */
export interface Match {
  readonly pid: number;
  /** The stat comm, raw bytes. */
  readonly comm: Buffer;
  /** psmisc's long name from cmdline, when the comm looked truncated and one was found. */
  readonly longName?: Buffer;
  /** The index of the first NAME that matched, or -1 when selecting without names (`-u`/`-Z` alone). */
  readonly nameIndex: number;
  /** The whole stat record. */
  readonly stat: StatInfo;
}

/** Compiles a `-r` NAME or `-Z` pattern; a pattern glibc would refuse is KillallError BAD_REGEX. */
export function compileRegex(pattern: string, ignoreCase = false): Ere {
  try {
    return compileEre(pattern, { ignoreCase });
  } catch (e) {
    if (e instanceof EreSyntaxError)
      throw new KillallError('BAD_REGEX', `Bad regular expression: ${pattern}`, pattern);
    throw e;
  }
}

/** Compiles NAMEs the way psmisc's kill_all prepares them: regexes, or path NAMEs stat()ed up front. */
export function compileNames(
  sys: System,
  names: readonly Buffer[],
  regexp: boolean,
  ignoreCase: boolean,
): NameSpec[] {
  return names.map((raw) => {
    if (regexp) return { kind: 'regex', raw, ere: compileRegex(raw.toString('latin1'), ignoreCase) };
    const port = parsePortName(raw.toString('latin1'));
    if (port === 'out-of-range') {
      const text = raw.toString('latin1');
      throw new KillallError('BAD_OPTION', `${text}: port out of range (1-65535)`, text, { subject: text });
    }
    // The socket inodes are filled in by the caller, which reads /proc/net through its ProcReader.
    if (port) return { kind: 'port', raw, port, inodes: new Set<string>() };
    if (!raw.includes(0x2f)) return { kind: 'plain', raw };
    try {
      const st = sys.stat(raw);
      return { kind: 'path', raw, dev: st.dev, ino: st.ino };
    } catch (e) {
      const code = codeOf(e);
      if (code === undefined) throw e;
      throw new KillallError('BAD_PATH', `${raw.toString('latin1')}: ${code}`, code, {
        cause: e,
        subject: raw.toString('latin1'),
      });
    }
  });
}

const NO_MATCH = -2;

/** What {@link check} hands back besides the NAME index. */
interface CheckOut {
  /** Scan mode: keep the stat fd open (in `reader.kept`) for the caller. */
  keep?: boolean;
  match?: Match;
  comm?: Buffer;
  name?: Buffer;
  startTime?: string;
  pgrp?: number;
  statOnly?: boolean;
}

/**
 * psmisc 23.6's per-process pipeline for one process directory (`/proc/PID`, or a pin's `/proc/self/fd/N`):
 * `-u`, `-n`, `-Z`, stat (parsed in full only when the age or the whole record is needed; otherwise only the comm
 * bounds are found, without allocating), age, long name (and `-e`), NAMEs. Returns the first matching NAME's
 * index (-1 without names) or NO_MATCH; through `out`, the whole record in `full` mode, else the candidate's
 * comm, name and start time.
 */
function check(
  reader: ProcReader,
  sel: Selection,
  pid: number,
  dir: string,
  full: boolean,
  out: CheckOut,
  partial?: (pid: number, comm: Buffer) => void,
): number {
  if (sel.uid !== undefined) {
    const uid = reader.readUid(dir);
    if (uid === null) return NO_MATCH;
    if (uid === undefined) throw new KillallError('NO_UID', 'Cannot get UID from process status');
    if (uid !== sel.uid) return NO_MATCH;
  }
  if (sel.nsInode !== 0n && reader.pidNsInode(dir) !== sel.nsInode) return NO_MATCH;
  if (sel.context) {
    const ctx = reader.readContext(dir);
    // psmisc counts an unreadable context (no LSM) as a match.
    if (ctx && !sel.context.test(ctx)) return NO_MATCH;
  }
  const needAge = sel.youngerThan !== undefined || sel.olderThan !== undefined;
  let stat: StatInfo | null = null;
  // The comm is src[start, end): a view into the reused buffer on the hot path, else the parsed copy (any further
  // read, of uptime or cmdline, overwrites the buffer).
  let src: Uint8Array = reader.buf;
  let start = 0;
  let end: number;
  const statLen = reader.readStat(dir, out.keep === true);
  if (typeof statLen !== 'number') return NO_MATCH;
  if (full || needAge) {
    stat = parseStat(reader.buf, statLen);
    if (!stat) return NO_MATCH;
    src = stat.comm;
    end = stat.comm.length;
    if (needAge) {
      const uptime = reader.readUptime();
      if (uptime === undefined) throw new KillallError('NO_UPTIME', 'error opening uptime file');
      if (
        !ageAllowed(
          processAge(uptime, Number(stat.startTime), sel.clockTicks),
          sel.youngerThan,
          sel.olderThan,
        )
      ) {
        return NO_MATCH;
      }
    }
  } else {
    const b = commBounds(reader.buf, statLen);
    if (!b) return NO_MATCH;
    start = b[0];
    end = b[1];
  }
  let longName: Buffer | undefined;
  const commLen = end - start;
  if (commLen === TRUNCATED_LENGTHS[0] || commLen === TRUNCATED_LENGTHS[1]) {
    const comm = stat ? stat.comm : Buffer.from(reader.buf.subarray(start, end));
    src = comm;
    start = 0;
    end = comm.length;
    const ln = reader.readLongName(dir, comm);
    if (ln === null) return NO_MATCH;
    longName = ln;
    if (!longName && sel.exact) {
      partial?.(pid, comm);
      return NO_MATCH;
    }
  }
  const nameIndex = firstMatchingName(reader, sel, dir, src, start, end, longName);
  if (nameIndex !== NO_MATCH && !full) {
    // Only candidates pay for the identity fields. Without a parsed record the stat bytes are still in the buffer
    // (cmdline has its own; exe is stat()ed), and src is either that buffer or the comm copied for cmdline.
    if (stat) {
      out.comm = stat.comm;
      out.startTime = stat.startTime;
      out.pgrp = stat.pgrp;
    } else {
      const k = reader.key;
      if (!statKey(reader.buf, statLen, k)) return NO_MATCH;
      out.comm = src === reader.buf ? copyBytes(src, start, end) : (src as Buffer);
      out.startTime = reader.buf.toString('latin1', k.startFrom, k.startTo);
      out.pgrp = k.pgrp;
    }
    out.name = longName ?? out.comm;
    out.statOnly =
      sel.uid === undefined &&
      sel.nsInode === 0n &&
      !sel.context &&
      !needAge &&
      longName === undefined &&
      commLen !== TRUNCATED_LENGTHS[0] &&
      commLen !== TRUNCATED_LENGTHS[1] &&
      !sel.names.some((n) => n.kind === 'path' || n.kind === 'port');
  }
  if (nameIndex !== NO_MATCH && full && stat) {
    out.match = { pid, comm: stat.comm, ...(longName ? { longName } : {}), nameIndex, stat };
  }
  return nameIndex;
}

/**
 * A process the scan selected: every filter passed on what the scan read. `startTime` (with the PID, the identity
 * of the instance) and `pgrp` come from the same stat read as the comm.
 */
export interface Candidate {
  readonly pid: number;
  /** The stat comm, raw bytes. */
  readonly comm: Buffer;
  /** The name it matched by: the long name when there is one, else the comm. */
  readonly name: Buffer;
  /** Index of the first matching NAME, -1 without names. */
  readonly nameIndex: number;
  /** Stat field 22 as digits. */
  readonly startTime: string;
  /** Stat field 5, the process group (what psmisc's `getpgid()` returns at that point). */
  readonly pgrp: number;
  /**
   * True when the verdict rests on the stat read alone (no `-u`/`-n`/`-Z`/age filter, no cmdline or exe read):
   * then that stat, read again through `statFd` after pinning, proves that the pin holds this instance and that it
   * still matches. Otherwise the pinned process is examined again in full.
   */
  readonly statOnly: boolean;
  /**
   * With `keepStat`, the still open fd of the `/proc/PID/stat` the scan read (bound to this process instance; the
   * caller closes it), else -1.
   */
  readonly statFd: number;
}

/** Where the scan stands in the PID snapshot: the index of the next PID to read. */
export interface ScanCursor {
  readonly pids: readonly string[];
  next: number;
}

/**
 * The selection step: psmisc's pipeline over the PID snapshot in ascending order, from `cursor.next` to the next
 * candidate, reading only what the filters need. A process that vanishes at any step is skipped silently. Returns
 * null at the end of the snapshot. Synchronous: callers that need no prompt run the whole pipeline without a
 * promise per process.
 */
export function scanNext(
  reader: ProcReader,
  sel: Selection,
  cursor: ScanCursor,
  partial?: (pid: number, comm: Buffer) => void,
  keepStat = false,
): Candidate | null {
  const out: CheckOut = { keep: keepStat };
  const exclude = sel.exclude.size > 0 ? sel.exclude : null;
  const root = `${reader.root}/`;
  const pids = cursor.pids;
  while (cursor.next < pids.length) {
    const name = pids[cursor.next++]!;
    const pid = +name;
    if (exclude?.has(pid)) continue;
    let nameIndex: number;
    try {
      nameIndex = check(reader, sel, pid, root + name, false, out, partial);
    } catch (e) {
      reader.dropKept();
      throw e;
    }
    if (nameIndex === NO_MATCH) {
      reader.dropKept();
      continue;
    }
    return {
      pid,
      comm: out.comm!,
      name: out.name!,
      nameIndex,
      startTime: out.startTime!,
      pgrp: out.pgrp!,
      statOnly: out.statOnly!,
      statFd: keepStat ? reader.takeKept() : -1,
    };
  }
  return null;
}

/**
 * Examines one process in full through `dir` (its pin's directory, so that what is read belongs to the pinned
 * instance): every filter again, the whole stat record, kernel threads. Null when it no longer matches or is gone.
 */
export function examine(reader: ProcReader, sel: Selection, pid: number, dir: string): Match | null {
  const out: CheckOut = {};
  if (check(reader, sel, pid, dir, true, out) === NO_MATCH || !out.match) return null;
  if (!sel.kernelThreads && isKernelThread(out.match.stat)) return null;
  return out.match;
}

// The index of the first NAME matching, -1 for nameless selection, NO_MATCH for none.
function firstMatchingName(
  reader: ProcReader,
  sel: Selection,
  dir: string,
  src: Uint8Array,
  start: number,
  end: number,
  longName: Buffer | undefined,
): number {
  if (sel.names.length === 0) return -1;
  for (let j = 0; j < sel.names.length; j++) {
    const n = sel.names[j]!;
    if (n.kind === 'plain') {
      if (matchPlainName(n.raw, src, start, end, longName, sel.ignoreCase)) return j;
    } else if (n.kind === 'regex') {
      if (n.ere.test(longName ?? src.subarray(start, end))) return j;
    } else if (n.kind === 'port') {
      if (holdsSocket(reader, dir, n.inodes)) return j;
    } else if (reader.exeIs(dir, n.dev, n.ino, n.raw)) return j;
  }
  return NO_MATCH;
}
