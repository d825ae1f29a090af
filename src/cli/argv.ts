import { parseTimeUnits } from '../match/age.js';
import { compileEre, EreSyntaxError } from '../match/ere.js';
import { atoi, parseSignal, SIGTERM } from '../signal/signals.js';
import { strtol } from '../text/cnum.js';
import { MAX_DURATION_MS, parseDuration } from '../text/duration.js';
import { GetoptLongOnly, type LongOption } from './getopt.js';
import { EXTENSION_OPTIONS, PSMISC_OPTIONS, PSMISC_SHORT_OPTIONS } from './options.js';

/**
 * psmisc 23.6's option parser: glibc getopt_long_only over "egy:o:ilqrs:u:vwZ:VIn:" and this long table, plus the
 * hand-written quirks of killall.c's switch, each in a named function below. All text here is byte strings (one
 * latin1 char per argv byte).
 */
export const SHORT_OPTIONS = PSMISC_SHORT_OPTIONS;

export const LONG_OPTIONS: readonly LongOption[] = PSMISC_OPTIONS.map((o) => ({
  name: o.long,
  hasArg: o.arg !== undefined,
  val: o.short,
}));

/**
 * The getopt table of the extensions, consulted only for `--name` forms psmisc's table rejects. Options that are
 * only for the `killall-ts` name are left out (`killallTsAction` finds those first).
 */
export const EXTENSION_LONG_OPTIONS: readonly LongOption[] = EXTENSION_OPTIONS.filter(
  (o) => o.killallTsOnly !== true,
).map((o) => ({
  name: o.long,
  hasArg: o.arg?.mode === 'required',
  optionalArg: o.arg?.mode === 'optional',
  val: `--${o.long}`,
}));

/** psmisc's MAX_NAMES: the names are bits of an unsigned long. */
export const MAX_NAMES = 64;

/** Everything the command line selects, once parsing succeeded. */
export interface CliOptions {
  exact: boolean;
  ignoreCase: boolean;
  processGroup: boolean;
  interactive: boolean;
  quiet: boolean;
  regexp: boolean;
  verbose: boolean;
  wait: boolean;
  signal: number;
  youngerThan?: number;
  olderThan?: number;
  user?: { readonly name: string; readonly uid: number };
  /** `-n PID` as psmisc stores it (a pid_t); 0 means no namespace filter. */
  nsPid: number;
  /** `-Z REGEXP`, already checked to compile. */
  context?: string;
  /** The NAMEs, as byte strings, in command-line order. */
  names: string[];
  /** `--dry-run`: select, send nothing, print what would be sent. */
  dryRun: boolean;
  /** `--kill-after DURATION`, in ms. */
  killAfterMs?: number;
  /** `--timeout DURATION`, in ms. */
  timeoutMs?: number;
  /** `--tree`: descendants too. */
  tree: boolean;
  /** `--json`: one JSON document on stdout. */
  json: boolean;
  /** `--explain` (`some`: matches and near misses in full, the rest summarised) or `--explain=all`. */
  explain?: 'some' | 'all';
  /** `--pick`: choose the processes in the full-screen picker (NAMEs, `-u`, `-Z` optional). */
  pick: boolean;
}

/** How parsing ended. */
export type ParseOutcome =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'list' }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage'; readonly message?: string; readonly json?: boolean }
  | { readonly kind: 'fail'; readonly message: string; readonly json?: boolean };

/** What the parser needs from the system: a getpwnam. */
export interface ParseEnv {
  readonly posixlyCorrect: boolean;
  /** Parse psmisc's options only, as psmisc 23.6 does (the reference the extensions are checked against). */
  readonly psmiscOnly?: boolean;
  lookupUser(name: string): number | undefined;
}

class Stop {
  constructor(readonly outcome: ParseOutcome) {}
}

const unknownSignal = (name: string): Stop =>
  new Stop({ kind: 'fail', message: `${name}: unknown signal; killall -l lists signals.` });

/** `--kill-after` and `--timeout`: a DURATION, or a clear error (exit 1, nothing sent). */
export function durationOrStop(option: string, text: string): number {
  const r = parseDuration(text);
  if (r.ok) return r.ms;
  const why =
    r.error === 'zero'
      ? 'it must be more than 0'
      : r.error === 'too-long'
        ? `it must be at most ${MAX_DURATION_MS / 86_400_000} days`
        : 'expected a number with an optional unit ms, s, m, h or d (for example 5, 2.5s, 500ms)';
  throw new Stop({ kind: 'fail', message: `killall: --${option}: invalid duration '${text}': ${why}` });
}

/** The exact spellings of an extension that a NAME must not have under POSIXLY_CORRECT: `--dry-run`, `--timeout=5`. */
export function spellsExtension(name: string): string | undefined {
  if (!name.startsWith('--')) return undefined;
  const eq = name.indexOf('=');
  const long = name.slice(2, eq < 0 ? undefined : eq);
  const o = EXTENSION_OPTIONS.find((x) => x.long === long);
  return o && o.killallTsOnly !== true ? `--${o.long}` : undefined;
}

