/**
 * The picker's data and state, as pure functions: the rows, the search (fuzzy over name, command line and PID, or
 * `:PORT`), the ranking, and what each key does. The terminal loop (index.ts) only feeds keys and refreshed rows in
 * and draws what comes out, so all of this is testable without a terminal.
 */
import type { BoundPort } from '../../procfs/fds.js';
import { parseSignal, SIGTERM, signalName } from '../../signal/signals.js';
import { bestField, fuzzyMatch } from './fuzzy.js';

/** A socket a process holds: a listening TCP port or a bound UDP port. */
export type PortInfo = BoundPort;

/** One process as the picker shows it. Text fields are escaped for the terminal already. */
export interface PickRow {
  readonly pid: number;
  /** With the PID, the identity of the process instance (stat field 22). */
  readonly startTime: string;
  /** comm as raw bytes, checked through the pin before any signal. */
  readonly comm: Uint8Array;
  readonly ppid: number;
  /** The long name when there is one, else comm; escaped. */
  readonly name: string;
  readonly user: string;
  /** CPU % since the previous sample; undefined on the first. */
  readonly cpu?: number;
  /** Resident memory in KiB. */
  readonly rssKiB?: number;
  /** Seconds since the process started. */
  readonly ageSec?: number;
  /** Listening ports; undefined while not read yet. */
  readonly ports?: readonly PortInfo[];
  /** The command line, arguments joined by spaces, escaped. */
  readonly cmdline: string;
}

/** The identity of a process instance: PID and start time. */
export const rowId = (r: { readonly pid: number; readonly startTime: string }): string =>
  `${r.pid}:${r.startTime}`;

/** Which cell a match was found in, for highlighting. */
export type MatchField = 'name' | 'cmdline' | 'pid' | 'ports';

/** A row that passes the search, with its score and highlighted positions. */
export interface Ranked {
  readonly row: PickRow;
  readonly score: number;
  readonly field?: MatchField;
  readonly positions: readonly number[];
}

/** The text of the ports cell (also what `:PORT` highlights are positions in). */
export function portsText(ports: readonly PortInfo[] | undefined): string {
  if (!ports) return '';
  return ports.map((p) => `:${p.port}${p.proto === 'udp' ? '/u' : ''}`).join(',');
}

const PORT_QUERY = /^:(\d{0,5})(?:\/(tcp|udp))?$/;

/**
 * Filters and ranks rows for a query. Empty: every row, by PID. `:PORT`, `:PORT/tcp`, `:PORT/udp`: the rows holding
 * a port that starts with those digits (the exact port first). Otherwise: fuzzy over name (weighted double),
 * command line and PID, best first; ties by shorter name, then PID.
 */
export function rank(rows: readonly PickRow[], query: string): Ranked[] {
  if (query === '') return rows.map((row) => ({ row, score: 0, positions: [] }));
  const pm = PORT_QUERY.exec(query);
  if (pm) {
    const digits = pm[1]!;
    const proto = pm[2];
    const out: Ranked[] = [];
    for (const row of rows) {
      let best: Ranked | null = null;
      let at = 0;
      for (const p of row.ports ?? []) {
        const cell = `:${p.port}${p.proto === 'udp' ? '/u' : ''}`;
        const s = String(p.port);
        if ((!proto || proto === p.proto) && s.startsWith(digits)) {
          const score = s === digits ? 100 : 50 - s.length;
          if (!best || score > best.score) {
            const positions = Array.from({ length: digits.length + 1 }, (_, k) => at + k);
            best = { row, score, field: 'ports', positions };
          }
        }
        at += cell.length + 1;
      }
      if (best) out.push(best);
    }
    return sortRanked(out);
  }
  const out: Ranked[] = [];
  for (const row of rows) {
    const pid = String(row.pid);
    const m = bestField(query, [
      { text: row.name, weight: 2 },
      { text: row.cmdline, weight: 1 },
    ]);
    const pidMatch = /^\d+$/.test(query) && pid.startsWith(query) ? fuzzyMatch(query, pid) : null;
    const pidScore = pidMatch ? pidMatch.score * 3 + (pid === query ? 1000 : 0) : -Infinity;
    if (pidMatch && (!m || pidScore >= m.score))
      out.push({ row, score: pidScore, field: 'pid', positions: pidMatch.positions });
    else if (m)
      out.push({ row, score: m.score, field: m.field === 0 ? 'name' : 'cmdline', positions: m.positions });
  }
  return sortRanked(out);
}

function sortRanked(out: Ranked[]): Ranked[] {
  return out.sort(
    (a, b) => b.score - a.score || a.row.name.length - b.row.name.length || a.row.pid - b.row.pid,
  );
}

/** The signals the quick key cycles through. */
export const QUICK_SIGNALS: readonly number[] = [15, 9, 1, 2];

/** What the picker lets change and what it starts with (from the command line). */
export interface Choices {
  readonly signal: number;
  readonly tree: boolean;
  readonly escalate: boolean;
  /** The TERM-then-KILL delay. */
  readonly killAfterMs: number;
}

