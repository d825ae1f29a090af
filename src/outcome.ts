/**
 * The parts of the library's options, targets, events and report that go beyond psmisc: dry runs, TERM-then-KILL,
 * bounded and abortable waits, process trees, details for display. `killall()` and `signalProcesses()` share them.
 */
import type { WaitResult } from './signal/wait.js';

/** Options beyond psmisc's, shared by {@link killall} and {@link signalProcesses}. */
export interface ExtensionOptions {
  /**
   * Select, pin and confirm exactly as a real run would, ask nothing, send nothing: the targets are reported in
   * `planned` (and as `planned` events). @default false
   */
  readonly dryRun?: boolean;
  /**
   * After sending, wait up to this many milliseconds (counted from the first send) for every target to end, then
   * send SIGKILL to the survivors through their pins (`kill(-pgid, SIGKILL)` with `processGroup`), then wait for
   * them (bounded by `wait.timeoutMs` when given). Not with signal 0 or 9 (BAD_OPTION). At most 24 days.
   */
  readonly killAfter?: number;
  /**
   * Also signal every descendant of each selected process (from the ppid links of the same PID snapshot), each
   * pinned and confirmed by its start time, parents before children. Never killall-ts itself or its ancestors.
   * Not with `processGroup` (BAD_OPTION). @default false
   */
  readonly tree?: boolean;
  /** Read each target's real UID and command line (through its pin) into `uid` and `cmdline`. @default false */
  readonly details?: boolean;
  /**
   * Ends every wait (`wait`, `killAfter`) at once when aborted; no SIGKILL is sent after that. Already aborted at
   * the call: rejects with the signal's reason before anything is read.
   */
  readonly abortSignal?: AbortSignal;
}

/** Fields a target has beyond psmisc's. */
export interface TargetExtras {
  /** Start time in clock ticks after boot: with `pid`, the identity of the instance that was pinned. */
  readonly startTime: string;
  /** With `details` or `tree`: the parent PID, as read through the pin. */
  readonly ppid?: number;
  /** With `details`: the real UID (absent when `status` could not be read). */
  readonly uid?: number;
  /** With `details`: the age in seconds, as `-o`/`-y` compute it (from /proc/uptime and the start time). */
  readonly age?: number;
  /** With `details`: the command line, NUL-separated raw bytes (absent when unreadable; empty for kernel threads). */
  readonly cmdline?: Uint8Array;
  /** With `tree`: the PID of the selected process this one is a descendant of. Descendants earn no NAME credit. */
  readonly descendantOf?: number;
  /** With `tree`, on a selected process: how many descendants come with it (what `confirm` is asked once for). */
  readonly descendants?: number;
  /** With `processGroup` and `dryRun`: the PIDs of the group's members in the snapshot. */
  readonly members?: readonly number[];
}

/** How the waiting ended, beyond psmisc's `-w`. */
export interface WaitOutcome extends WaitResult {
  /** The wait stopped at its timeout with targets left (they are in `remaining` and the report's `stillRunning`). */
  readonly timedOut: boolean;
  /** The wait stopped because `abortSignal` fired. */
  readonly aborted: boolean;
}

/** Report fields beyond psmisc's. */
export interface ExtensionReport<T> {
  /** True when nothing was sent (`dryRun`). */
  readonly dryRun: boolean;
  /** With `dryRun`: every target that would have been signalled, in order. */
  readonly planned: readonly T[];
  /** With `killAfter`: targets that got SIGKILL, and when (ms after the first send). */
  readonly escalated: readonly { readonly target: T; readonly afterMs: number }[];
  /** With `killAfter`: targets whose SIGKILL failed, with the errno code. */
  readonly escalationFailed: readonly { readonly target: T; readonly code: string }[];
  /** Targets still running when a bounded wait timed out (or was aborted). */
  readonly stillRunning: readonly T[];
  /** Present when waiting was asked for (`wait`, or `killAfter`). */
  readonly wait?: WaitOutcome;
}

/**
 * Events beyond psmisc's:
 * - `planned`: with `dryRun`, `target` would get `signal` (and, with `killAfter`, SIGKILL if it outlives it);
 * - `escalated`: `target` outlived `killAfter` and got SIGKILL, `afterMs` after the first send;
 * - `escalation-failed`: that SIGKILL failed with errno `code`.
 */
export type ExtensionEvent<T> =
  | { readonly type: 'planned'; readonly target: T; readonly signal: number }
  | { readonly type: 'escalated'; readonly target: T; readonly signal: 9; readonly afterMs: number }
  | { readonly type: 'escalation-failed'; readonly target: T; readonly code: string };