/** psmisc `get_signal()`, exiting as psmisc does on an unknown name. */
function signalOrStop(text: string): number {
  const r = parseSignal(text);
  if (!r.ok) throw unknownSignal(r.unknown);
  return r.signal;
}

/**
 * Quirk: `-I` means ignore-case only when the argv element just consumed is exactly `-I` or starts with `--`.
 * Any other spelling (`-ig`, `-Ir`, `-INT`, `-ignore-case`) makes psmisc read the NEXT element, minus its first
 * char, as a signal name. That is what makes `-INT` and `-ILL` work. Where there is no next element psmisc
 * segfaults; we stop with a message instead.
 */
export function ignoreCaseOrSignal(argv: readonly string[], optind: number): 'flag' | number {
  const prev = argv[optind - 1]!;
  if (prev === '-I' || prev.startsWith('--')) return 'flag';
  return signalFromNextElement(argv, optind, 'I');
}

/** Quirk: the same test for `-V`, which makes `-VTALRM` work; `-version` and `-vV` read the next element. */
export function versionOrSignal(argv: readonly string[], optind: number): 'flag' | number {
  const prev = argv[optind - 1]!;
  if (prev === '-V' || prev.startsWith('--')) return 'flag';
  return signalFromNextElement(argv, optind, 'V');
}

function signalFromNextElement(argv: readonly string[], optind: number, letter: 'I' | 'V'): number {
  const next = argv[optind];
  if (next === undefined) {
    const what =
      letter === 'I' ? 'use -I or --ignore-case to ignore case' : 'use -V or --version for the version';
    throw new Stop({
      kind: 'fail',
      message: `killall: ${argv[optind - 1]}: psmisc reads the next argument as a signal name here and there is none; ${what}`,
    });
  }
  return signalOrStop(next.slice(1));
}

/**
 * Quirk: what psmisc does when getopt returns `?`. It looks at argv[optind - 1], which is the element just
 * finished, or the previous one when the unknown letter sits inside a cluster:
 * - `-ve…` (ambiguous between verbose and version) means verbose AND exact;
 * - an uppercase second char makes the rest a signal name (`-HUP`, `-SIGKILL`);
 * - a digit makes it `atoi` of the rest (`-9`, `-15abc`);
 * - anything else is usage.
 */
export function unknownOptionHack(argv: readonly string[], optind: number): 'verbose-exact' | number {
  const arg = argv[optind - 1]!;
  if (arg.startsWith('-ve')) return 'verbose-exact';
  const c = arg.charCodeAt(1);
  if (c >= 0x41 && c <= 0x5a) return signalOrStop(arg.slice(1));
  if (c >= 0x30 && c <= 0x39) return atoi(arg.slice(1));
  throw new Stop({ kind: 'usage' });
}

/** `-n PID`: strtol with errno and end checks; trailing junk is fine; the value is cast to a 32-bit pid_t. */
export function parseNsPid(text: string): number | undefined {
  const r = strtol(text);
  if (r.overflow || r.end === 0) return undefined;
  return Number(BigInt.asIntN(32, r.value));
}

