import { rangeEqual } from '../match/name.js';
import { classifyReadError, ProcReader } from '../procfs/reader.js';
import { bytesEqualText, PF_KTHREAD, statKey } from '../procfs/stat.js';
import type { System } from '../system.js';
import { codeOf } from '../text/strerror.js';
import { validatePgid, validatePid, validateSignal } from './pid.js';

/**
 * A hold on one process instance: an fd of its /proc/PID directory. Reads through `/proc/self/fd/N/…` and
 * pidfd_send_signal(N) reach that instance or fail with ESRCH, even after the PID has been reused.
 */
export interface Pin {
  /** The PID the directory was opened for. */
  readonly pid: number;
  /** The `/proc/PID` directory fd. */
  readonly fd: number;
  /** Start time read through the pin (clock ticks after boot). */
  readonly startTime: string;
  /**
   * comm read through the pin when it was confirmed, for messages only: a process may rename itself at any time, so
   * a changed comm never makes it another process (identity is the pin, or PID and start time).
   */
  readonly comm: Uint8Array;
}

/** How a send ended: `ok`, or the errno code (`ESRCH` means the process was gone). */
export type SendResult = 'ok' | string;

/**
 * Whether the pinned process is still there and is the instance with this start time (false when it is gone). Its
 * comm is not looked at: a process that renamed itself is the same process.
 */
export function pinnedIs(reader: ProcReader, fd: number, startTime: string): boolean {
  const st = reader.statOf(pinDir(fd));
  return st !== null && st.startTime === startTime;
}

/**
 * What the `stat` fd the scan opened for `pid` shows when read again now: `same` (this start time and comm, and not
 * a kernel thread unless `kernelThreads`), `alive` (the instance is there but shows something else), `gone` (it has
 * been reaped: the fd belongs to the instance it was opened on and fails with ESRCH even after the PID was reused),
 * or `unknown` (another read error). Read after a pin of PID was opened, anything but `gone`/`unknown` proves
 * that the pin holds this instance (docs/reliability.md, T7): that is the identity. The comm is compared for another
 * question, whether the match still holds (`alive` sends the run to a full re-examination through the pin, whose
 * NAMEs decide), never to tell one process from another.
 */
export function statFdShows(
  reader: ProcReader,
  statFd: number,
  pid: number,
  startTime: string,
  comm: Uint8Array,
  kernelThreads: boolean,
): 'same' | 'alive' | 'gone' | 'unknown' {
  const len = reader.reread(statFd, `/proc/${pid}/stat`);
  if (typeof len !== 'number') return len === 'gone' ? 'gone' : 'unknown';
  const k = reader.key;
  const b = reader.buf;
  if (!statKey(b, len, k)) return 'unknown';
  return bytesEqualText(b, k.startFrom, k.startTo, startTime) &&
    k.commEnd - k.commStart === comm.length &&
    rangeEqual(comm, 0, b, k.commStart, comm.length, false) &&
    (kernelThreads || (k.flags & PF_KTHREAD) === 0)
    ? 'same'
    : 'alive';
}

/**
 * Opens the `/proc/PID` directory: from here on, reads through `/proc/self/fd/FD/…` and pidfd_send_signal(FD)
 * reach this process instance or fail with ESRCH. Returns null when the PID is gone.
 */
export function openPin(sys: System, pid: number): number | null {
  validatePid(pid);
  try {
    return sys.open(`/proc/${pid}`, true);
  } catch (e) {
    classifyReadError(e, `/proc/${pid}`);
    return null;
  }
}

/** The directory through which a pin's files are read. */
export const pinDir = (fd: number): string => `/proc/self/fd/${fd}`;

/** Releases a pin. */
export function unpin(sys: System, p: Pin): void {
  sys.close(p.fd);
}

/** Whether pidfd signalling works here; decided once per System by {@link probePidfd}. */
const pidfdUsable = new WeakMap<System, boolean>();

/**
 * Probes pidfd_send_signal once with signal 0 on a pin of ourselves. ENOSYS (old kernel, no FFI) and EPERM/EACCES
 * (a seccomp filter; we may always signal ourselves) mean: use kill(2) with a start-time re-check instead. No probe
 * when the system says the call cannot be made at all ({@link System.pidfdAvailable}).
 */
export function probePidfd(sys: System): boolean {
  let ok = pidfdUsable.get(sys);
  if (ok !== undefined) return ok;
  ok = false;
  if (sys.pidfdAvailable?.() === false) {
    pidfdUsable.set(sys, ok);
    return ok;
  }
  const fd = openPin(sys, sys.pid);
  if (fd !== null) {
    try {
      ok = sys.pidfdSendSignal(fd, 0) === 0;
    } finally {
      sys.close(fd);
    }
  }
  pidfdUsable.set(sys, ok);
  return ok;
}

/**
 * Sends `signal` to the pinned process: pidfd_send_signal through the pin (race-free), or, where pidfds are not
 * usable, kill(2) right after re-checking the start time through the pin (a window of microseconds).
 */
export function sendPinned(sys: System, p: Pin, signal: number, reader = new ProcReader(sys)): SendResult {
  validateSignal(signal);
  validatePid(p.pid);
  if (probePidfd(sys)) {
    const r = sys.pidfdSendSignal(p.fd, signal);
    if (r !== 'ENOSYS') return r === 0 ? 'ok' : r;
    pidfdUsable.set(sys, false);
  }
  if (!pinnedIs(reader, p.fd, p.startTime)) return 'ESRCH';
  return killChecked(sys, p.pid, signal);
}

/** kill(-pgid, signal) for a validated group id above 1. */
export function sendGroup(sys: System, pgid: number, signal: number): SendResult {
  validateSignal(signal);
  return killChecked(sys, -validatePgid(pgid), signal);
}

function killChecked(sys: System, target: number, signal: number): SendResult {
  try {
    sys.kill(target, signal);
    return 'ok';
  } catch (e) {
    const code = codeOf(e);
    if (code === undefined) throw e;
    return code;
  }
}