/** What the backend can do: switches for what it cannot are shown as unavailable. */
export interface Capabilities {
  readonly tree: boolean;
  readonly escalation: boolean;
  /** Why the tree switch is off, for the message when `^T` is pressed (`-g`). */
  readonly treeNote?: string;
}

/** The whole state of the picker screen. */
export interface PickState {
  readonly rows: readonly PickRow[];
  readonly view: readonly Ranked[];
  readonly query: string;
  readonly cursor: number;
  /** The id under the cursor, kept across refreshes and searches. */
  readonly cursorId?: string;
  /** First visible index of the view. */
  readonly top: number;
  readonly marks: ReadonlySet<string>;
  readonly choices: Choices;
  readonly caps: Capabilities;
  readonly mode: 'list' | 'confirm' | 'signal';
  /** What is typed at the signal prompt. */
  readonly signalInput: string;
  /** A one-line message (a rejected key, an unknown signal). */
  readonly message: string;
  /** Rows the confirmation names (fixed when enter was pressed). */
  readonly chosen: readonly PickRow[];
}

/** The start state. */
export function initialState(choices: Partial<Choices>, caps: Capabilities): PickState {
  return {
    rows: [],
    view: [],
    query: '',
    cursor: 0,
    top: 0,
    marks: new Set(),
    choices: {
      signal: choices.signal ?? SIGTERM,
      tree: caps.tree && (choices.tree ?? false),
      escalate: caps.escalation && (choices.escalate ?? false),
      killAfterMs: choices.killAfterMs ?? 5000,
    },
    caps,
    mode: 'list',
    signalInput: '',
    message: '',
    chosen: [],
  };
}

/** Re-ranks and keeps the cursor on the same process when it is still shown. */
function review(s: PickState, rows: readonly PickRow[], query: string, pageRows: number): PickState {
  const view = rank(rows, query);
  let cursor = s.cursorId === undefined ? -1 : view.findIndex((r) => rowId(r.row) === s.cursorId);
  if (cursor < 0 || query !== s.query) cursor = query !== s.query ? 0 : Math.min(s.cursor, view.length - 1);
  cursor = Math.max(0, Math.min(cursor, view.length - 1));
  const live = new Set(rows.map(rowId));
  const marks = new Set([...s.marks].filter((id) => live.has(id)));
  return scroll({ ...s, rows, view, query, cursor, cursorId: idAt(view, cursor), marks }, pageRows);
}

const idAt = (view: readonly Ranked[], i: number): string | undefined => {
  const r = view[i];
  return r ? rowId(r.row) : undefined;
};

function scroll(s: PickState, pageRows: number): PickState {
  const page = Math.max(1, pageRows);
  let top = s.top;
  if (s.cursor < top) top = s.cursor;
  if (s.cursor >= top + page) top = s.cursor - page + 1;
  top = Math.max(0, Math.min(top, Math.max(0, s.view.length - page)));
  return top === s.top ? s : { ...s, top };
}

/**
 * New rows from a refresh: exited processes leave, marks of gone processes are dropped, the cursor stays. `chosen`
 * is kept as it is (review() does not touch it), so while confirming the list named stays what it was; processes
 * that exited meanwhile are reported after.
 */
export function withRows(s: PickState, rows: readonly PickRow[], pageRows: number): PickState {
  return review(s, rows, s.query, pageRows);
}

/** The rows on screen: the page of the view from `top`. */
export function onScreen(s: PickState, pageRows: number): PickRow[] {
  return s.view.slice(s.top, s.top + Math.max(1, pageRows)).map((r) => r.row);
}

/**
 * Rows sampled again (CPU %, memory, user, command line of what is on screen) replace the rows of the same process
 * instance (PID and start time), in the list and in the view, without ranking again: the cursor, the marks and the
 * order stay as they are.
 */
export function withSamples(s: PickState, sampled: readonly PickRow[]): PickState {
  if (sampled.length === 0) return s;
  const byPid = new Map<number, PickRow>();
  for (const r of sampled) byPid.set(r.pid, r);
  const fresh = (r: PickRow): PickRow | undefined => {
    const u = byPid.get(r.pid);
    return u && u.startTime === r.startTime ? u : undefined;
  };
  return {
    ...s,
    rows: s.rows.map((r) => fresh(r) ?? r),
    view: s.view.map((v) => {
      const u = fresh(v.row);
      return u ? { ...v, row: u } : v;
    }),
  };
}

/** A key as node:readline's keypress reports it. */
export interface Key {
  readonly name?: string;
  readonly sequence?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
}

/** What a key leads to. */
export type Action = 'none' | 'quit' | 'send';

function move(s: PickState, to: number, pageRows: number): PickState {
  const cursor = Math.max(0, Math.min(to, s.view.length - 1));
  return scroll({ ...s, cursor, cursorId: idAt(s.view, cursor), message: '' }, pageRows);
}

