import type { System } from '../system.js';
import { codeOf } from '../text/strerror.js';
import { scanLongName } from './cmdline.js';
import { newStatKey, parseStat, type StatInfo, type StatKey } from './stat.js';
import { parseRealUid } from './status.js';

/** A resource shortage while reading /proc: fatal, because skipping would be a silent miss. */
export class ResourceError extends Error {
  readonly code: string;
  constructor(code: string, path: string) {
    super(`${path}: ${code}`);
    this.name = 'ResourceError';
    this.code = code;
  }
}

const GONE = new Set(['ENOENT', 'ESRCH']);
const DENIED = new Set(['EACCES', 'EPERM']);
const FATAL = new Set(['EMFILE', 'ENFILE', 'ENOMEM']);

/** What a failed read means: the process is gone, we may not look, or something else went wrong. */
export type ReadFailure = 'gone' | 'denied' | 'other';

/** Sorts a read error; resource errors throw {@link ResourceError}. */
export function classifyReadError(e: unknown, path: string): ReadFailure {
  const code = codeOf(e);
  if (code === undefined) throw e;
  if (FATAL.has(code)) throw new ResourceError(code, path);
  if (GONE.has(code)) return 'gone';
  if (DENIED.has(code)) return 'denied';
  return 'other';
}

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** The most cmdline bytes read while looking for a long name (a process can make its cmdline megabytes long). */
export const CMDLINE_CAP = 256 * 1024;

/**
 * The one place that reads /proc. It keeps one reusable buffer: {@link readFile} leaves the bytes in `buf`.
 */
export class ProcReader {
  buf: Buffer = Buffer.allocUnsafe(4096);
  /** Reads that failed with EACCES/EPERM (hidepid), counted for one message at the end. */
  denied = 0;
  /** Scratch space for {@link statKey} over `buf`, reused so that identity checks allocate nothing. */
  readonly key: StatKey = newStatKey();

  constructor(
    readonly sys: System,
    readonly root = '/proc',
  ) {}

  /**
   * The PID directories under the root, ascending, without our own, as names (`"123"`): the scan builds paths from
   * them without number-to-string conversions. Throws the readdir error (psmisc: fatal).
   */
  listPidNames(): string[] {
    const self = String(this.sys.pid);
    // Canonical decimals sort numerically by length, then text. Buckets by length keep the input order, which is
    // already text order when readdir comes sorted (Node's does); each bucket is checked and sorted only if not.
    const buckets: string[][] = [[], [], [], [], [], [], [], [], [], [], []];
    for (const name of this.sys.readdir(this.root)) {
      const c = name.charCodeAt(0);
      // /proc names PIDs in canonical decimal: no leading zero, at most 10 digits.
      if (c < 0x31 || c > 0x39 || name.length > 10 || name === self || !allDigits(name)) continue;
      buckets[name.length]!.push(name);
    }
    const out: string[] = [];
    for (const b of buckets) {
      for (let i = 1; i < b.length; i++) {
        if (b[i - 1]! > b[i]!) {
          b.sort();
          break;
        }
      }
      for (const name of b) out.push(name);
    }
    return out;
  }

  /**
   * Reads a whole small /proc file into `buf` (growing it up to `cap`) and returns its length, or a failure class.
   * One open, one read when it fits, one close: three syscalls for a stat file. With `keep`, the fd is not closed
   * but left in {@link kept} (see {@link readStat}).
   */
  readFile(path: string | Buffer, cap = 65536, keep = false): number | ReadFailure {
    let fd: number;
    try {
      fd = this.sys.open(path);
    } catch (e) {
      return this.note(classifyReadError(e, String(path)));
    }
    let ok = false;
    try {
      const len = this.readAt(fd, cap, null);
      ok = true;
      return len;
    } catch (e) {
      return this.note(classifyReadError(e, String(path)));
    } finally {
      if (keep && ok) this.kept = fd;
      else this.sys.close(fd);
    }
  }

  // Reads fd (from `position` when given, else from where it stands) into buf, growing it up to cap.
  private readAt(fd: number, cap: number, position: number | null): number {
    let len = 0;
    for (;;) {
      if (len === this.buf.length) {
        if (len >= cap) return len;
        const bigger = Buffer.allocUnsafe(Math.min(cap, this.buf.length * 2));
        this.buf.copy(bigger, 0, 0, len);
        this.buf = bigger;
      }
      const want = this.buf.length - len;
      const n = this.sys.read(fd, this.buf, len, want, position === null ? null : position + len);
      len += n;
      // These are single_open seq files: one read returns all of it when it fits, so a short read is the end.
      if (n < want) return len;
    }
  }

  /**
   * The fd of the last `stat` read with `keep`, open until {@link takeKept} or {@link dropKept}; -1 when none. An fd
   * of `/proc/PID/stat` belongs to the process instance it was opened on: reading it again after that process is
   * gone fails with ESRCH, even when the PID has been reused.
   */
  kept = -1;

