/**
 * The picker's entry from the CLI: the parsed options (argv.ts's extension parser), the terminal streams, the exit
 * status. This module is the root of the separate bundle dist/pick.cjs, which run.ts loads only for `--pick` (and
 * for `killall-ts` alone on a terminal).
 */
import type { Readable } from 'node:stream';
import { KillallError } from '../../errors.js';
import type { System } from '../../system.js';
import type { CliOptions } from '../argv.js';
import { criteriaOf } from '../criteria.js';
import type { Output } from '../output.js';
import type { PickOptions } from './backend.js';
import { runPicker } from './index.js';

export { runPicker } from './index.js';

/** What the CLI hands the picker (a subset of run.ts's CliIo). */
export interface PickCliIo {
  readonly out: Output;
  readonly stdin: () => Readable;
  readonly env: NodeJS.ProcessEnv;
  readonly system: System;
}

/**
 * The picker's options from the command line's: the selection (every process when nothing narrows it), and the
 * signal, `-g`, `-w`, `--tree`, `--kill-after`, `--timeout`, `--dry-run` as the initial choices. `undefined` (for
 * `killall-ts` alone): every process, TERM.
 */
export function pickOptionsOf(o: CliOptions | undefined): PickOptions {
  const scope = { kernelThreads: false, excludeAncestors: true };
  if (!o) return { criteria: { names: [], ...scope } };
  return {
    criteria: criteriaOf(o, scope),
    signal: o.signal,
    processGroup: o.processGroup,
    wait: o.wait,
    tree: o.tree,
    dryRun: o.dryRun,
    ...(o.killAfterMs !== undefined ? { killAfterMs: o.killAfterMs } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  };
}

/** `killall --pick …` (options already parsed and checked) or `killall-ts` alone: returns the exit status. */
export async function runPickCli(o: CliOptions | undefined, io: PickCliIo): Promise<number> {
  try {
    return await runPicker(pickOptionsOf(o), {
      input: io.stdin() as NodeJS.ReadStream,
      output: process.stdout,
      err: (text) => io.out.write(2, text),
      env: io.env,
      system: io.system,
    });
  } catch (e) {
    // The library's fatal errors (no /proc, an unknown user, …): one line, as killall prints them, exit 1.
    if (e instanceof KillallError) {
      io.out.write(2, `killall: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