/** The rows enter would signal: the marked ones in view order (all marked, even if filtered out), else the cursor's. */
export function chosenRows(s: PickState): PickRow[] {
  if (s.marks.size > 0) return s.rows.filter((r) => s.marks.has(rowId(r)));
  const r = s.view[s.cursor];
  return r ? [r.row] : [];
}

/** Applies one key. `pageRows` is how many list rows the screen shows. */
export function press(
  s: PickState,
  str: string | undefined,
  key: Key,
  pageRows: number,
): [PickState, Action] {
  const name = key.name ?? '';
  if (key.ctrl && name === 'c') return [s, 'quit'];
  if (s.mode === 'confirm') {
    if (str === 'y' || str === 'Y') return [s, 'send'];
    if (str === 'n' || str === 'N' || name === 'escape') return [s, 'quit'];
    return [s, 'none'];
  }
  if (s.mode === 'signal') {
    if (name === 'escape') return [{ ...s, mode: 'list', signalInput: '', message: '' }, 'none'];
    if (name === 'return' || name === 'enter') {
      const r = parseSignal(s.signalInput.replace(/^SIG/i, '').toUpperCase());
      const num = /^\d+$/.test(s.signalInput) ? Number(s.signalInput) : r.ok ? r.signal : undefined;
      if (num === undefined || !signalName(num))
        return [{ ...s, message: `unknown signal: ${s.signalInput}`, signalInput: '' }, 'none'];
      return [withSignal({ ...s, mode: 'list', signalInput: '' }, num), 'none'];
    }
    if (name === 'backspace') return [{ ...s, signalInput: s.signalInput.slice(0, -1) }, 'none'];
    if (str && /^[A-Za-z0-9]$/.test(str) && s.signalInput.length < 10)
      return [{ ...s, signalInput: s.signalInput + str }, 'none'];
    return [s, 'none'];
  }
  if (name === 'escape') return [s, 'quit'];
  switch (name) {
    case 'up':
      return [move(s, s.cursor - 1, pageRows), 'none'];
    case 'down':
      return [move(s, s.cursor + 1, pageRows), 'none'];
    case 'pageup':
      return [move(s, s.cursor - pageRows, pageRows), 'none'];
    case 'pagedown':
      return [move(s, s.cursor + pageRows, pageRows), 'none'];
    case 'home':
      return [move(s, 0, pageRows), 'none'];
    case 'end':
      return [move(s, s.view.length - 1, pageRows), 'none'];
    case 'space': {
      const id = idAt(s.view, s.cursor);
      if (id === undefined) return [s, 'none'];
      const marks = new Set(s.marks);
      if (marks.has(id)) marks.delete(id);
      else marks.add(id);
      return [move({ ...s, marks }, s.cursor + 1, pageRows), 'none'];
    }
    case 'return':
    case 'enter': {
      const chosen = chosenRows(s);
      if (chosen.length === 0) return [{ ...s, message: 'nothing to signal' }, 'none'];
      return [{ ...s, mode: 'confirm', chosen, message: '' }, 'none'];
    }
    case 'tab':
      return [
        withSignal(s, QUICK_SIGNALS[(QUICK_SIGNALS.indexOf(s.choices.signal) + 1) % QUICK_SIGNALS.length]!),
        'none',
      ];
    case 'backspace':
      return [review({ ...s, message: '' }, s.rows, s.query.slice(0, -1), pageRows), 'none'];
  }
  if (key.ctrl) {
    switch (name) {
      case 'u':
        return [review({ ...s, message: '' }, s.rows, '', pageRows), 'none'];
      case 's':
        return [{ ...s, mode: 'signal', signalInput: '', message: '' }, 'none'];
      case 't':
        if (!s.caps.tree)
          return [
            { ...s, message: `tree: not available${s.caps.treeNote ? ` ${s.caps.treeNote}` : ''}` },
            'none',
          ];
        return [{ ...s, choices: { ...s.choices, tree: !s.choices.tree }, message: '' }, 'none'];
      case 'k':
        if (!s.caps.escalation) return [{ ...s, message: 'kill-after: not available' }, 'none'];
        if (s.choices.signal === 9 || s.choices.signal === 0)
          return [
            { ...s, message: `kill-after: nothing to escalate after ${sigName(s.choices.signal)}` },
            'none',
          ];
        return [{ ...s, choices: { ...s.choices, escalate: !s.choices.escalate }, message: '' }, 'none'];
    }
    return [s, 'none'];
  }
  if (str && !key.meta && str.length === 1 && str >= '!' && str <= '~' && s.query.length < 64)
    return [review({ ...s, message: '' }, s.rows, s.query + str, pageRows), 'none'];
  return [s, 'none'];
}

const sigName = (n: number): string => signalName(n) ?? String(n);

function withSignal(s: PickState, signal: number): PickState {
  // Escalating after KILL (or signal 0, which sends nothing) means nothing: choosing either turns escalation off.
  const escalate = signal === 9 || signal === 0 ? false : s.choices.escalate;
  return { ...s, choices: { ...s.choices, signal, escalate }, message: '' };
}