  /** Hands the kept fd to the caller (who closes it). */
  takeKept(): number {
    const fd = this.kept;
    this.kept = -1;
    return fd;
  }

  /** Closes the kept fd, if any. */
  dropKept(): void {
    if (this.kept >= 0) this.sys.close(this.takeKept());
  }

  /**
   * Reads an open /proc file again from its start (pread at 0; the kernel generates it anew) into `buf`: its length,
   * or a failure class (`gone` once its process instance has been reaped).
   */
  reread(fd: number, path: string, cap = 65536): number | ReadFailure {
    try {
      return this.readAt(fd, cap, 0);
    } catch (e) {
      return this.note(classifyReadError(e, path));
    }
  }

  private note(f: ReadFailure): ReadFailure {
    if (f === 'denied') this.denied++;
    return f;
  }

  /** The directory of a PID's files under the root: `/proc/PID`. */
  dirOf(pid: number | string): string {
    return `${this.root}/${pid}`;
  }

  /**
   * `stat` of a process directory into `buf`: one open, one read, one close; with `keep`, the fd stays open in
   * {@link kept} when the read succeeds.
   */
  readStat(dir: string, keep = false): number | ReadFailure {
    return this.readFile(`${dir}/stat`, 65536, keep);
  }

  /** The parsed stat record of a process directory, or null when it cannot be read or parsed. */
  statOf(dir: string): StatInfo | null {
    const len = this.readStat(dir);
    return typeof len === 'number' ? parseStat(this.buf, len) : null;
  }

  /**
   * psmisc's path-NAME test on `DIR/exe`: the same dev+inode as the NAME's file (the link followed), else the link
   * text equal to NAME byte for byte (a binary replaced on disk). False when `exe` cannot be read.
   */
  exeIs(dir: string, dev: bigint, ino: bigint, raw: Uint8Array): boolean {
    const path = `${dir}/exe`;
    try {
      const st = this.sys.stat(path);
      if (st.dev === dev && st.ino === ino) return true;
      return this.sys.readlink(path).equals(raw);
    } catch (e) {
      classifyReadError(e, path);
      return false;
    }
  }

  /** The real UID of a process, `null` when its status cannot be read, undefined when it has no Uid line. */
  readUid(dir: string): number | null | undefined {
    const len = this.readFile(`${dir}/status`);
    if (typeof len !== 'number') return null;
    return parseRealUid(this.buf, len);
  }

  /**
   * psmisc's long name for a process whose comm is `comm`: `null` when cmdline cannot be opened (psmisc then
   * skips the process), `undefined` when there is none. Reads in chunks and stops as soon as it is decided, never
   * past {@link CMDLINE_CAP}.
   */
  readLongName(dir: string, comm: Uint8Array, cap = CMDLINE_CAP): Buffer | null | undefined {
    const path = `${dir}/cmdline`;
    let fd: number;
    try {
      fd = this.sys.open(path);
    } catch (e) {
      this.note(classifyReadError(e, path));
      return null;
    }
    let data = this.cmdline;
    try {
      let len = 0;
      let from = 0;
      for (;;) {
        if (len === data.length) {
          if (len >= cap) return undefined;
          const bigger = Buffer.allocUnsafe(Math.min(cap, data.length * 4));
          data.copy(bigger, 0, 0, len);
          data = bigger;
        }
        const n = this.sys.read(fd, data, len, data.length - len);
        len += n;
        const r = scanLongName(data, len, comm, n === 0, from);
        if (r.kind === 'found') return Buffer.from(data.subarray(r.start, r.end));
        if (r.kind === 'none') return undefined;
        from = r.resume;
      }
    } catch (e) {
      // Vanishing mid-read: psmisc's fgetc sees EOF and the walk ends with what it had.
      classifyReadError(e, path);
      return undefined;
    } finally {
      this.sys.close(fd);
    }
  }

  private readonly cmdline = Buffer.allocUnsafe(4096);

  /** The inode of `DIR/ns/pid`, or 0n when it cannot be stat()ed. */
  pidNsInode(dir: string): bigint {
    try {
      return this.sys.stat(`${dir}/ns/pid`).ino;
    } catch (e) {
      classifyReadError(e, 'ns/pid');
      return 0n;
    }
  }

  /** The first line of `DIR/attr/current` (newline kept, at most 8191 bytes), or null when unreadable. */
  readContext(dir: string): Buffer | null {
    const len = this.readFile(`${dir}/attr/current`, 8192);
    if (typeof len !== 'number' || len === 0) return null;
    let end = this.buf.indexOf(0x0a);
    end = end < 0 || end >= len ? len : end + 1;
    return Buffer.from(this.buf.subarray(0, Math.min(end, 8191)));
  }

  /** The first number of /proc/uptime, or undefined when it cannot be opened. */
  readUptime(): number | undefined {
    const len = this.readFile(`${this.root}/uptime`);
    if (typeof len !== 'number') return undefined;
    return Number.parseFloat(this.buf.toString('latin1', 0, len)) || 0;
  }
}
