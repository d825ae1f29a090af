/**
 * The picker's screen as lines of text, pure: the row layout (columns that fit the width, dropped in order when
 * the terminal is narrow), highlighting, header and footer. Every line takes at most `width` cells; with colour off
 * no escape sequence is emitted at all.
 */
import { signalName } from '../../signal/signals.js';
import { type PickRow, type PickState, portsText, type Ranked, rowId } from './model.js';
import { cpWidth, fit } from './width.js';

/** Styling: SGR sequences, or none at all. */
export interface Style {
  readonly color: boolean;
}

const SGR = {
  cursorOn: '\x1b[7m',
  hiOn: '\x1b[1;33m',
  hiOff: '\x1b[22;39m',
  markOn: '\x1b[32m',
  markOff: '\x1b[39m',
  dimOn: '\x1b[2m',
  dimOff: '\x1b[22m',
  reset: '\x1b[0m',
};

type ColumnKey = 'pid' | 'user' | 'cpu' | 'rss' | 'age' | 'ports' | 'name' | 'cmdline';

/** One column: its key, title, width in cells and alignment. */
export interface Column {
  readonly key: ColumnKey;
  readonly title: string;
  readonly width: number;
  readonly right: boolean;
}

const FIXED: readonly Column[] = [
  { key: 'pid', title: 'PID', width: 7, right: true },
  { key: 'user', title: 'USER', width: 8, right: false },
  { key: 'cpu', title: 'CPU%', width: 5, right: true },
  { key: 'rss', title: 'RSS', width: 6, right: true },
  { key: 'age', title: 'AGE', width: 5, right: true },
  { key: 'ports', title: 'PORTS', width: 9, right: false },
];
/** Dropped first to last when the width does not allow a name of at least NAME_MIN cells. */
const DROP_ORDER: readonly ColumnKey[] = ['ports', 'age', 'rss', 'cpu', 'user'];
const NAME_MIN = 8;
const NAME_MAX = 24;
/** The marker cells at the start of a row: cursor `>` and mark `*`, then a space. */
export const MARKER_WIDTH = 3;

/**
 * The columns for a width: PID and NAME always; PORTS only when some row has a port; the command line takes what
 * is left. The sum of widths plus one separating space each never exceeds `width - MARKER_WIDTH`.
 */
export function columnsFor(width: number, showPorts: boolean): Column[] {
  let fixed = FIXED.filter((c) => c.key !== 'ports' || showPorts);
  const avail = Math.max(0, width - MARKER_WIDTH);
  const used = (cols: readonly Column[]): number => cols.reduce((n, c) => n + c.width + 1, 0);
  for (const key of DROP_ORDER) {
    if (avail - used(fixed) >= NAME_MIN) break;
    fixed = fixed.filter((c) => c.key !== key);
  }
  const rest = Math.max(0, avail - used(fixed));
  // The name takes about a third of what is left (at least NAME_MIN), the command line the rest.
  const nameWidth = Math.min(rest, Math.max(NAME_MIN, Math.min(NAME_MAX, Math.floor(rest * 0.35))));
  const cols: Column[] = [...fixed, { key: 'name', title: 'NAME', width: nameWidth, right: false }];
  const cmd = rest - nameWidth - 1;
  if (cmd >= 4) cols.push({ key: 'cmdline', title: 'COMMAND', width: cmd, right: false });
  return cols;
}

