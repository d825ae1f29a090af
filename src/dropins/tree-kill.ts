/**
 * tree-kill 1.2.2's API over {@link signalTree}: `treeKill(pid, signal?, callback?)`. Nothing is spawned (the
 * original runs `ps` once per process of the tree), the tree is walked from /proc until no new child appears, and
 * every process is pinned and confirmed by its start time before its signal, children before their parent.
 */

import { PID_MAX_LIMIT } from '../signal/pid.js';
import { signalTree } from '../tree-signal.js';
import { killError, nodeSignal } from './node-signal.js';

/** Called once the signals are sent: without an argument, or with the first error (ESRCH is never one). */
export type TreeKillCallback = (error?: Error) => void;

/** tree-kill's function: the signal is optional, and so is the callback. */
export interface TreeKill {
  (pid: number, callback?: TreeKillCallback): void;
  (pid: number, signal?: string | number, callback?: TreeKillCallback): void;
}

/** What the original does with an error and no callback: throws it, from an event handler (uncaught). */
function raise(error: Error): void {
  setImmediate(() => {
    throw error;
  });
}

/**
 * Sends `signal` (as `process.kill` takes it; default SIGTERM) to `pid` and all its descendants, children first,
 * then calls `callback` (or, without one, throws the error). `pid` goes through `parseInt`: not a number is the
 * error "pid must be a number", passed to the callback at once or thrown. A pid that is no process ID (0, negative,
 * beyond PID_MAX) is the error "pid must be a positive process id" (the original would signal a process group, or
 * with 0 every process). ESRCH (a process gone meanwhile) is ignored; any other failure (EPERM) is the callback's
 * error, `kill EPERM` as `process.kill` throws it, after every other process of the tree was signalled.
 */
function treeKillImpl(pid: unknown, signal?: unknown, callback?: unknown): unknown {
  if (typeof signal === 'function' && callback === undefined) {
    callback = signal;
    signal = undefined;
  }
  const done = callback ? (callback as TreeKillCallback) : undefined;
  // biome-ignore lint/correctness/useParseIntRadix: as the original, which reads '0x1F' as 31.
  const n = Number.parseInt(pid as string);
  if (Number.isNaN(n)) {
    const e = new Error('pid must be a number');
    if (done) return done(e);
    throw e;
  }
  if (n <= 0 || n > PID_MAX_LIMIT) {
    const e = new Error('pid must be a positive process id');
    if (done) return done(e);
    throw e;
  }
  const finish = (error?: Error): void => {
    if (done) done(...(error ? [error] : []));
    else if (error) raise(error);
  };
  const sig = nodeSignal(signal);
  if (sig instanceof Error) {
    // As the original: the first process.kill throws it, before anything is signalled, after the walk.
    setImmediate(() => finish(sig));
    return undefined;
  }
  signalTree([n], { signal: sig }).then(
    (r) => {
      const failure = r.failed.find((f) => f.code !== 'ESRCH');
      finish(failure ? killError(failure.code) : undefined);
    },
    (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))),
  );
  return undefined;
}

/** tree-kill's export. */
export const treeKill = treeKillImpl as TreeKill;
