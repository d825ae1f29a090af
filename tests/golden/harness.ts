/**
 * Runs golden cases in the fixed world and writes each one down: CLI command lines through `runCli` (stdout,
 * stderr, the order and size of the writes, the exit status), library calls (the result or the error, the events),
 * and for both every signal call the world received and the fds left open. The real System is refused: every
 * method of every System that src/system.ts exports, and `process.kill`, throw while this module is loaded.
 */
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run.js';
import * as systemModule from '../../src/system.js';
import { showBytes, showValue } from './render.js';
import { GoldenCliSystem, GoldenSystem, type Race } from './system.js';
import { goldenSpec, type Variant } from './world.js';

/** A command line, run as `killall` (or `killall-ts`) with these argv bytes (one latin1 char per byte). */
export interface CliCase {
  readonly name: string;
  readonly args: readonly string[];
  /** Text on stdin (for `-i`); without it stdin is at its end at once. */
  readonly stdin?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly variant?: Variant;
  readonly race?: Race;
  readonly programName?: 'killall' | 'killall-ts';
}

/** A library call: its result (or error) is written down, with the events it reported through `onEvent`. */
export interface LibraryCase {
  readonly name: string;
  readonly variant?: Variant;
  readonly race?: Race;
  readonly run: (system: GoldenSystem, onEvent: (e: unknown) => void) => Promise<unknown>;
}

export type GoldenCase = CliCase | LibraryCase;

/** The version the CLI reports in the baselines (so that a version bump changes none of them). */
export const GOLDEN_VERSION = '0.0.0-golden';

const refused = (what: string) => (): never => {
  throw new Error(`golden: the real System was reached (${what})`);
};

/** Makes every System that src/system.ts exports, and process.kill, throw. */
function refuseRealSystem(): void {
  for (const [name, value] of Object.entries(systemModule)) {
    if (
      value === null ||
      typeof value !== 'object' ||
      typeof (value as { kill?: unknown }).kill !== 'function'
    )
      continue;
    const sys = value as unknown as Record<string, unknown>;
    for (const key of Object.keys(sys))
      if (typeof sys[key] === 'function') sys[key] = refused(`${name}.${key}`);
  }
  process.kill = refused('process.kill');
}
refuseRealSystem();

/** Runs `f` with `Date.now` reading the world's virtual clock. */
async function onVirtualClock<T>(sys: GoldenSystem, f: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  Date.now = () => sys.now;
  try {
    return await f();
  } finally {
    Date.now = realNow;
  }
}

/** An argv element as typed in a shell: bare when plain, else quoted with its bytes shown. */
function shellArg(a: string): string {
  if (/^[A-Za-z0-9_./:@%+=,^-]+$/.test(a)) return a;
  const shown = showBytes(Buffer.from(a, 'latin1'))
    .replace(/\n\\ \(no newline at end\)\n$/, '')
    .replaceAll('\n', '\\n');
  return `'${shown.replaceAll("'", "'\\''")}'`;
}

function section(title: string, data: Uint8Array): string {
  return data.length === 0 ? `--- ${title} (empty)\n` : `--- ${title}\n${showBytes(data)}`;
}

/** What every case ends with: the signal calls and the fds left open. */
function worldAfter(sys: GoldenSystem): string {
  const lines: string[] = [];
  // A run of the same call (a wait's polls) is one line with its count.
  for (let i = 0; i < sys.signals.length; ) {
    let j = i + 1;
    while (j < sys.signals.length && sys.signals[j] === sys.signals[i]) j++;
    lines.push(j - i > 1 ? `${sys.signals[i]} (${j - i} times)` : sys.signals[i]!);
    i = j;
  }
  const signals = lines.length === 0 ? '--- signals (none)\n' : `--- signals\n${lines.join('\n')}\n`;
  return `${signals}--- fds left open: ${sys.openFds()}\n`;
}

function header(c: GoldenCase): string {
  let out = `=== ${c.name}\n`;
  if ('args' in c) out += `$ ${[c.programName ?? 'killall', ...c.args.map(shellArg)].join(' ')}\n`;
  if (c.variant) out += `world: ${c.variant}\n`;
  if (c.race) out += `race: before the ${c.race.before} of ${c.race.pid}: ${c.race.change}\n`;
  if ('args' in c && c.env) for (const [k, v] of Object.entries(c.env)) out += `env: ${k}=${v}\n`;
  if ('args' in c && c.stdin !== undefined) out += `stdin: ${JSON.stringify(c.stdin)}\n`;
  return out;
}

async function runCliCase(c: CliCase): Promise<string> {
  const sys = new GoldenCliSystem(goldenSpec(c.variant), c.race);
  const writes: [1 | 2, Buffer][] = [];
  let outcome: string;
  try {
    const code = await onVirtualClock(sys, () =>
      runCli(c.args, {
        out: {
          write: (fd, d) => {
            writes.push([fd, typeof d === 'string' ? Buffer.from(d, 'latin1') : Buffer.from(d)]);
          },
        },
        stdin: () => {
          const s = new PassThrough();
          s.end(c.stdin ?? '');
          return s;
        },
        env: { ...c.env },
        system: sys,
        version: GOLDEN_VERSION,
        ...(c.programName ? { programName: c.programName } : {}),
        isTerminal: () => false,
      }),
    );
    outcome = `--- exit ${code}\n`;
  } catch (e) {
    outcome = `--- threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`;
  }
  const stream = (fd: 1 | 2): Buffer => Buffer.concat(writes.filter((w) => w[0] === fd).map((w) => w[1]));
  const order = writes.map(([fd, d]) => `${fd}:${d.length}`).join(' ');
  return (
    header(c) +
    outcome +
    section('stdout', stream(1)) +
    section('stderr', stream(2)) +
    `--- writes (fd:bytes)${order ? ` ${order}` : ' (none)'}\n` +
    worldAfter(sys)
  );
}

async function runLibraryCase(c: LibraryCase): Promise<string> {
  const sys = new GoldenSystem(goldenSpec(c.variant), c.race);
  const events: unknown[] = [];
  let outcome: string;
  try {
    const r = await onVirtualClock(sys, () => c.run(sys, (e) => events.push(e)));
    outcome = `--- result\n${showValue(r)}`;
  } catch (e) {
    outcome = `--- error\n${showValue(e)}`;
  }
  const shownEvents = events.length === 0 ? '--- events (none)\n' : `--- events\n${showValue(events)}`;
  return header(c) + outcome + shownEvents + worldAfter(sys);
}

/** Runs one case in a fresh world and returns what it wrote down. */
export function runCase(c: GoldenCase): Promise<string> {
  return 'args' in c ? runCliCase(c) : runLibraryCase(c);
}
