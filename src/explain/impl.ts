/**
 * The explained run itself, loaded by {@link withExplain} only when `explain` is given (in the CLI bundle it is a
 * file of its own, dist/explain.cjs, so a plain run neither loads nor parses it).
 */
import { realSystem } from '../system.js';
import type { ExplainHost } from './index.js';
import { ExplainSession } from './session.js';
import { traceSystem } from './system.js';

/** See {@link withExplain}; `options.explain` is set. */
export async function explainRun<O extends ExplainHost, R>(
  options: O,
  run: (options: O) => Promise<R>,
  foundOf?: (result: R) => readonly boolean[],
): Promise<R> {
  const base = options.system ?? realSystem;
  const session = new ExplainSession(options, options.explain!, base.pid);
  const system = traceSystem(base, session);
  session.system = system;
  options.explain!.attach?.(() => session.close());
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
