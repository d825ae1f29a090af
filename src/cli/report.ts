import type { Target } from '../killall.js';
import { signalName } from '../signal/signals.js';
import { formatDuration } from '../text/duration.js';
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

// ---- killall-ts extensions (none of these lines exists in psmisc) ----

/** `SIGTERM`, or `SIG40` for a number without a name (psmisc's table has 31), `0` for the null signal. */
export function signalLabel(signal: number): string {
  if (signal === 0) return '0';
  const n = signalName(signal);
  return n === undefined ? `SIG${signal}` : `SIG${n}`;
}

/** An age in seconds as `45s`, `3m5s`, `2h0m7s`, `3d4h5m6s` (whole seconds, rounded down). */
export function formatAge(seconds: number): string {
  let s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d}d${h}h${m}m${s}s`;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/**
 * The arguments of a command line: the bytes between NULs, as views into `cmdline`. Every NUL ends one, so a
 * trailing NUL leaves an empty last argument; an empty command line has none.
 */
export function splitArgs(cmdline: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (cmdline.length === 0) return out;
  let start = 0;
  for (let i = 0; i <= cmdline.length; i++) {
    if (i === cmdline.length || cmdline[i] === 0) {
      out.push(cmdline.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

/** A command line for display: the NUL-separated arguments joined by spaces, each escaped as names are. */
export function shownCmdline(cmdline: Uint8Array): string {
  return utf8AsBytes(
    splitArgs(cmdline)
      .map((a) => escapeName(a))
      .join(' '),
  );
}

/**
 * One `--dry-run` line (documented in docs/extensions.md):
 * `SIGTERM NAME(PID) user=USER age=AGE [members=P,Q] [descendant-of=PID] [kill-after=5s] -- CMDLINE`
 * With `-g` the id is `pgid N`; the command line is the matched process's (empty when unreadable).
 */
export function dryRunLine(
  t: Target,
  signal: number,
  o: { readonly killAfterMs?: number; readonly userName?: (uid: number) => string | undefined },
): string {
  const user = t.uid === undefined ? '?' : (o.userName?.(t.uid) ?? String(t.uid));
  let line = `${signalLabel(signal)} ${shown(t.name)}(${id(t)})`;
  line += ` user=${shown(Buffer.from(user, 'latin1'))} age=${t.age === undefined ? '?' : formatAge(t.age)}`;
  if (t.members) line += ` members=${t.members.join(',')}`;
  if (t.descendantOf !== undefined) line += ` descendant-of=${t.descendantOf}`;
  if (o.killAfterMs !== undefined) line += ` kill-after=${formatDuration(o.killAfterMs)}`;
  return `${line} -- ${t.cmdline ? shownCmdline(t.cmdline) : ''}\n`;
}

/** `-v` with `--tree`: `Killed NAME(PID) with signal N (descendant of PID)`. */
export function killedDescendantLine(t: Target, signal: number): string {
  return `Killed ${shown(t.name)}(${t.pid}) with signal ${signal} (descendant of ${t.descendantOf})\n`;
}

/** `-v` with `--kill-after`: `Killed NAME(PID) with signal 9 after 5s`. */
export function escalatedLine(t: Target, afterMs: number): string {
  return `Killed ${shown(t.name)}(${id(t)}) with signal 9 after ${formatDuration(afterMs)}\n`;
}

/** A SIGKILL of `--kill-after` that failed: `NAME(PID): <strerror> (SIGKILL of --kill-after)`. */
export function escalationFailedLine(t: Target, code: string): string {
  return `${shown(t.name)}(${t.pgid ?? t.pid}): ${strerror(code)} (SIGKILL of --kill-after)\n`;
}

/** `--timeout` ran out: `NAME(PID): still running after 10s`. */
export function stillRunningLine(t: Target, ms: number): string {
  return `${shown(t.name)}(${id(t)}): still running after ${formatDuration(ms)}\n`;
}

/** The `-i` prompt of a `--tree` root: `Kill NAME(PID) and its 3 descendants ? (y/N) `. */
export function treePromptText(t: Target, signal: number): string {
  const n = t.descendants ?? 0;
  return `${signal === 15 ? 'Kill' : 'Signal'} ${shown(t.comm)}(${t.pid}) and its ${n} descendant${n === 1 ? '' : 's'} ? (y/N) `;
}