/** `12.3M`-style sizes from KiB. */
export function humanKiB(kib: number | undefined): string {
  if (kib === undefined) return '-';
  if (kib < 1024) return `${kib}K`;
  const units = ['M', 'G', 'T'];
  let v = kib / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[u]}`;
}

/** `45s`, `12m`, `3h`, `5d`, `2y`. */
export function humanAge(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec) || sec < 0) return '-';
  if (sec < 60) return `${Math.floor(sec)}s`;
  if (sec < 3600) return `${Math.floor(sec / 60)}m`;
  if (sec < 86400) return `${Math.floor(sec / 3600)}h`;
  if (sec < 365 * 86400) return `${Math.floor(sec / 86400)}d`;
  return `${Math.floor(sec / (365 * 86400))}y`;
}

function cellOf(row: PickRow, key: ColumnKey): string {
  switch (key) {
    case 'pid':
      return String(row.pid);
    case 'user':
      return row.user;
    case 'cpu':
      return row.cpu === undefined ? '-' : row.cpu.toFixed(row.cpu < 100 ? 1 : 0);
    case 'rss':
      return humanKiB(row.rssKiB);
    case 'age':
      return humanAge(row.ageSec);
    case 'ports':
      return portsText(row.ports);
    case 'name':
      return row.name;
    case 'cmdline':
      return row.cmdline;
  }
}

/** Renders text fitted to `width` cells, highlighting characters at `positions`, padded to exactly `width`. */
function renderCell(
  text: string,
  width: number,
  right: boolean,
  positions: readonly number[],
  style: Style,
  restore: string,
): string {
  const f = fit(text, width);
  const pad = ' '.repeat(width - f.width);
  let body = f.text;
  if (style.color && positions.length > 0) {
    const hi = new Set(positions);
    body = '';
    let k = 0;
    for (const ch of f.text) {
      const at = f.starts[k++];
      body += at !== undefined && hi.has(at) ? `${SGR.hiOn}${ch}${SGR.hiOff}${restore}` : ch;
    }
  }
  return right ? pad + body : body + pad;
}

/** One list row: exactly `width` cells (padded), never more. */
export function renderRow(
  r: Ranked,
  cols: readonly Column[],
  width: number,
  opts: { readonly cursor: boolean; readonly marked: boolean },
  style: Style,
): string {
  const restore = style.color && opts.cursor ? SGR.cursorOn : '';
  let line = '';
  let used = 0;
  const marker = `${opts.cursor ? '>' : ' '}${opts.marked ? '*' : ' '} `.slice(0, Math.max(0, width));
  line +=
    style.color && opts.marked
      ? `${marker[0] ?? ''}${SGR.markOn}${marker.slice(1)}${SGR.markOff}${restore}`
      : marker;
  used += marker.length;
  for (const c of cols) {
    if (used >= width) break;
    const w = Math.min(c.width, width - used);
    const positions = r.field === c.key ? r.positions : [];
    line += renderCell(cellOf(r.row, c.key), w, c.right, positions, style, restore);
    used += w;
    if (used < width) {
      line += ' ';
      used++;
    }
  }
  if (used < width) line += ' '.repeat(width - used);
  return style.color && opts.cursor ? `${SGR.cursorOn}${line}${SGR.reset}` : line;
}

/** The column titles, fitted like a row. */
export function renderTitles(cols: readonly Column[], width: number, style: Style): string {
  let line = ' '.repeat(Math.min(MARKER_WIDTH, width));
  let used = line.length;
  for (const c of cols) {
    if (used >= width) break;
    const w = Math.min(c.width, width - used);
    const f = fit(c.title, w);
    const pad = ' '.repeat(w - f.width);
    line += c.right ? pad + f.text : f.text + pad;
    used += w;
    if (used < width) {
      line += ' ';
      used++;
    }
  }
  return style.color ? `${SGR.dimOn}${line}${SGR.dimOff}` : line;
}

/** Plain text fitted to the width (no padding). */
export function fitLine(text: string, width: number): string {
  return fit(text, width).text;
}

/** The signal's name as the footer and the confirmation show it. */
export const sigText = (n: number): string => signalName(n) ?? String(n);

/** The footer: the current choices and the keys. */
export function footerText(s: PickState): string {
  const c = s.choices;
  const tree = s.caps.tree ? (c.tree ? 'on' : 'off') : 'n/a';
  const esc = s.caps.escalation ? (c.escalate ? `${c.killAfterMs / 1000}s` : 'off') : 'n/a';
  return `${sigText(c.signal)} [Tab/^S]  tree:${tree} [^T]  kill-after:${esc} [^K]  Spc:mark Enter:send Esc:quit`;
}

/** How a process is named in the confirmation and the results: `name(pid)`. */
export const label = (r: PickRow): string => `${r.name}(${r.pid})`;

/**
 * The one-line confirmation, fitted to `width`: the names are cut (with `…`) before the signal, the count or the
 * `? [y/N]` question ever are.
 */
export function confirmText(s: PickState, width = Number.POSITIVE_INFINITY): string {
  const c = s.choices;
  const extra = `${c.tree ? ` and ${s.chosen.length === 1 ? 'its' : 'their'} descendants` : ''}${c.escalate ? `, then KILL after ${c.killAfterMs / 1000}s` : ''}`;
  const head = `Send ${sigText(c.signal)} to ${s.chosen.length === 1 ? '' : `${s.chosen.length} processes: `}`;
  const tail = `${extra}? [y/N]`;
  const names = s.chosen.map(label).join(', ');
  const room = width - textCells(head) - textCells(tail);
  if (room >= textCells(names)) return head + names + tail;
  if (room < 2) return fitLine(`${sigText(c.signal)} to ${s.chosen.length}? [y/N]`, width);
  return head + fit(names, room).text + tail;
}

/** How many list rows fit in a screen of `height` lines (header, titles, message line, footer). */
export const pageRowsFor = (height: number): number => Math.max(1, height - 4);

/** The whole frame: `height` lines, each at most `width` cells. */
export function renderFrame(s: PickState, width: number, height: number, style: Style): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  const showPorts = s.rows.some((r) => (r.ports?.length ?? 0) > 0);
  const cols = columnsFor(w, showPorts);
  const count = s.query === '' ? `${s.rows.length} processes` : `${s.view.length}/${s.rows.length}`;
  const head = `killall-ts pick> ${s.query}`;
  const gap = w - textCells(head) - count.length;
  lines.push(gap >= 1 ? head + ' '.repeat(gap) + count : fitLine(head, w));
  lines.push(renderTitles(cols, w, style));
  const page = pageRowsFor(height);
  for (let i = s.top; i < s.top + page; i++) {
    const r = s.view[i];
    if (!r) {
      lines.push('');
      continue;
    }
    lines.push(renderRow(r, cols, w, { cursor: i === s.cursor, marked: s.marks.has(rowId(r.row)) }, style));
  }
  let status: string;
  if (s.mode === 'confirm') status = confirmText(s, w);
  else if (s.mode === 'signal')
    status = `signal (name or number, Enter to set, Esc to cancel): ${s.signalInput}`;
  else if (s.message) status = s.message;
  else status = s.marks.size > 0 ? `${s.marks.size} marked` : '';
  lines.push(fitLine(status, w));
  lines.push(fitLine(footerText(s), w));
  return lines.slice(0, Math.max(1, height));
}

function textCells(t: string): number {
  let n = 0;
  for (const ch of t) n += cpWidth(ch.codePointAt(0)!);
  return n;
}
