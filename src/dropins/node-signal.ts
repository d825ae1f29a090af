/** What the drop-ins share with Node's own `process.kill`: how it reads a signal, and the errors it throws. */
import { constants } from 'node:os';
import { SIGTERM } from '../signal/signals.js';

/** The highest signal number Linux has: `process.kill` passes larger ones to the kernel, which says EINVAL. */
const SIGNAL_MAX = 64;

/** An error as `process.kill` throws it for an errno: `kill EPERM`, with `errno`, `code` and `syscall`. */
export function killError(code: string): Error {
  const errno = (constants.errno as Record<string, number | undefined>)[code];
  return Object.assign(new Error(`kill ${code}`), {
    errno: errno === undefined ? undefined : -errno,
    code,
    syscall: 'kill',
  });
}

/**
 * A signal read as `process.kill(pid, signal)` reads it: an int32 as is (outside 0-64, the kernel's EINVAL as an
 * error), anything else falsy as SIGTERM, a name only as spelt in `os.constants.signals` (`'SIGHUP'`, not `'HUP'`).
 * Returns the number, or the error `process.kill` would throw (TypeError ERR_UNKNOWN_SIGNAL, or `kill EINVAL`).
 */
export function nodeSignal(signal: unknown): number | Error {
  if (typeof signal === 'number' && signal === (signal | 0)) {
    return signal < 0 || signal > SIGNAL_MAX ? killError('EINVAL') : signal;
  }
  if (!signal) return SIGTERM;
  const table = constants.signals as Record<string, number | undefined>;
  const n = typeof signal === 'string' ? table[signal] : undefined;
  if (n !== undefined) return n;
  return Object.assign(new TypeError(`Unknown signal: ${String(signal)}`), { code: 'ERR_UNKNOWN_SIGNAL' });
}
