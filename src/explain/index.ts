/**
 * `explain`: the run narrated as strace would show it, with the decisions written in. {@link withExplain} is the
 * one hook the library's entry points call: without `explain` it calls the run as is; with it, the run gets a
 * traced System (src/explain/system.ts) and its events pass through the session first.
 */
import { realSystem, type System } from '../system.js';
import { type ExplainCriteria, type ExplainOptions, ExplainSession } from './session.js';
import { traceSystem } from './system.js';

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
 * the session first (its `scanned` event ends the scan: summary and hints). `foundOf` gives, for entry points
 * without a `scanned` event, which NAMEs found something.
 */
export async function withExplain<O extends ExplainHost, R>(
  options: O,
  run: (options: O) => Promise<R>,
  foundOf?: (result: R) => readonly boolean[],
): Promise<R> {
  const explain = options.explain;
  if (!explain) return run(options);
  const base = options.system ?? realSystem;
  const session = new ExplainSession(options, explain, base.pid);
  const system = traceSystem(base, session);
  session.system = system;
  const caller = options.onEvent as ((e: unknown) => void) | undefined;
  const onEvent = (e: { readonly type: string }): void => {
    session.libraryEvent(e);
    caller?.(e);
  };
  try {
    const r = await run({ ...options, system, onEvent });
    if (foundOf) session.scanEnd(foundOf(r));
    return r;
  } finally {
    session.close();
  }
}
