import { GetoptLongOnly } from './getopt.js';
import { EXTENSION_OPTIONS, PSMISC_OPTIONS, PSMISC_SHORT_OPTIONS } from './options.js';

/** The name the program was invoked as: `killall` behaves exactly as psmisc; `killall-ts` adds help and completion. */
export type ProgramName = 'killall' | 'killall-ts';

/** What `killall-ts` does instead of a run: the options only that name has. */
export type KillallTsAction =
  | { readonly kind: 'help' }
  | { readonly kind: 'completion'; readonly shell: string }
  | { readonly kind: 'bad-completion'; readonly shell: string | undefined };

const PSMISC_LONG = PSMISC_OPTIONS.map((o) => ({ name: o.long, hasArg: o.arg !== undefined, val: o.short }));

/**
 * Finds `-h`, `--help` and `--generate-completion SHELL` among the options of a `killall-ts` command line, before
 * psmisc's parser sees it (psmisc answers all of them with its usage error, so no argv psmisc accepts changes
 * meaning). The elements are walked with psmisc's own getopt table, so an option argument (`-s -h`), a NAME after
 * `--`, or a NAME under POSIXLY_CORRECT is never taken for one. The long forms follow the extension rules: a
 * `--` element psmisc does not recognise, by full name or a prefix unambiguous among the extensions. The first
 * such option found decides; `undefined` means a normal run.
 */
export function killallTsAction(
  args: readonly string[],
  posixlyCorrect: boolean,
): KillallTsAction | undefined {
  const argv = ['killall-ts', ...args];
  const g = new GetoptLongOnly(argv, PSMISC_SHORT_OPTIONS, PSMISC_LONG, posixlyCorrect);
  for (;;) {
    const r = g.next();
    if (r.opt === 'end') return undefined;
    if (r.opt !== '?') continue;
    const el = argv[g.optind - 1];
    if (el === '-h') return { kind: 'help' };
    if (el === undefined || !el.startsWith('--')) continue;
    const eq = el.indexOf('=');
    const name = el.slice(2, eq < 0 ? undefined : eq);
    if (name === '') continue;
    const exact = EXTENSION_OPTIONS.find((o) => o.long === name);
    const prefixed = EXTENSION_OPTIONS.filter((o) => o.long.startsWith(name));
    const ext = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
    if (!ext) continue;
    let value: string | undefined;
    if (ext.arg?.mode === 'required' && eq < 0) {
      // The value is the next element, as getopt takes it; skip it so that it is not read as an option.
      value = argv[g.optind];
      if (value !== undefined) g.optind++;
    } else if (eq >= 0) value = el.slice(eq + 1);
    if (ext.long === 'help') return { kind: 'help' };
    if (ext.long === 'generate-completion') {
      const shells = ext.arg?.values ?? [];
      return value !== undefined && shells.includes(value)
        ? { kind: 'completion', shell: value }
        : { kind: 'bad-completion', shell: value };
    }
  }
}
