/**
 * Near misses: processes that did not match a NAME but resemble it, and the option that would have matched them.
 * Pure functions of bytes (the rules of issue 9): equal ignoring ASCII case; the NAME's first 15 bytes equal to the
 * comm (truncation); the NAME equal to the basename of a cmdline argument (a script) or of `exe` (a renamed
 * process); or sharing a prefix of at least 4 bytes and half the NAME's length.
 */
import { bytesEqual, prefixEqual, TRUNCATED_LENGTHS } from '../match/name.js';
import { shellWord } from '../text/escape.js';
import { quotePath } from './strace.js';

/** Why a process is a near miss. */
export type NearMissKind = 'case' | 'truncated' | 'script' | 'renamed' | 'exe' | 'prefix';

/** One near miss of one NAME. */
export interface NearMiss {
  readonly kind: NearMissKind;
  /** The bytes that resemble the NAME: the comm, the long name, the cmdline argument or the exe link. */
  readonly evidence: Buffer;
  /** For `script`/`renamed`: the index of the cmdline argument. */
  readonly argIndex?: number;
  /** How one would match it instead (an option of killall, or pkill -f). */
  readonly suggestion: string;
  /** One sentence saying why it did not match and why it resembles the NAME. */
  readonly why: string;
}

/** The basename of a byte string: the bytes after its last `/`. */
export function basename(b: Uint8Array): Buffer {
  const i = Buffer.from(b).lastIndexOf(0x2f);
  return Buffer.from(b.subarray(i + 1));
}

/** The length of the common prefix of `a` and `b`. */
export function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * A NAME (or a path) as the last word of a suggested command: a shell word that is safe to paste
 * (src/text/escape.ts), after `--` when it starts with `-` (so that killall or pkill never reads it as an option).
 */
export function operand(b: Uint8Array): string {
  return `${b[0] === 0x2d ? '-- ' : ''}${shellWord(b)}`;
}

/** Escapes the ERE specials of a literal for `-r`. */
export function ereLiteral(b: Uint8Array): string {
  return Buffer.from(b)
    .toString('latin1')
    .replace(/[.[\]()*+?{}|^$\\]/g, (c) => `\\${c}`);
}

/** Bytes in a `why` text: C-quoted as strace quotes a path (printable ASCII only), as every `#` line does. */
const text = (b: Uint8Array): string => quotePath(b);

/**
 * A near miss judged from what the scan read: the comm, and the long name when comm looked truncated. `exact` says
 * whether `-e` was given. Null when the process does not resemble the NAME (or matches it: callers ask only about
 * processes that did not match).
 */
export function nearMissByComm(
  name: Buffer,
  comm: Buffer,
  longName: Buffer | undefined,
  exact: boolean,
): NearMiss | null {
  const shown = longName ?? comm;
  const cut = TRUNCATED_LENGTHS.includes(comm.length) && name.length > comm.length;
  const caseOnlyPrefix =
    cut &&
    !longName &&
    prefixEqual(name, comm, comm.length, true) &&
    !prefixEqual(name, comm, comm.length, false);
  if (bytesEqual(name, shown, true) || caseOnlyPrefix) {
    return {
      kind: 'case',
      evidence: shown,
      suggestion: `killall -I ${operand(name)}`,
      why: `${longName ? 'long name' : 'comm'} ${text(shown)} equals NAME ${text(name)} only when ASCII case is ignored`,
    };
  }
  if (cut && prefixEqual(name, comm, comm.length, false)) {
    if (!longName) {
      return {
        kind: 'truncated',
        evidence: comm,
        suggestion: exact ? `killall ${operand(name)}, without -e,` : `killall ${operand(name)}`,
        why: exact
          ? `comm ${text(comm)} is NAME's first ${comm.length} bytes (the kernel cuts comm), but cmdline has no argument whose basename starts with it, and -e skips such a process`
          : `comm ${text(comm)} is NAME's first ${comm.length} bytes`,
      };
    }
    return {
      kind: 'truncated',
      evidence: longName,
      suggestion: `killall -r ${shellWord(Buffer.from(`^${ereLiteral(comm)}`, 'latin1'))}`,
      why: `comm ${text(comm)} is NAME's first ${comm.length} bytes (the kernel cuts comm), but the long name from cmdline is ${text(longName)}, not the NAME`,
    };
  }
  const p = commonPrefix(name, shown);
  if (p >= 4 && 2 * p >= name.length) {
    const prefix = name.subarray(0, p);
    return {
      kind: 'prefix',
      evidence: shown,
      suggestion: `killall -r ${shellWord(Buffer.from(`^${ereLiteral(prefix)}`, 'latin1'))}`,
      why: `${longName ? 'long name' : 'comm'} ${text(shown)} shares the first ${p} bytes ${text(prefix)} with NAME ${text(name)}`,
    };
  }
  return null;
}

/** Splits cmdline bytes at NULs (a trailing NUL ends the last argument). */
export function splitCmdline(data: Uint8Array): Buffer[] {
  const b = Buffer.from(data);
  const out: Buffer[] = [];
  let start = 0;
  while (start < b.length) {
    let end = b.indexOf(0, start);
    if (end < 0) end = b.length;
    out.push(Buffer.from(b.subarray(start, end)));
    start = end + 1;
  }
  return out;
}

/**
 * A near miss judged from the whole command line: the NAME equal to the basename of an argument. Argument 0 means
 * a process that changed its comm (prctl, process.title); a later one, a script run by its interpreter.
 */
export function nearMissByCmdline(name: Buffer, comm: Buffer, args: readonly Buffer[]): NearMiss | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.length === 0 || !basename(a).equals(name)) continue;
    if (i === 0) {
      return {
        kind: 'renamed',
        evidence: a,
        argIndex: 0,
        suggestion: `pkill -f ${operand(name)}`,
        why: `it was started as ${text(a)} (cmdline argument 0) but its comm is now ${text(comm)}: it renamed itself`,
      };
    }
    return {
      kind: 'script',
      evidence: a,
      argIndex: i,
      suggestion: `pkill -f ${operand(name)}`,
      why: `comm is the interpreter ${text(comm)}; the NAME is the basename of cmdline argument ${i} ${text(a)}: a script, whose comm is its interpreter's unless it is started through its #! line`,
    };
  }
  return null;
}

/** A near miss judged from the `exe` link: the NAME equal to the basename of the executable's path. */
export function nearMissByExe(name: Buffer, comm: Buffer, exe: Buffer): NearMiss | null {
  const path = exe.toString('latin1').endsWith(' (deleted)') ? exe.subarray(0, exe.length - 10) : exe;
  if (!basename(path).equals(name)) return null;
  return {
    kind: 'exe',
    evidence: Buffer.from(path),
    suggestion: `killall ${operand(path)}`,
    why: `its executable is ${text(path)} but its comm is ${text(comm)}: a path NAME matches by the executable's inode`,
  };
}
