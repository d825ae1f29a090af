/**
 * The picker's entry from the CLI: the interim argv reading (args.ts), the terminal streams, the exit status. This
 * module is the root of the separate bundle dist/pick.cjs, which run.ts loads only for `--pick`.
 */
import type { Readable } from 'node:stream';
import { KillallError } from '../../errors.js';
import type { System } from '../../system.js';
import type { Output } from '../output.js';
import { renderUsage } from '../usage.js';
import { parsePickArgs } from './args.js';
import { runPicker } from './index.js';

export { runPicker } from './index.js';

/** What the CLI hands the picker (a subset of run.ts's CliIo). */
export interface PickCliIo {
  readonly out: Output;
  readonly stdin: () => Readable;
  readonly env: NodeJS.ProcessEnv;
  readonly system: System;
}

/** `killall --pick ARGS…`: returns the exit status. */
export async function runPickCli(rest: readonly string[], io: PickCliIo): Promise<number> {
  const parsed = parsePickArgs(rest, {
    posixlyCorrect: io.env.POSIXLY_CORRECT !== undefined,
    lookupUser: (name) => io.system.lookupUser(name),
  });
  if (parsed.kind === 'error') {
    io.out.write(2, parsed.usage ? renderUsage(parsed.message || undefined) : `${parsed.message}\n`);
    return 1;
  }
  try {
    return await runPicker(parsed.options, {
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
