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

/** The groups of `killall-ts --help` and of the man page's OPTIONS section, in the order shown. */
export type OptionGroup = 'select' | 'signal' | 'output' | 'interactive' | 'info';

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
  /** The help group it is shown in (`killall-ts --help`, the man page). */
  readonly group: OptionGroup;
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
  /**
   * A short spelling, only for a `killallTsOnly` option and only as a whole argv element (`-h`): psmisc answers
   * it with its usage error wherever its option loop reaches it.
   */
  readonly short?: string;
  /** One line of help. */
  readonly help: string;
  /** The help group it is shown in. */
  readonly group: OptionGroup;
}

/** psmisc 23.6's options, in the order of its long-option table. */
export const PSMISC_OPTIONS: readonly PsmiscOption[] = [
  { short: 'e', long: 'exact', group: 'select', help: 'require an exact match for very long names' },
  {
    short: 'I',
    long: 'ignore-case',
    group: 'select',
    help: 'case-insensitive (ASCII) name and regex matching',
  },
  {
    short: 'g',
    long: 'process-group',
    group: 'signal',
    help: 'signal the process group instead of the process, once per group',
  },
  {
    short: 'y',
    long: 'younger-than',
    group: 'select',
    arg: { name: 'TIME', kind: 'time' },
    help: 'only processes younger than TIME (an integer and a unit: s m h d w M y)',
  },
  {
    short: 'o',
    long: 'older-than',
    group: 'select',
    arg: { name: 'TIME', kind: 'time' },
    help: 'only processes older than TIME (an integer and a unit: s m h d w M y)',
  },
  { short: 'i', long: 'interactive', group: 'interactive', help: 'ask for confirmation before each signal' },
  { short: 'l', long: 'list-signals', group: 'info', help: 'list the known signal names' },
  { short: 'q', long: 'quiet', group: 'output', help: "don't print complaints (no process found)" },
  { short: 'r', long: 'regexp', group: 'select', help: 'NAMEs are POSIX extended regular expressions' },
  {
    short: 's',
    long: 'signal',
    group: 'signal',
    arg: { name: 'SIGNAL', kind: 'signal' },
    help: 'send SIGNAL (a name or number) instead of SIGTERM; also -SIGNAL, -NUMBER',
  },
  {
    short: 'u',
    long: 'user',
    group: 'select',
    arg: { name: 'USER', kind: 'user' },
    help: 'only processes whose real user is USER (NAMEs become optional)',
  },
  { short: 'v', long: 'verbose', group: 'output', help: 'report each signal sent' },
  { short: 'w', long: 'wait', group: 'signal', help: 'wait until every signalled process is gone' },
  {
    short: 'n',
    long: 'ns',
    group: 'select',
    arg: { name: 'PID', kind: 'pid' },
    help: 'only processes in the PID namespace of PID',
  },
  {
    short: 'Z',
    long: 'context',
    group: 'select',
    arg: { name: 'REGEXP', kind: 'regexp' },
    help: 'only processes whose security context matches REGEXP (NAMEs become optional)',
  },
  { short: 'V', long: 'version', group: 'info', help: 'print the version' },
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
  { long: 'help', short: 'h', killallTsOnly: true, group: 'info', help: 'print the full help on stdout' },
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

/** The titles of the option groups, in the order the help and the man page show them. */
export const GROUP_TITLES: Readonly<Record<OptionGroup, string>> = {
  select: 'Selecting processes',
  signal: 'Signalling',
  output: 'Output',
  interactive: 'Interactive',
  info: 'Information',
};

/** The operands and argument placeholders, explained once for the help and the man page. */
export const OPERANDS: readonly { readonly name: string; readonly text: string }[] = [
  {
    name: 'NAME',
    text:
      'a process name, matched as psmisc does (the 15-byte comm, or the long name from the command line when ' +
      'the comm is truncated); a path to an executable when it contains a slash; a POSIX extended regular ' +
      'expression with -r; or :PORT, :PORT/tcp, :PORT/udp for the processes holding that port',
  },
  { name: 'SIGNAL', text: 'a signal name (HUP, SIGHUP) or number; -l lists the names' },
  {
    name: 'TIME',
    text: 'an integer and a unit: s, m, h, d, w, M (4 weeks) or y (48 weeks), as in 30m',
  },
  {
    name: 'DURATION',
    text: 'a number (decimals allowed) and an optional unit: ms, s (the default), m, h or d, as in 1.5s',
  },
];

/** Worked examples, for the help and the man page: one per feature a new user looks for. */
export const EXAMPLES: readonly { readonly command: string; readonly text: string }[] = [
  { command: 'killall-ts -v nginx', text: 'send SIGTERM to every nginx and report each signal' },
  { command: 'killall-ts -s HUP -u www-data php-fpm', text: "send SIGHUP to www-data's php-fpm processes" },
  { command: "killall-ts --dry-run -r '^node'", text: 'show what a regexp would select, send nothing' },
  {
    command: 'killall-ts --kill-after 5s myworker',
    text: 'SIGTERM, then SIGKILL to whatever still runs 5 s later',
  },
  { command: 'killall-ts -w --timeout 10s myworker', text: 'wait for the processes to end, at most 10 s' },
  { command: 'killall-ts --tree npm', text: 'signal npm and every process it started' },
  { command: 'killall-ts :8080', text: 'signal the processes that hold port 8080' },
  { command: 'killall-ts --json --dry-run -u deploy', text: "list deploy's processes as one JSON document" },
  { command: 'killall-ts --pick', text: 'choose processes in the fuzzy picker' },
  { command: 'source <(killall-ts --generate-completion bash)', text: 'enable completion in this bash' },
];
