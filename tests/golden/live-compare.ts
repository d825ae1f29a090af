/**
 * How the live differential compares two runs of one scenario: exactly first; only when that fails, again with
 * what differs from run to run of the same code rewritten, in the places killall prints it: the victims' PIDs as
 * their labels (both runs may give the victims other PIDs), elapsed times and ages, start times, and the stat
 * records `--explain` quotes (their counters change by the millisecond). Nothing else is rewritten. Pure functions.
 */
import { showBytes } from './render.js';

/** What one run of a scenario gave: the outcome compared, and each PID's label. */
export interface LiveOutcome {
  readonly compared: Record<string, unknown>;
  readonly pids: ReadonlyMap<number, string>;
  /** The age bound of the victim a `youngDuringRun` scenario needs young (ms), when it has one. */
  readonly youngBoundMs?: number;
}

/** How two runs compared. */
export type Verdict = 'identical' | 'normalised' | 'different';

/** The JSON keys whose number is a PID. */
const PID_KEYS = ['pid', 'pgid', 'descendantOf'];

/**
 * Writes the PIDs of `pids` as `{pid:LABEL}` where killall prints PIDs: `(PID)`, `(pgid PID)`, `descendant of PID`,
 * `descendant-of=PID`, `members=P,Q`, JSON `"pid":`, `"pgid":`, `"descendantOf":` and arrays of numbers.
 */
export function labelPids(text: string, pids: ReadonlyMap<number, string>): string {
  const label = (digits: string): string => {
    const l = pids.get(Number(digits));
    return l === undefined ? digits : `{pid:${l}}`;
  };
  const list = (s: string): string => s.replace(/\d+/g, label);
  return text
    .replace(/\((pgid )?(\d+)\)/g, (_, g: string | undefined, d: string) => `(${g ?? ''}${label(d)})`)
    .replace(/(descendant of |descendant-of=)(\d+)/g, (_, p: string, d: string) => p + label(d))
    .replace(/members=([\d,]+)/g, (_, l: string) => `members=${list(l)}`)
    .replace(
      new RegExp(`"(${PID_KEYS.join('|')})":(\\d+)`, 'g'),
      (_, k: string, d: string) => `"${k}":${label(d)}`,
    )
    .replace(/\[(\d+(?:,\d+)*)\]/g, (_, l: string) => `[${list(l)}]`);
}

/**
 * Masks what changes from run to run of the same code: the age of `--dry-run` lines, `after DURATION` of an
 * escalation, the JSON `age`, `afterMs`, `elapsedMs` and `startTime`, the start times `--explain` names, and the
 * stat records it quotes from read(2)/pread64(2) (`"5 (hx7a) S 1 …"`) with their byte counts.
 */
export function maskVarying(text: string): string {
  return text
    .replace(/ age=(\d+[dhms])+/g, ' age=<age>')
    .replace(/with signal 9 after [\d.]+m?s/g, 'with signal 9 after <time>')
    .replace(/"(age|afterMs|elapsedMs)":[\d.]+/g, '"$1":<time>')
    .replace(/"startTime":"\d+"/g, '"startTime":"<start>"')
    .replace(/start time \d+/g, 'start time <start>')
    .replace(
      /^((?:read|pread64)\(\d+, )"\d+ \((?:[^"\\]|\\.)*"(?:\.\.\.)?(, \d+(?:, \d+)?\)) = \d+$/gm,
      '$1<stat record>$2 = <n>',
    );
}

/** The outcome as text, with every string rewritten by `f`. */
function shown(o: LiveOutcome, f: (s: string) => string = (s) => s): string {
  return JSON.stringify(o.compared, (_, v: unknown) => (typeof v === 'string' ? f(v) : v), 2);
}

const normalise = (o: LiveOutcome) => (s: string) => maskVarying(labelPids(s, o.pids));

/** Compares a run of the reference build with a run of ours. */
export function compareRuns(ref: LiveOutcome, ours: LiveOutcome): Verdict {
  if (shown(ref) === shown(ours)) return 'identical';
  return shown(ref, normalise(ref)) === shown(ours, normalise(ours)) ? 'normalised' : 'different';
}

/** A stream for reading: its bytes in the golden notation, a JSON document on a line of its own pretty-printed. */
function streamText(s: string): string {
  const pretty = s
    .split('\n')
    .map((line) => {
      if (!line.startsWith('{')) return line;
      try {
        return JSON.stringify(JSON.parse(line), null, 2);
      } catch {
        return line;
      }
    })
    .join('\n');
  return showBytes(Buffer.from(pretty, 'latin1'));
}

/** The normalised outcome as lines for a diff: the streams as text, the rest as JSON. */
export function displayed(o: LiveOutcome): string {
  const f = normalise(o);
  const { stdout, stderr, ...rest } = o.compared;
  return [
    `--- stdout\n${streamText(f(String(stdout)))}`,
    `--- stderr\n${streamText(f(String(stderr)))}`,
    `--- the rest\n${JSON.stringify(rest, (_, v: unknown) => (typeof v === 'string' ? f(v) : v), 2)}`,
  ].join('\n');
}
