/**
 * The signal table of psmisc 23.6 on x86_64/arm64 glibc: the 31 names that `killall -l` lists, in numeric order.
 * The aliases IO, IOT, CLD and the real-time names are deliberately absent: psmisc rejects them.
 */
export const SIGNAL_NAMES: readonly string[] = [
  'HUP',
  'INT',
  'QUIT',
  'ILL',
  'TRAP',
  'ABRT',
  'BUS',
  'FPE',
  'KILL',
  'USR1',
  'SEGV',
  'USR2',
  'PIPE',
  'ALRM',
  'TERM',
  'STKFLT',
  'CHLD',
  'CONT',
  'STOP',
  'TSTP',
  'TTIN',
  'TTOU',
  'URG',
  'XCPU',
  'XFSZ',
  'VTALRM',
  'PROF',
  'WINCH',
  'POLL',
  'PWR',
  'SYS',
];

/** SIGTERM, the default signal. */
export const SIGTERM = 15;

/** The number of a table name (without `SIG`), case-sensitive; undefined when unknown. */
export function signalNumber(name: string): number | undefined {
  const i = SIGNAL_NAMES.indexOf(name);
  return i < 0 ? undefined : i + 1;
}

/** The table name of a signal number, or undefined. */
export function signalName(num: number): string | undefined {
  return SIGNAL_NAMES[num - 1];
}

/**
 * C `atoi` as glibc does it: `(int) strtol(s, NULL, 10)`. Leading white space and one sign are accepted, the
 * value saturates at the `long` range and is then truncated to 32 bits, so `4294967311` is 15.
 */
export function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(text);
  if (!m) return 0;
  let v = BigInt(m[2]!);
  if (m[1] === '-') v = -v;
  const LONG_MAX = (1n << 63n) - 1n;
  const LONG_MIN = -(1n << 63n);
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < LONG_MIN) v = LONG_MIN;
  return Number(BigInt.asIntN(32, v));
}

/** Result of {@link parseSignal}: a signal number, or the text psmisc calls unknown. */
export type ParsedSignal =
  | { readonly ok: true; readonly signal: number }
  | { readonly ok: false; readonly unknown: string };

/**
 * psmisc `get_signal()`: a leading digit means `atoi` (the number is not checked against the table); otherwise an
 * optional `SIG` prefix is dropped and the rest looked up case-sensitively.
 */
export function parseSignal(text: string): ParsedSignal {
  const c = text.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return { ok: true, signal: atoi(text) };
  const name = text.startsWith('SIG') ? text.slice(3) : text;
  const num = signalNumber(name);
  return num === undefined ? { ok: false, unknown: name } : { ok: true, signal: num };
}

/** The exact `killall -l` text: names separated by spaces, wrapped before column 80, one final newline. */
export function renderSignalList(): string {
  let out = '';
  let col = 0;
  for (const name of SIGNAL_NAMES) {
    if (col + name.length + 1 > 80) {
      out += '\n';
      col = 0;
    }
    out += col === 0 ? name : ` ${name}`;
    col += name.length + 1;
  }
  return `${out}\n`;
}
