import { KillallError } from './errors.js';
import { ageAllowed, processAge } from './match/age.js';
import { compileEre, type Ere, EreSyntaxError } from './match/ere.js';
import { matchPlainName, TRUNCATED_LENGTHS } from './match/name.js';
import { type ProcReader, ResourceError } from './procfs/reader.js';
import { commBounds, isKernelThread, parseStat, type StatInfo } from './procfs/stat.js';
import type { System } from './system.js';
import { codeOf } from './text/strerror.js';

/** One NAME, compiled for matching. */
export type NameSpec =
  | { readonly kind: 'plain'; readonly raw: Buffer }
  | { readonly kind: 'path'; readonly raw: Buffer; readonly dev: bigint; readonly ino: bigint }
  | { readonly kind: 'regex'; readonly raw: Buffer; readonly ere: Ere };

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

/** A process that passed every filter, as the scan hands it on. */
export interface Match {
  readonly pid: number;
  /** The stat comm, raw bytes. */
  readonly comm: Buffer;
  /** psmisc's long name from cmdline, when the comm looked truncated and one was found. */
  readonly longName?: Buffer;
  /** The index of the first NAME that matched, or -1 when selecting without names (`-u`/`-Z` alone). */
  readonly nameIndex: number;
  /** The whole stat record, read when the process matched. */
  readonly stat: StatInfo;
}

/** Compiles NAMEs the way psmisc's kill_all prepares them: regexes, or path NAMEs stat()ed up front. */
export function compileNames(
  sys: System,
  names: readonly Buffer[],
  regexp: boolean,
  ignoreCase: boolean,
): NameSpec[] {
  return names.map((raw) => {
    if (regexp) {
      try {
        return { kind: 'regex', raw, ere: compileEre(raw.toString('latin1'), { ignoreCase }) };
      } catch (e) {
        if (e instanceof EreSyntaxError) {
          throw new KillallError(
            'BAD_REGEX',
            `Bad regular expression: ${raw.toString('latin1')}`,
            raw.toString('latin1'),
          );
        }
        throw e;
      }
    }
    if (!raw.includes(0x2f)) return { kind: 'plain', raw };
    try {
      const st = sys.stat(raw);
      return { kind: 'path', raw, dev: st.dev, ino: st.ino };
    } catch (e) {
      const code = codeOf(e);
      if (code === undefined) throw e;
      throw new KillallError('BAD_PATH', `${raw.toString('latin1')}: ${code}`, code, { cause: e });
    }
  });
}

/** Callbacks of {@link scan}. */
export interface ScanHooks {
  /** `-e` skipped a process whose comm looked truncated and had no long name. */
  partial?(pid: number, comm: Buffer): void;
  /** A process passed every filter. Awaited only when it returns a promise. */
  match(m: Match): void | Promise<void>;
}

/**
 * psmisc 23.6's per-process pipeline over the PID snapshot, in ascending order: `-u`, `-n`, `-Z`, stat, age,
 * long name (and `-e`), NAMEs. A process that vanishes at any step is skipped silently.
 */
export async function scan(
  reader: ProcReader,
  sel: Selection,
  pids: Int32Array,
  hooks: ScanHooks,
): Promise<void> {
  const needAge = sel.youngerThan !== undefined || sel.olderThan !== undefined;
  for (const pid of pids) {
    if (sel.exclude.has(pid)) continue;
    if (sel.uid !== undefined) {
      const uid = reader.readUid(pid);
      if (uid === null) continue;
      if (uid === undefined) throw new KillallError('NO_UID', 'Cannot get UID from process status');
      if (uid !== sel.uid) continue;
    }
    if (sel.nsInode !== 0n && reader.pidNsInode(pid) !== sel.nsInode) continue;
    if (sel.context) {
      const ctx = reader.readContext(pid);
      // psmisc counts an unreadable context (no LSM) as a match.
      if (ctx && !sel.context.test(ctx)) continue;
    }
    const len = reader.readStat(pid);
    if (typeof len !== 'number') continue;
    const bounds = commBounds(reader.buf, len);
    if (!bounds) continue;
    const truncated = TRUNCATED_LENGTHS.includes(bounds[1] - bounds[0]);
    // The hot path keeps comm as a view into the reused buffer; anything that reads again copies it first.
    let stat: StatInfo | null = null;
    if (needAge || truncated) {
      stat = parseStat(reader.buf, len);
      if (!stat) continue;
    }
    if (needAge && stat) {
      const uptime = reader.readUptime();
      if (uptime === undefined) throw new KillallError('NO_UPTIME', 'error opening uptime file');
      const age = processAge(uptime, Number(stat.startTime), sel.clockTicks);
      if (!ageAllowed(age, sel.youngerThan, sel.olderThan)) continue;
    }
    let longName: Buffer | undefined;
    if (truncated && stat) {
      const ln = reader.readLongName(pid, stat.comm);
      if (ln === null) continue;
      longName = ln;
      if (!longName && sel.exact) {
        hooks.partial?.(pid, stat.comm);
        continue;
      }
    }
    const comm = stat ? stat.comm : reader.buf.subarray(bounds[0], bounds[1]);
    const nameIndex = firstMatchingName(reader, sel, pid, comm, longName);
    if (nameIndex === -2) continue;
    if (!stat) stat = parseStat(reader.buf, len);
    if (!stat) continue;
    if (!sel.kernelThreads && isKernelThread(stat)) continue;
    const r = hooks.match({ pid, comm: stat.comm, longName, nameIndex, stat });
    if (r) await r;
  }
}

// The index of the first NAME matching, -1 for nameless selection, -2 for no match.
function firstMatchingName(
  reader: ProcReader,
  sel: Selection,
  pid: number,
  comm: Uint8Array,
  longName: Buffer | undefined,
): number {
  if (sel.names.length === 0) return -1;
  for (let j = 0; j < sel.names.length; j++) {
    const n = sel.names[j]!;
    if (n.kind === 'plain') {
      if (matchPlainName(n.raw, comm, longName, sel.ignoreCase)) return j;
    } else if (n.kind === 'regex') {
      if (n.ere.test(longName ?? comm)) return j;
    } else if (matchExe(reader, pid, n)) return j;
  }
  return -2;
}

// Path NAMEs: same dev+inode as /proc/PID/exe (followed), else the link text equal to NAME byte for byte.
function matchExe(reader: ProcReader, pid: number, n: { raw: Buffer; dev: bigint; ino: bigint }): boolean {
  const path = `${reader.root}/${pid}/exe`;
  try {
    const st = reader.sys.stat(path);
    if (st.dev === n.dev && st.ino === n.ino) return true;
    return reader.sys.readlink(path).equals(n.raw);
  } catch (e) {
    if (e instanceof ResourceError) throw e;
    const code = codeOf(e);
    if (code === 'EMFILE' || code === 'ENFILE' || code === 'ENOMEM') throw new ResourceError(code, path);
    return false;
  }
}
