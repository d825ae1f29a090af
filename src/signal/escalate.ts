import { ProcReader } from '../procfs/reader.js';
import type { System } from '../system.js';
import { openPin, pinnedIs, type SendResult, sendGroup, sendPinned } from './send.js';
import { groupGone, processGone, type WaitTarget } from './wait.js';

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
 * Sends SIGKILL to one survivor of the first signal: through its pin (never by a bare PID: a target without a
 * pin was waited on by PID and start time, and is pinned again and re-checked before the send), or, for a process
 * group, `kill(-pgid, SIGKILL)`.
 */
export function sendKill(sys: System, t: WaitTarget, reader: ProcReader): SendResult {
  if (t.kind === 'group') return sendGroup(sys, t.pgid, 9);
  if (t.pin) return sendPinned(sys, t.pin, 9, reader);
  const fd = openPin(sys, t.pid);
  if (fd === null) return 'ESRCH';
  try {
    if (!pinnedIs(reader, fd, t.startTime, t.comm)) return 'ESRCH';
    return sendPinned(sys, { pid: t.pid, fd, startTime: t.startTime, comm: t.comm }, 9, reader);
  } finally {
    sys.close(fd);
  }
}
