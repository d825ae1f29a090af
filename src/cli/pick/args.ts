/**
 * Interim: the options that come with `--pick`, read with psmisc's own parser until the extension parser of
 * issue 8 (ext branch) lands and hands the picker its parsed options directly. Only `killall --pick [psmisc
 * options and NAMEs]` reaches here (run.ts's hook takes `--pick` only as the first argument). Without NAMEs,
 * `-u` or `-Z`, psmisc's parser would print its usage; for the picker that means "every process".
 */
import { type CliOptions, type ParseEnv, parseArgv } from '../argv.js';
import type { PickOptions } from './backend.js';

/** The picker's options, or a message and exit status for the caller to print. */
export type PickArgs =
  | { readonly kind: 'pick'; readonly options: PickOptions }
  | { readonly kind: 'error'; readonly message: string; readonly usage: boolean };

/** A NAME that cannot come from argv (argv strings hold no NUL): marks where the real NAMEs end. */
const SENTINEL = '\0pick';

/** Reads the arguments after `--pick`. */
export function parsePickArgs(rest: readonly string[], env: ParseEnv): PickArgs {
  let parsed = parseArgv(rest, env);
  let sentinel = false;
  if (parsed.kind === 'usage' && parsed.message === undefined) {
    // Perhaps only because there is no NAME: try again with one that cannot match, then drop it.
    const again = parseArgv([...rest, ...(rest.includes('--') ? [] : ['--']), SENTINEL], env);
    if (again.kind === 'run' && again.options.names.at(-1) === SENTINEL) {
      parsed = again;
      sentinel = true;
    }
  }
  switch (parsed.kind) {
    case 'run':
      break;
    case 'usage':
      return { kind: 'error', message: parsed.message ?? '', usage: true };
    case 'fail':
      return { kind: 'error', message: parsed.message, usage: false };
    default:
      return { kind: 'error', message: 'killall-ts: --pick cannot be combined with -l or -V', usage: false };
  }
  const o: CliOptions = parsed.options;
  const names = sentinel ? o.names.slice(0, -1) : o.names;
  if (o.interactive)
    return { kind: 'error', message: 'killall-ts: --pick cannot be combined with -i', usage: false };
  return {
    kind: 'pick',
    options: {
      criteria: {
        names: names.map((n) => Buffer.from(n, 'latin1')),
        regexp: o.regexp,
        exact: o.exact,
        ignoreCase: o.ignoreCase,
        ...(o.user ? { user: o.user.uid } : {}),
        ...(o.youngerThan !== undefined ? { youngerThan: o.youngerThan } : {}),
        ...(o.olderThan !== undefined ? { olderThan: o.olderThan } : {}),
        namespacePid: o.nsPid,
        ...(o.context !== undefined ? { context: o.context } : {}),
        kernelThreads: false,
        excludeAncestors: true,
      },
      signal: o.signal,
      processGroup: o.processGroup,
      wait: o.wait,
    },
  };
}
