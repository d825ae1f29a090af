import type { ProcReader } from '../procfs/reader.js';
import type { System } from '../system.js';
import { sendKill } from './escalate.js';
import type { SendResult } from './send.js';
import { type WaitTarget, waitUntilGone } from './wait.js';

/** What happens after the signals went out: `-w`, `--timeout`, `--kill-after`. */
export interface AfterSendOptions {
  /** Send SIGKILL to what still runs this many ms after `firstSendAt`. */
  readonly killAfterMs?: number;
  /** When the first signal went out (`Date.now()`): the kill-after deadline counts from here. */
  readonly firstSendAt: number;
  /** Bound the wait (`-w`), or the final wait after SIGKILL, to this many ms from its start. */
  readonly timeoutMs?: number;
  /** Ends every wait at once; no SIGKILL is sent after it fired. */
  readonly abortSignal?: AbortSignal;
  /** Told of each SIGKILL sent, or failed, as it happens. */
  readonly onEscalation?: (index: number, result: SendResult, afterMs: number) => void;
}

/** The outcome, by indexes into the entries given. */
export interface AfterSendResult {
  /** Entries that got SIGKILL (`--kill-after`), with when, in ms after the first send. */
  readonly escalated: readonly { readonly index: number; readonly afterMs: number }[];
  /** Entries whose SIGKILL failed (other than ESRCH: gone in between, which counts as gone). */
  readonly escalationFailed: readonly { readonly index: number; readonly code: string }[];
  /** Entries still running when the (bounded) wait ended. */
  readonly remaining: readonly number[];
  /** How long all waiting took, in ms. */
  readonly elapsedMs: number;
  /** The wait ended because the timeout passed. */
  readonly timedOut: boolean;
  /** The wait ended because the AbortSignal fired. */
  readonly aborted: boolean;
}

/**
 * Waits for the signalled targets as asked: with `killAfterMs`, until the kill-after deadline, then SIGKILL to the
 * survivors (through their pins, or `kill(-pgid)` for groups), then until they are gone (bounded by `timeoutMs`);
 * else (`-w`) until they are gone (bounded by `timeoutMs`). A zombie counts as gone. Only called when something
 * waits (`-w` or a kill-after).
 */
export async function afterSend(
  sys: System,
  reader: ProcReader,
  targets: readonly WaitTarget[],
  o: AfterSendOptions,
): Promise<AfterSendResult> {
  const start = Date.now();
  const indexes = targets.map((_, i) => i);
  const of = (i: number): WaitTarget => targets[i]!;
  const escalated: { index: number; afterMs: number }[] = [];
  const escalationFailed: { index: number; code: string }[] = [];
  let left = indexes;
  if (o.killAfterMs !== undefined) {
    const first = await waitUntilGone(
      sys,
      left,
      of,
      {
        deadline: o.firstSendAt + o.killAfterMs,
        ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
      },
      reader,
    );
    if (first.aborted)
      return {
        escalated,
        escalationFailed,
        remaining: first.remaining,
        elapsedMs: Date.now() - start,
        timedOut: false,
        aborted: true,
      };
    left = [];
    for (const i of first.remaining) {
      const r = sendKill(sys, of(i), reader);
      const afterMs = Date.now() - o.firstSendAt;
      o.onEscalation?.(i, r, afterMs);
      if (r === 'ok') {
        escalated.push({ index: i, afterMs });
        left.push(i);
      } else if (r !== 'ESRCH') escalationFailed.push({ index: i, code: r });
    }
  }
  const final = await waitUntilGone(
    sys,
    left,
    of,
    {
      ...(o.timeoutMs !== undefined ? { deadline: Date.now() + o.timeoutMs } : {}),
      ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
    },
    reader,
  );
  return {
    escalated,
    escalationFailed,
    remaining: final.remaining,
    elapsedMs: Date.now() - start,
    timedOut: final.timedOut,
    aborted: final.aborted,
  };
}
