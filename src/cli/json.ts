/**
 * `--json`: the one document killall-ts prints on stdout instead of its human lines. The format is versioned and
 * described in docs/json.md; docs/killall-ts.schema.json is its JSON Schema (every document the tests produce is
 * validated against it).
 */
import type { KillReport, Target } from '../killall.js';
import { signalName } from '../signal/signals.js';
import { jsonText } from '../text/escape.js';
import type { CliOptions } from './argv.js';
import { splitArgs } from './report.js';

/** The document format version; bumped on any incompatible change. */
export const JSON_VERSION = 1;

/** Text from raw bytes: UTF-8, with invalid sequences as U+FFFD (the document is always valid JSON text). */
const text = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
/** A byte string (one latin1 char per byte: a command-line argument, a user name) as text. */
const argText = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');

/** A user name from `System.userName` (a byte string, one latin1 char per byte) as text, or null. */
function userOf(uid: number, userName: (uid: number) => string | undefined): string | null {
  const name = userName(uid);
  return name === undefined ? null : argText(name);
}

function signalObject(n: number): { number: number; name: string | null } {
  const name = signalName(n);
  return { number: n, name: name === undefined ? null : `SIG${name}` };
}

/** The criteria part: what the command line asked for. */
export function criteriaOf(o: CliOptions): Record<string, unknown> {
  return {
    names: o.names.map(argText),
    regexp: o.regexp,
    exact: o.exact,
    ignoreCase: o.ignoreCase,
    user: o.user ? { name: argText(o.user.name), uid: o.user.uid } : null,
    youngerThan: o.youngerThan ?? null,
    olderThan: o.olderThan ?? null,
    namespacePid: o.nsPid === 0 ? null : o.nsPid,
    context: o.context === undefined ? null : argText(o.context),
    processGroup: o.processGroup,
    tree: o.tree,
    interactive: o.interactive,
    wait: o.wait,
    killAfterMs: o.killAfterMs ?? null,
    timeoutMs: o.timeoutMs ?? null,
  };
}

type Outcome = 'signalled' | 'would-signal' | 'failed' | 'declined' | 'refused';

/** The whole document of a run that got as far as the library. */
export function runDocument(
  o: CliOptions,
  r: KillReport,
  exitStatus: number,
  userName: (uid: number) => string | undefined,
): Record<string, unknown> {
  const key = (t: Target): string => `${t.pid}:${t.startTime ?? ''}:${t.pgid ?? ''}`;
  const rows = new Map<string, { t: Target; outcome: Outcome; error: string | null }>();
  const add = (t: Target, outcome: Outcome, error: string | null = null): void => {
    if (!rows.has(key(t))) rows.set(key(t), { t, outcome, error });
  };
  for (const t of r.planned) add(t, 'would-signal');
  for (const t of r.signalled) add(t, 'signalled');
  for (const f of r.failed) add(f.target, 'failed', f.code);
  for (const t of r.declined) add(t, 'declined');
  for (const t of r.refused) add(t, 'refused');
  const escalated = new Map(r.escalated.map((e) => [key(e.target), e.afterMs]));
  const escalationFailed = new Map(r.escalationFailed.map((e) => [key(e.target), e.code]));
  const still = new Set(r.stillRunning.map(key));
  const processes = [...rows.values()]
    .sort((a, b) => a.t.pid - b.t.pid)
    .map(({ t, outcome, error }) => {
      const k = key(t);
      let escalation: Record<string, unknown> | null = null;
      if (o.killAfterMs !== undefined && (outcome === 'signalled' || outcome === 'would-signal')) {
        if (outcome === 'would-signal')
          escalation = { outcome: 'planned', afterMs: o.killAfterMs, error: null };
        else if (escalated.has(k))
          escalation = { outcome: 'signalled', afterMs: escalated.get(k)!, error: null };
        else if (escalationFailed.has(k))
          escalation = { outcome: 'failed', afterMs: null, error: escalationFailed.get(k)! };
        else escalation = { outcome: 'not-needed', afterMs: null, error: null };
      }
      return {
        pid: t.pid,
        pgid: t.pgid ?? null,
        members: t.members ? [...t.members] : null,
        startTime: t.startTime ?? null,
        name: text(t.name),
        comm: text(t.comm),
        user: t.uid === undefined ? null : { uid: t.uid, name: userOf(t.uid, userName) },
        age: t.age === undefined ? null : Math.round(t.age * 100) / 100,
        cmdline: t.cmdline ? splitArgs(t.cmdline).map(text) : null,
        nameIndex: t.nameIndex,
        descendantOf: t.descendantOf ?? null,
        signal: r.signal,
        outcome,
        error,
        escalation,
        stillRunning: still.has(k),
      };
    });
  return {
    version: JSON_VERSION,
    program: 'killall-ts',
    dryRun: r.dryRun,
    signal: signalObject(r.signal),
    criteria: criteriaOf(o),
    processes,
    names: r.names.map((n, i) => ({ name: argText(o.names[i] ?? text(n.name)), found: n.found })),
    unreadable: r.unreadable,
    wait: r.wait
      ? {
          elapsedMs: r.wait.elapsedMs,
          timedOut: r.wait.timedOut,
          aborted: r.wait.aborted,
          stillRunning: r.stillRunning.map((t) => t.pid),
        }
      : null,
    exitStatus,
  };
}

/** The document of a run that ended in an error (usage, a bad option, a fatal library error). */
export function errorDocument(code: string, message: string, exitStatus = 1): Record<string, unknown> {
  return { version: JSON_VERSION, program: 'killall-ts', error: { code, message }, exitStatus };
}

/**
 * The document as one line of JSON. Besides what JSON.stringify escapes (C0 controls), DEL and the C1 controls
 * are written as `\u` escapes too, so that printing the document cannot drive a terminal.
 */
export function serialize(doc: Record<string, unknown>): string {
  return `${jsonText(doc)}\n`;
}
