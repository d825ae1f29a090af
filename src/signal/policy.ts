/**
 * What a mass signal may do to the whole process: the CLI's choice, passed explicitly to the library entry it calls
 * (`killallPsmiscSignals`); the library's `killall()` never has one, and a run without it sends as it scans.
 * Batching switches on only when this object is passed (docs/reliability.md "Batched sends").
 */
import type { PidfdResult } from '../system.js';

/** How a run may use the process for a mass signal (the CLI's, or a test's fake). */
export interface MassSignalPolicy {
  /** Holding many pins at once. */
  readonly batch: {
    /**
     * Called once, when a run is about to hold more than 16 pins: makes the fd table ready for `slots` fds (`anyFd`
     * is an open fd it may duplicate). 0 when the run may hold them, else the errno code (the run then sends every
     * 16 pins).
     */
    readonly makeRoom: (anyFd: number, slots: number) => PidfdResult;
  };
  /** The priority of a loop of sends. */
  readonly raise: {
    /**
     * Raises the calling thread for one loop of sends, when the policy allows it: true when raised (then
     * {@link lower} follows, before anything else).
     */
    readonly raise: () => boolean;
    /** Undoes a raise that succeeded; nothing otherwise. */
    readonly lower: () => void;
    /**
     * The last loop of a run that does not wait may stay raised after it, for the bookkeeping that follows: the
     * caller lowers before anything is written (the CLI's output does) and the process ends after the run. Else
     * every loop is lowered right after its sends.
     */
    readonly untilOutput: boolean;
  };
}
