/**
 * The one option table. It drives the parser (psmisc's getopt table and the extension table), the full help of
 * `killall-ts --help`, the man page and the shell completions, so none of them can drift from the others.
 *
 * psmisc's table is consulted first, with glibc getopt_long_only's prefix and one-dash rules; an extension is tried
 * only where psmisc would print its usage error, only in the `--name` form, by full name or by a prefix that is
 * unambiguous among the extensions. No extension name may start with a prefix of `context` (`--co` must stay
 * psmisc's `--context`, which widens the selection).
 */

/** What an option's argument is, for the help, the man page and the completions. */
export type ArgKind = 'signal' | 'user' | 'time' | 'pid' | 'regexp' | 'duration' | 'choice';

/** One option of psmisc 23.6's killall. */
export interface PsmiscOption {
  /** The short letter (`e`), also the value getopt returns. */
  readonly short: string;
  /** The long name without dashes (`exact`). */
  readonly long: string;
  /** Its argument, when it takes one: the placeholder shown and its kind. */
  readonly arg?: { readonly name: string; readonly kind: ArgKind };
  /** One line of help in our own words (psmisc's usage text is kept verbatim in usage.ts). */
  readonly help: string;
}

/** One option that killall-ts adds. Only ever reachable as `--name` where psmisc would print its usage error. */
export interface ExtensionOption {
  /** The long name without dashes (`dry-run`). */
  readonly long: string;
  /**
   * Its argument: `required` takes `--name=ARG` or the next element; `optional` only `--name=ARG` (so that
   * `--explain all` keeps `all` a NAME); absent takes none.
   */
  readonly arg?: {
    readonly name: string;
    readonly kind: ArgKind;
    readonly mode: 'required' | 'optional';
    /** The values allowed, when they are a fixed set (`all`; `bash`, `zsh`, `fish`). */
    readonly values?: readonly string[];
  };
  /** Recognised only when the program is invoked as `killall-ts` (as `killall`, psmisc's usage error stays). */
  readonly killallTsOnly?: boolean;
  /** One line of help. */
  readonly help: string;
  /** The help group it is shown in. */
  readonly group: 'select' | 'signal' | 'output' | 'interactive' | 'info';
}

/** psmisc 23.6's options, in the order of its long-option table. */
export const PSMISC_OPTIONS: readonly PsmiscOption[] = [
  { short: 'e', long: 'exact', help: 'require an exact match for very long names' },
  { short: 'I', long: 'ignore-case', help: 'case-insensitive (ASCII) name and regex matching' },
  {
    short: 'g',
    long: 'process-group',
    help: 'signal the process group instead of the process, once per group',
  },
  {
    short: 'y',
    long: 'younger-than',
    arg: { name: 'TIME', kind: 'time' },
    help: 'only processes younger than TIME (an integer and a unit: s m h d w M y)',
  },
  {
    short: 'o',
    long: 'older-than',
    arg: { name: 'TIME', kind: 'time' },
    help: 'only processes older than TIME (an integer and a unit: s m h d w M y)',
  },
  { short: 'i', long: 'interactive', help: 'ask for confirmation before each signal' },
  { short: 'l', long: 'list-signals', help: 'list the known signal names' },
  { short: 'q', long: 'quiet', help: "don't print complaints (no process found)" },
  { short: 'r', long: 'regexp', help: 'NAMEs are POSIX extended regular expressions' },
  {
    short: 's',
    long: 'signal',
    arg: { name: 'SIGNAL', kind: 'signal' },
    help: 'send SIGNAL (a name or number) instead of SIGTERM; also -SIGNAL, -NUMBER',
  },
  {
    short: 'u',
    long: 'user',
    arg: { name: 'USER', kind: 'user' },
    help: 'only processes whose real user is USER (NAMEs become optional)',
  },
  { short: 'v', long: 'verbose', help: 'report each signal sent' },
  { short: 'w', long: 'wait', help: 'wait until every signalled process is gone' },
  {
    short: 'n',
    long: 'ns',
    arg: { name: 'PID', kind: 'pid' },
    help: 'only processes in the PID namespace of PID',
  },
  {
    short: 'Z',
    long: 'context',
    arg: { name: 'REGEXP', kind: 'regexp' },
    help: 'only processes whose security context matches REGEXP (NAMEs become optional)',
  },
  { short: 'V', long: 'version', help: 'print the version' },
];

/** The options killall-ts adds to psmisc's. */
export const EXTENSION_OPTIONS: readonly ExtensionOption[] = [
  {
    long: 'dry-run',
    group: 'signal',
    help: 'select exactly as a real run would, send nothing, print one line per signal that would be sent',
  },
  {
    long: 'kill-after',
    arg: { name: 'DURATION', kind: 'duration', mode: 'required' },
    group: 'signal',
    help: 'send SIGKILL to the processes still running DURATION after the signal (5, 2.5s, 500ms, 1m)',
  },
  {
    long: 'timeout',
    arg: { name: 'DURATION', kind: 'duration', mode: 'required' },
    group: 'signal',
    help: 'with -w or --kill-after: stop waiting after DURATION, name what still runs, exit 1',
  },
  {
    long: 'tree',
    group: 'select',
    help: 'also signal every descendant of each selected process, parents first (never killall-ts or its ancestors)',
  },
  {
    long: 'json',
    group: 'output',
    help: 'print one JSON document on stdout instead of the usual lines (docs/json.md)',
  },
  {
    long: 'explain',
    arg: { name: 'all', kind: 'choice', mode: 'optional', values: ['all'] },
    group: 'output',
    help: 'narrate the run on stderr as strace shows it, with why each process did or did not match',
  },
  { long: 'pick', group: 'interactive', help: 'choose the processes in a full-screen fuzzy picker' },
  { long: 'help', killallTsOnly: true, group: 'info', help: 'print this help on stdout' },
  {
    long: 'generate-completion',
    arg: { name: 'SHELL', kind: 'choice', mode: 'required', values: ['bash', 'zsh', 'fish'] },
    killallTsOnly: true,
    group: 'info',
    help: 'print the completion script for bash, zsh or fish',
  },
];

/** psmisc's short-option string for getopt, derived from the table: `egy:o:ilqrs:u:vwZ:VIn:`. */
export const PSMISC_SHORT_OPTIONS = 'egy:o:ilqrs:u:vwZ:VIn:';
