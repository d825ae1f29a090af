/**
 * `explain`: the run narrated as strace would show it, with the decisions written in. {@link withExplain} is the
 * one hook the library's entry points call: without `explain` it calls the run as is; with it, it loads the
 * explained run (./impl.ts), which gives the run a traced System (./system.ts) and sees its events first.
 */
import type { System } from '../system.js';
import type { ExplainCriteria, ExplainOptions } from './session.js';

export type { NearMiss, NearMissKind } from './nearmiss.js';
export type { DecisionRule, ExplainCriteria, ExplainEvent, ExplainOptions } from './session.js';
export type { SyscallName, SyscallRecord } from './system.js';

/** The options an explainable entry point has. */
export interface ExplainHost extends ExplainCriteria {
  readonly system?: System;
  readonly explain?: ExplainOptions;
  readonly onEvent?: (event: never) => void;
}

/**
 * Runs `run(options)`; when `options.explain` is set, with `system` replaced by a traced one and `onEvent` seen by
 * the explain session first (its `scanned` event ends the scan: summary and hints). `foundOf` gives, for entry
 * points without a `scanned` event, which NAMEs found something.
 */
export async function withExplain<O extends ExplainHost, R>(
  options: O,
  run: (options: O) => Promise<R>,
  foundOf?: (result: R) => readonly boolean[],
): Promise<R> {
  if (!options.explain) return run(options);
  const { explainRun } = await import('./impl.js');
  return explainRun(options, run, foundOf);
}
