import { ProcReader } from '../procfs/reader.js';
import { parseStat } from '../procfs/stat.js';
import type { System } from '../system.js';
import { codeOf } from '../text/strerror.js';
import { validatePgid } from './pid.js';
import { type Pin, pinDir } from './send.js';

/**
 * Something that was signalled and is waited for: a process instance (its pin when one is held, else its PID and
 * start time; `comm` is what it was called when signalled, for messages only, never part of its identity), or a
 * process group.
 */
export type WaitTarget =
  | {
      readonly kind: 'process';
      readonly pid: number;
      readonly startTime: string;
      readonly comm: Uint8Array;
      readonly pin?: Pin;
    }
  | { readonly kind: 'group'; readonly pgid: number };

/** Options of {@link waitForExit}. */
export interface WaitOptions {
  /** Give up after this many milliseconds; undefined waits as long as it takes (psmisc's `-w`). */
  readonly timeoutMs?: number;
  /** Give up when this is aborted (checked before each poll); what is left is in `remaining`. */
  readonly abortSignal?: AbortSignal;
}

/** The outcome of a wait: `remaining` is empty when everything is gone. */
export interface WaitResult {
  /** Targets still alive when the wait ended (only with a timeout). */
  readonly remaining: readonly WaitTarget[];
  /** How long the wait took. */
  readonly elapsedMs: number;
}

const GONE_STATES = new Set(['Z', 'X', 'x']);

/**
 * Whether a signalled process is gone: its pin (or its PID with the same start time) no longer reads, or it is a
 * zombie that only waits for its parent. A reused PID has another start time, so it is never waited on; a process
 * that renamed itself (on SIGTERM, say) is the same process and is waited for.
 */
export function processGone(
  sys: System,
  t: { pid: number; startTime: string; pin?: Pin },
  reader = new ProcReader(sys),
): boolean {
  if (t.pin) {
    const st = reader.statOf(pinDir(t.pin.fd));
    return st === null || GONE_STATES.has(st.state);
  }
  const len = reader.readStat(reader.dirOf(t.pid));
  if (typeof len !== 'number') return len === 'gone';
  const st = parseStat(reader.buf, len);
  return st === null || st.startTime !== t.startTime || GONE_STATES.has(st.state);
}

/** Whether a process group has no member left but zombies. */
export function groupGone(sys: System, pgid: number, reader = new ProcReader(sys)): boolean {
  try {
    sys.kill(-validatePgid(pgid), 0);
  } catch (e) {
    if (codeOf(e) === 'ESRCH') return true;
  }
  for (const pid of reader.listPidNames()) {
    const len = reader.readStat(reader.dirOf(pid));
    if (typeof len !== 'number') continue;
    const st = parseStat(reader.buf, len);
    if (st && st.pgrp === pgid && !GONE_STATES.has(st.state)) return false;
  }
  return true;
}

/** Options of {@link waitUntilGone}. */
export interface BoundedWaitOptions {
  /** Stop waiting at this `Date.now()` value; undefined waits as long as it takes. */
  readonly deadline?: number;
  /** Stop waiting when this is aborted. */
  readonly abortSignal?: AbortSignal;
}

/** How a bounded wait ended. */
export interface BoundedWaitResult<T> {
  /** Targets still alive when the wait ended (empty when every one is gone). */
  readonly remaining: readonly T[];
  /** How long the wait took, in ms. */
  readonly elapsedMs: number;
  /** True when it ended because the AbortSignal fired. */
  readonly aborted: boolean;
  /** True when it ended because the deadline passed with targets left. */
  readonly timedOut: boolean;
}

/** A sleep that ends early, without rejecting, when `abortSignal` fires. */
function sleepAbortable(sys: System, ms: number, abortSignal: AbortSignal | undefined): Promise<void> {
  if (!abortSignal) return sys.sleep(ms);
  if (abortSignal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      abortSignal.removeEventListener('abort', done);
      resolve();
    };
    abortSignal.addEventListener('abort', done, { once: true });
    void sys.sleep(ms).then(done);
  });
}

/**
 * Waits until every target is gone (a zombie counts as gone), polling through pins with back-off from 1 ms to
 * 50 ms, never past `deadline` (the last poll happens at the deadline, so a process that ends just before it is not
 * reported), and ending at once when `abortSignal` fires. `target(x)` gives the wait target of an element.
 */
export async function waitUntilGone<T>(
  sys: System,
  items: readonly T[],
  target: (x: T) => WaitTarget,
  options: BoundedWaitOptions = {},
  reader = new ProcReader(sys),
): Promise<BoundedWaitResult<T>> {
  const start = Date.now();
  let left = [...items];
  let delay = 1;
  const { deadline, abortSignal } = options;
  for (;;) {
    left = left.filter((x) => {
      const t = target(x);
      return !(t.kind === 'group' ? groupGone(sys, t.pgid, reader) : processGone(sys, t, reader));
    });
    const now = Date.now();
    const elapsedMs = now - start;
    if (left.length === 0) return { remaining: [], elapsedMs, aborted: false, timedOut: false };
    if (abortSignal?.aborted) return { remaining: left, elapsedMs, aborted: true, timedOut: false };
    if (deadline !== undefined && now >= deadline)
      return { remaining: left, elapsedMs, aborted: false, timedOut: true };
    const wait = deadline === undefined ? delay : Math.max(0, Math.min(delay, deadline - now));
    await sleepAbortable(sys, wait, abortSignal);
    delay = Math.min(delay * 2, 50);
  }
}

/**
 * Waits until every target is gone, polling with back-off from 1 ms to 50 ms: it returns within a poll of the
 * last exit, not after psmisc's one-second sleeps, and treats zombies as gone (psmisc waits for them forever).
 * (The bounded wait that `--kill-after` uses too, with a timeout instead of a deadline.)
 */
export async function waitForExit(
  sys: System,
  targets: readonly WaitTarget[],
  options: WaitOptions = {},
): Promise<WaitResult> {
  const { timeoutMs, abortSignal } = options;
  const r = await waitUntilGone(sys, targets, (t) => t, {
    ...(timeoutMs !== undefined ? { deadline: Date.now() + timeoutMs } : {}),
    ...(abortSignal ? { abortSignal } : {}),
  });
  return { remaining: r.remaining, elapsedMs: r.elapsedMs };
}
