import type { Target } from '../killall.js';
import { escapeName } from '../text/escape.js';
import { strerror } from '../text/strerror.js';

// Lines go out as UTF-8 of the escaped text; user-given NAMEs are byte strings and go out as they came in.
const utf8AsBytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const shown = (bytes: Uint8Array): string => utf8AsBytes(escapeName(bytes));
const id = (t: Target): string => (t.pgid !== undefined ? `pgid ${t.pgid}` : String(t.pid));

/** `Killed NAME(PID) with signal N` (psmisc `-v`), `pgid ` form with `-g`. Byte string. */
export function killedLine(t: Target, signal: number): string {
  return `Killed ${shown(t.name)}(${id(t)}) with signal ${signal}\n`;
}

/** `NAME(ID): <strerror>` for a failed send; the id carries no `pgid ` prefix, as in psmisc. */
export function failedLine(t: Target, code: string): string {
  return `${shown(t.name)}(${t.pgid ?? t.pid}): ${strerror(code)}\n`;
}

/** psmisc `-e -v`: `killall: skipping partial match COMM(PID)`. */
export function partialLine(pid: number, comm: Uint8Array): string {
  return `killall: skipping partial match ${shown(comm)}(${pid})\n`;
}

/** The `-i` prompt: `Kill` for SIGTERM, `Signal` otherwise, with the comm (never the long name). */
export function promptText(t: Target, signal: number): string {
  return `${signal === 15 ? 'Kill' : 'Signal'} ${shown(t.comm)}(${id(t)}) ? (y/N) `;
}

/** `NAME: no process found`, NAME as given on the command line. */
export function notFoundLine(name: string): string {
  return `${name}: no process found\n`;
}

/** Our own line for a process group we will not signal (psmisc would send kill(-1), to every process). */
export function refusedLine(t: Target): string {
  return `killall: ${shown(t.name)}(${t.pid}): not signalling process group ${t.pgid}: that would reach every process\n`;
}

/** Said once when nothing was found and some processes could not be read (hidepid). */
export function unreadableLine(count: number): string {
  return `killall: ${count} process${count === 1 ? '' : 'es'} could not be read (Permission denied)\n`;
}
