import {
  EXAMPLES,
  EXTENSION_OPTIONS,
  type ExtensionOption,
  GROUP_TITLES,
  OPERANDS,
  type OptionGroup,
  PSMISC_OPTIONS,
  type PsmiscOption,
} from './options.js';

/**
 * The full help of `killall-ts --help`, generated from the option table (src/cli/options.ts). psmisc's usage text
 * (usage.ts) is a different, frozen text: `killall --help` prints that one.
 */

/** One row of the option listing: its spellings (`-s, --signal SIGNAL`) and its help line. */
export interface OptionRow {
  readonly spelling: string;
  readonly help: string;
  readonly group: OptionGroup;
  /** Whether psmisc 23.6 has it. */
  readonly psmisc: boolean;
}

function extensionArg(o: ExtensionOption): string {
  if (!o.arg) return '';
  const shown = o.arg.values && o.arg.kind === 'choice' ? o.arg.values.join('|') : o.arg.name;
  return o.arg.mode === 'optional' ? `[=${shown}]` : ` ${shown}`;
}

/** Every option of the table, psmisc's first, in table order. */
export function optionRows(): OptionRow[] {
  const ps = PSMISC_OPTIONS.map(
    (o: PsmiscOption): OptionRow => ({
      spelling: `-${o.short}, --${o.long}${o.arg ? ` ${o.arg.name}` : ''}`,
      help: o.help,
      group: o.group,
      psmisc: true,
    }),
  );
  const ext = EXTENSION_OPTIONS.map(
    (o): OptionRow => ({
      spelling: `${o.short ? `-${o.short},` : '   '} --${o.long}${extensionArg(o)}`,
      help: o.killallTsOnly ? `${o.help} (killall-ts only)` : o.help,
      group: o.group,
      psmisc: false,
    }),
  );
  return [...ps, ...ext];
}

/** Word-wraps `text` to lines of at most `width` characters, every line after the first indented by `indent` spaces. */
export function wrap(text: string, width: number, indent: number): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

const WIDTH = 80;
const COLUMN = 32;

function row(left: string, right: string, mark = ' '): string {
  const head = `${mark} ${left}`;
  if (head.length + 2 > COLUMN)
    return `${head}\n${' '.repeat(COLUMN)}${wrap(right, WIDTH - COLUMN, COLUMN)}\n`;
  return `${head.padEnd(COLUMN)}${wrap(right, WIDTH - COLUMN, COLUMN)}\n`;
}

/** The text of `killall-ts --help` (ends with a newline). */
export function renderHelp(): string {
  const rows = optionRows();
  let s =
    'Usage: killall-ts [OPTION]... [--] NAME...\n' +
    '       killall-ts -l, --list-signals\n' +
    '       killall-ts -h, --help\n' +
    '       killall-ts -V, --version\n' +
    '       killall-ts --generate-completion bash|zsh|fish\n\n' +
    `${wrap(
      'Send a signal (SIGTERM unless told otherwise) to every process that runs one of the NAMEs. ' +
        "killall-ts is psmisc 23.6's killall, with the same options, messages and exit status, plus the " +
        "options marked +. Invoked as killall, it prints psmisc's usage for -h and --help and its version on " +
        'stderr; the + options work there too, except --help and --generate-completion. killall-ts with no ' +
        'arguments on a terminal opens the --pick picker over every process (elsewhere, and as killall, ' +
        "psmisc's usage).",
      WIDTH,
      0,
    )}\n`;
  for (const group of Object.keys(GROUP_TITLES) as OptionGroup[]) {
    const inGroup = rows.filter((r) => r.group === group);
    if (inGroup.length === 0) continue;
    s += `\n${GROUP_TITLES[group]}:\n`;
    for (const r of inGroup) s += row(r.spelling, r.help, r.psmisc ? ' ' : '+');
  }
  s += '\nOperands:\n';
  for (const o of OPERANDS) s += row(o.name, o.text);
  const para = (text: string): string => `\n${wrap(text, WIDTH, 0)}\n`;
  s += para(
    'Long options work with one or two dashes and any unambiguous prefix, as in psmisc; the + options only ' +
      'with two dashes, by full name or a prefix no other + option shares. Options may follow NAMEs unless ' +
      'POSIXLY_CORRECT is set.',
  );
  s += para(
    'Exit status: 0 when every NAME matched a process that was signalled (without NAMEs: when anything was ' +
      'signalled), 1 otherwise and on every error.',
  );
  s += '\nExamples:\n';
  for (const e of EXAMPLES) s += `  ${e.command}\n      ${wrap(e.text, WIDTH - 6, 6)}\n`;
  s += para('The manual: man killall-ts. Deviations from psmisc: docs/compat.md in the package.');
  return s;
}
