import { LONG_OPTIONS, SHORT_OPTIONS } from './argv.js';
import { GetoptLongOnly } from './getopt.js';
import { EXTENSION_OPTIONS } from './options.js';

/** The name the program was invoked as: `killall` behaves exactly as psmisc; `killall-ts` adds help and completion. */
export type ProgramName = 'killall' | 'killall-ts';

/** What `killall-ts` does instead of a run: the options only that name has. */
export type KillallTsAction =
  | { readonly kind: 'help' }
  | { readonly kind: 'completion'; readonly shell: string }
  | { readonly kind: 'bad-completion'; readonly shell: string | undefined };

const SHORT = new Map(EXTENSION_OPTIONS.filter((o) => o.short).map((o) => [`-${o.short}`, o]));

/**
 * Finds `-h`, `--help` and `--generate-completion SHELL` among the options of a `killall-ts` command line, before
 * psmisc's parser sees it. The elements are walked with psmisc's own getopt table, so an option argument (`-s -h`),
 * a NAME after `--`, or a NAME under POSIXLY_CORRECT is never taken for one. The long forms follow the extension
 * rules: a `--` element psmisc does not recognise, by full name or a prefix unambiguous among the extensions.
 *
 * psmisc answers each of these elements with its usage error, but only if its option loop gets that far: `-l`,
 * `-V`, a bad signal or user, or an unknown option before it end the loop first. `reached(before)` says whether
 * psmisc's loop runs past the options `before` (in getopt's order, with the NAMEs skipped so far); where it does
 * not, the answer is `undefined` and psmisc's own outcome stands. So no command line changes meaning except one
 * that psmisc answers with its usage error at this very element. `undefined` means a normal run.
 */
export function killallTsAction(
  args: readonly string[],
  posixlyCorrect: boolean,
  reached: (before: readonly string[]) => boolean = () => true,
): KillallTsAction | undefined {
  const argv = ['killall-ts', ...args];
  const g = new GetoptLongOnly(argv, SHORT_OPTIONS, LONG_OPTIONS, posixlyCorrect);
  for (;;) {
    const start = g.optind;
    const r = g.next();
    if (r.opt === 'end') return undefined;
    if (r.opt !== '?') continue;
    // The element getopt rejected, when it rejected a whole one. Inside a cluster (`-INT`: I, then N) the `?` is for
    // one letter, and argv[optind - 1] is an earlier element, possibly another option's argument: not ours to read.
    const at = g.optind - 1;
    const el = argv[at];
    if (el === undefined || at < start) continue;
    const before = argv.slice(1, g.optind - 1);
    const eq = el.startsWith('--') ? el.indexOf('=') : -1;
    let ext = SHORT.get(el);
    if (!ext && el.startsWith('--')) {
      const name = el.slice(2, eq < 0 ? undefined : eq);
      if (name === '') continue;
      const prefixed = EXTENSION_OPTIONS.filter((o) => o.long.startsWith(name));
      ext =
        EXTENSION_OPTIONS.find((o) => o.long === name) ?? (prefixed.length === 1 ? prefixed[0] : undefined);
    }
    if (!ext) continue;
    let value: string | undefined;
    if (ext.arg?.mode === 'required' && eq < 0) {
      // The value is the next element, as getopt takes it; skip it so that it is not read as an option.
      value = argv[g.optind];
      if (value !== undefined) g.optind++;
    } else if (eq >= 0) value = el.slice(eq + 1);
    if (ext.long !== 'help' && ext.long !== 'generate-completion') continue;
    if (!reached(before)) return undefined;
    if (ext.long === 'help') return { kind: 'help' };
    const shells = ext.arg?.values ?? [];
    return value !== undefined && shells.includes(value)
      ? { kind: 'completion', shell: value }
      : { kind: 'bad-completion', shell: value };
  }
}