/** Parses killall's argv (without the program name) the way psmisc 23.6 does. Pure except for `lookupUser`. */
export function parseArgv(args: readonly string[], env: ParseEnv): ParseOutcome {
  const argv = ['killall', ...args];
  if (argv.length < 2) return { kind: 'usage' };
  const o: CliOptions = {
    exact: false,
    ignoreCase: false,
    processGroup: false,
    interactive: false,
    quiet: false,
    regexp: false,
    verbose: false,
    wait: false,
    signal: SIGTERM,
    nsPid: 0,
    names: [],
    dryRun: false,
    tree: false,
    json: false,
    pick: false,
  };
  let userSeen = false;
  let contextSeen = false;
  let skipError = 0;
  const g = new GetoptLongOnly(
    argv,
    SHORT_OPTIONS,
    LONG_OPTIONS,
    env.posixlyCorrect,
    env.psmiscOnly ? [] : EXTENSION_LONG_OPTIONS,
  );
  try {
    for (;;) {
      const r = g.next();
      if (r.opt === 'end') break;
      const optarg = 'optarg' in r ? (r.optarg as string) : '';
      switch (r.opt) {
        case 'e':
          o.exact = true;
          break;
        case 'g':
          o.processGroup = true;
          break;
        case 'y':
        case 'o': {
          const secs = parseTimeUnits(optarg);
          if (secs === undefined) throw new Stop({ kind: 'usage', message: 'Invalid time format' });
          if (r.opt === 'y') o.youngerThan = secs;
          else o.olderThan = secs;
          break;
        }
        case 'i':
          o.interactive = true;
          break;
        case 'l':
          return { kind: 'list' };
        case 'q':
          o.quiet = true;
          break;
        case 'r':
          o.regexp = true;
          break;
        case 's':
          o.signal = signalOrStop(optarg);
          break;
        case 'u': {
          const uid = env.lookupUser(optarg);
          if (uid === undefined) throw new Stop({ kind: 'fail', message: `Cannot find user ${optarg}` });
          o.user = { name: optarg, uid };
          userSeen = true;
          break;
        }
        case 'v':
          o.verbose = true;
          break;
        case 'w':
          o.wait = true;
          break;
        case 'I': {
          const v = ignoreCaseOrSignal(argv, g.optind);
          if (v === 'flag') o.ignoreCase = true;
          else {
            o.signal = v;
            skipError = g.optind;
          }
          break;
        }
        case 'V': {
          const v = versionOrSignal(argv, g.optind);
          if (v === 'flag') return { kind: 'version' };
          o.signal = v;
          skipError = g.optind;
          break;
        }
        case 'n': {
          const pid = parseNsPid(optarg);
          if (pid === undefined) throw new Stop({ kind: 'usage', message: 'Invalid namespace PID' });
          o.nsPid = pid;
          break;
        }
        case 'Z':
          try {
            compileEre(optarg);
            o.context = optarg;
          } catch (e) {
            if (e instanceof EreSyntaxError)
              throw new Stop({ kind: 'fail', message: `Bad regular expression: ${optarg}` });
            throw e;
          }
          contextSeen = true;
          break;
        case '--dry-run':
          o.dryRun = true;
          break;
        case '--kill-after':
          o.killAfterMs = durationOrStop('kill-after', optarg);
          break;
        case '--timeout':
          o.timeoutMs = durationOrStop('timeout', optarg);
          break;
        case '--tree':
          o.tree = true;
          break;
        case '--json':
          o.json = true;
          break;
        case '--pick':
          o.pick = true;
          break;
        case '--explain':
          if ('optarg' in r && r.optarg !== 'all')
            throw new Stop({
              kind: 'fail',
              message: `killall: --explain: invalid argument '${r.optarg}' (only --explain=all)`,
            });
          o.explain = 'optarg' in r ? 'all' : 'some';
          break;
        default: {
          if (skipError === g.optind) break;
          const v = unknownOptionHack(argv, g.optind);
          if (v === 'verbose-exact') {
            o.verbose = true;
            o.exact = true;
          } else o.signal = v;
        }
      }
    }
  } catch (e) {
    if (e instanceof Stop) return withJson(e.outcome, o.json);
    throw e;
  }
  o.names = argv.slice(g.optind);
  // The picker lists every process when nothing narrows the selection.
  if (o.names.length < 1 && !userSeen && !contextSeen && !o.pick) return withJson({ kind: 'usage' }, o.json);
  if (o.names.length > MAX_NAMES)
    return withJson({ kind: 'fail', message: `killall: Maximum number of names is ${MAX_NAMES}` }, o.json);
  const bad = env.psmiscOnly ? undefined : extensionRules(o, argv, g.optind, env.posixlyCorrect);
  if (bad !== undefined) return withJson({ kind: 'fail', message: bad }, o.json);
  return { kind: 'run', options: o };
}

// Once --json was parsed, an error ends in a JSON document too: the outcome says so.
function withJson(outcome: ParseOutcome, json: boolean): ParseOutcome {
  return json && (outcome.kind === 'usage' || outcome.kind === 'fail') ? { ...outcome, json: true } : outcome;
}

/**
 * The extensions' own rules, checked once the whole command line is read (the signal may come last): the
 * POSIXLY_CORRECT safety stop, then the combinations that make no sense. Returns the message, or undefined.
 */
export function extensionRules(
  o: CliOptions,
  argv: readonly string[],
  optind: number,
  posixlyCorrect: boolean,
): string | undefined {
  // Under POSIXLY_CORRECT parsing stops at the first NAME; a later `--dry-run` would be a NAME and the run real.
  // An explicit `--` right before the NAMEs says the user means a process of that name.
  if (posixlyCorrect && argv[optind - 1] !== '--') {
    for (const n of o.names) {
      const ext = spellsExtension(n);
      if (ext !== undefined)
        return `killall: ${n}: POSIXLY_CORRECT stops option parsing at the first NAME, so this would be a NAME, not ${ext}; nothing was sent (put options before the NAMEs, or '--' before a process named ${n})`;
    }
  }
  if (o.killAfterMs !== undefined && (o.signal === 0 || o.signal === 9))
    return `killall: --kill-after: nothing to escalate after signal ${o.signal}`;
  if (o.timeoutMs !== undefined && !o.wait && o.killAfterMs === undefined)
    return 'killall: --timeout: needs -w or --kill-after (there is no wait to bound)';
  if (o.tree && o.processGroup)
    return 'killall: --tree and -g cannot be combined (a process group is not a process tree)';
  if (o.pick) {
    const other = o.json ? '--json' : o.explain ? '--explain' : o.interactive ? '-i' : undefined;
    if (other !== undefined)
      return `killall: --pick cannot be combined with ${other} (the picker asks and reports on the terminal)`;
  }
  return undefined;
}
