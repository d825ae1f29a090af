import { SHELLS } from './completion.js';
import { optionRows } from './help.js';
import { EXAMPLES, GROUP_TITLES, OPERANDS, type OptionGroup } from './options.js';
import { SCHEDULING_RULE } from './sched-rule.js';

/**
 * The man page killall-ts(1), generated at build time (scripts/gen-docs.mjs) from the option table, plus prose:
 * exit status, environment, files, the deviations table of docs/compat.md, examples and see-also.
 */

/** What the man page needs besides the table. */
export interface ManPageInput {
  readonly version: string;
  /** The date shown in the footer (YYYY-MM-DD). */
  readonly date: string;
  /** The text of docs/compat.md: its deviation rows (`| D1 | ...`) become the DEVIATIONS section. */
  readonly compatMarkdown: string;
}

/**
 * Escapes text for roff: backslashes, hyphens (as `\-`, so options copy as ASCII), a leading `.` or `'`, and
 * non-ASCII characters (as `\[uXXXX]`, which every groff device reads whatever the page's encoding).
 */
export function roffEscape(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^[.']/, '\\&$&')
    .replace(
      /[^\x00-\x7f]/gu,
      (c) => `\\[u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`,
    );
}

/** Markdown inline text (code spans, bold) to roff with font escapes. */
export function markdownInline(md: string): string {
  let out = '';
  const re = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (let m = re.exec(md); m !== null; m = re.exec(md)) {
    out += roffEscape(md.slice(last, m.index));
    out += `\\fB${roffEscape((m[1] ?? m[2])!)}\\fR`;
    last = m.index + m[0].length;
  }
  return out + roffEscape(md.slice(last));
}

/** The deviation rows of docs/compat.md: number, case, killall-ts's behaviour and why (Markdown inline text). */
export function deviations(
  compatMarkdown: string,
): { id: string; case: string; ours: string; why: string }[] {
  const rows: { id: string; case: string; ours: string; why: string }[] = [];
  for (const line of compatMarkdown.split('\n')) {
    if (!/^\| D\d+ \|/.test(line)) continue;
    // Cells are split on ` | `; a `|` inside a code span is written without surrounding spaces.
    const cells = line
      .slice(1, -1)
      .split(' | ')
      .map((c) => c.trim());
    if (cells.length < 5) continue;
    rows.push({ id: cells[0]!, case: cells[1]!, ours: cells[3]!, why: cells[4]! });
  }
  return rows;
}

function optionHeader(spelling: string): string {
  // `-s, --signal SIGNAL` / `--explain[=all]` / `--generate-completion bash|zsh|fish`: options bold, arguments
  // italic.
  return spelling
    .trim()
    .split(/(, | )/)
    .map((part) => {
      if (part === ', ' || part === ' ') return part;
      const eq = part.indexOf('[=');
      if (eq >= 0)
        return `\\fB${roffEscape(part.slice(0, eq))}\\fR[=\\fI${roffEscape(part.slice(eq + 2, -1))}\\fR]`;
      return part.startsWith('-') ? `\\fB${roffEscape(part)}\\fR` : `\\fI${roffEscape(part)}\\fR`;
    })
    .join('');
}

/** The man page source (roff, man macros). */
export function renderManPage(input: ManPageInput): string {
  const rows = optionRows();
  const L: string[] = [];
  const p = (s: string): void => {
    L.push(s);
  };
  p(`.TH KILLALL\\-TS 1 "${input.date}" "killall\\-ts ${roffEscape(input.version)}" "User Commands"`);
  p('.SH NAME');
  p('killall\\-ts \\- kill processes by name (psmisc 23.6 killall, with additions)');
  p('.SH SYNOPSIS');
  p('.B killall\\-ts');
  p('[\\fIOPTION\\fR]... [\\fB\\-\\-\\fR] \\fINAME\\fR...');
  p('.br');
  p('.B killall\\-ts');
  p('.BR \\-l " | " \\-h " | " \\-V');
  p('.br');
  p('.B killall\\-ts \\-\\-generate\\-completion');
  p(`.IR ${SHELLS.join(' | ')}`.replace(/ \| /g, ' " | " '));
  p('.br');
  p('.B killall');
  p('[\\fIOPTION\\fR]... [\\fB\\-\\-\\fR] \\fINAME\\fR...');
  p('.SH DESCRIPTION');
  p(
    roffEscape(
      'killall-ts sends a signal (SIGTERM unless told otherwise) to every process that runs one of the NAMEs. ' +
        "It is a drop-in replacement for psmisc 23.6's killall: the same options and spellings, the same " +
        'matching rules, messages, prompts and exit status. Each match is pinned through its /proc/PID ' +
        'directory, its identity confirmed by start time, and signalled with pidfd_send_signal on that pin ' +
        '(through the optional koffi dependency; otherwise kill(2) after re-checking the pin), so a PID reused ' +
        'between the scan and the signal is never hit.',
    ),
  );
  p('.PP');
  p(
    roffEscape(
      'The package installs the same program under two names. As killall it behaves as psmisc (with the ' +
        'deviations listed below): -h and ' +
        "--help print psmisc's usage and exit 1, -V prints the version on stderr. As killall-ts, -h and --help " +
        'print the full help on stdout, -V and --version print the version on stdout, and ' +
        '--generate-completion prints a shell completion script, and killall-ts with no arguments, with a ' +
        'terminal on stdin and stdout, opens the --pick picker over every process (without a terminal it prints ' +
        "psmisc's usage and exits 1, as killall does). The options marked (+) below are additions; " +
        'they work under both names, except --help and --generate-completion, which only killall-ts has.',
    ),
  );
  p('.SH OPTIONS');
  p(
    roffEscape(
      'Long options work with one or two dashes and any unambiguous prefix, and options may follow NAMEs ' +
        'unless POSIXLY_CORRECT is set, exactly as in psmisc. The additions (+) are recognised only with two ' +
        "dashes, where psmisc's own table does not recognise the argument, by full name or by a prefix that " +
        'no other addition shares.',
    ),
  );
  for (const group of Object.keys(GROUP_TITLES) as OptionGroup[]) {
    const inGroup = rows.filter((r) => r.group === group);
    if (inGroup.length === 0) continue;
    p(`.SS ${GROUP_TITLES[group]}`);
    for (const r of inGroup) {
      p('.TP');
      p(`${optionHeader(r.spelling)}${r.psmisc ? '' : ' (+)'}`);
      p(`${roffEscape(r.help.charAt(0).toUpperCase() + r.help.slice(1))}.`);
    }
  }
  p('.SH OPERANDS');
  for (const o of OPERANDS) {
    p('.TP');
    p(`.I ${o.name}`);
    p(`${roffEscape(o.text.charAt(0).toUpperCase() + o.text.slice(1))}.`);
  }
  p('.SH EXIT STATUS');
  p('.TP');
  p('.B 0');
  p(
    roffEscape(
      'Every NAME was credited with at least one successful signal (without NAMEs: something was signalled); ' +
        'or -l, -V, --help, --generate-completion.',
    ),
  );
  p('.TP');
  p('.B 1');
  p(
    roffEscape(
      'Otherwise: a NAME matched nothing that could be signalled, a usage error, a bad argument, or a fatal ' +
        "error. psmisc's usage error also exits 1.",
    ),
  );
  p('.SH ENVIRONMENT');
  p('.TP');
  p('.B POSIXLY_CORRECT');
  p(roffEscape('When set, option parsing stops at the first NAME, as in psmisc.'));
  p('.TP');
  p('.B KILLALL_TS_NO_PIDFD');
  p(
    roffEscape(
      'When set to a non-empty value, the pidfd path (koffi) is not used: signals are sent with kill(2) after re-checking each ' +
        "process's start time through its pin.",
    ),
  );
  p('.TP');
  p('.B KILLALL_TS_NO_RT');
  p(
    roffEscape(
      'When set to a value other than empty or 0, a mass signal never raises its scheduling priority (see NOTES); ' +
        'the pidfd path is unaffected.',
    ),
  );
  p('.TP');
  p('.B NODE_EXTRA_CA_CERTS');
  p(
    roffEscape(
      'Unset by the launchers: killall makes no TLS connection, and loading a CA bundle costs 50-70 ms of ' +
        'start-up.',
    ),
  );
  p('.SH FILES');
  p(
    roffEscape(
      'The completion scripts are printed by killall-ts --generate-completion SHELL and shipped in the ' +
        'package, in dist/completions/ (killall-ts.bash, _killall-ts for zsh, killall-ts.fish). To enable them:',
    ),
  );
  p('.PP');
  p('.nf');
  p('.RS');
  p(roffEscape('source <(killall-ts --generate-completion bash)     # bash, this shell'));
  p(
    roffEscape(
      'killall-ts --generate-completion bash > ~/.local/share/bash-completion/completions/killall-ts',
    ),
  );
  // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh syntax in the text, not a placeholder
  p(roffEscape('killall-ts --generate-completion zsh > "${fpath[1]}/_killall-ts"'));
  p(roffEscape('killall-ts --generate-completion fish > ~/.config/fish/completions/killall-ts.fish'));
  p('.RE');
  p('.fi');
  p('.SH NOTES');
  p(roffEscape(SCHEDULING_RULE));
  p('.PP');
  p(
    roffEscape(
      'A mass signal is a run without -i and -g that matches more than 16 processes: the CLI holds the confirmed ' +
        'pins and sends after the scan, so that the first victims cannot preempt the rest of the scan. The library ' +
        'and --explain send as they scan and never change the scheduling of anything.',
    ),
  );
  p('.SH DEVIATIONS FROM PSMISC');
  p(
    roffEscape(
      'killall-ts departs from psmisc 23.6 only where psmisc crashes, hangs, endangers the host, or cannot do ' +
        'what its documentation promises. Each deviation has a test; the full table, with what psmisc does, ' +
        'is docs/compat.md in the package.',
    ),
  );
  for (const d of deviations(input.compatMarkdown)) {
    p('.TP');
    p(`\\fB${d.id}\\fR: ${markdownInline(d.case)}`);
    p(`${markdownInline(d.ours)} (${markdownInline(d.why)}).`);
  }
  p('.SH EXAMPLES');
  for (const e of EXAMPLES) {
    p('.TP');
    p(`.B ${roffEscape(e.command).replace(/"/g, '\\(dq')}`);
    p(`${roffEscape(e.text.charAt(0).toUpperCase() + e.text.slice(1))}.`);
  }
  p('.SH SEE ALSO');
  p('.BR killall (1),');
  p('.BR pkill (1),');
  p('.BR kill (1),');
  p('.BR fuser (1),');
  p('.BR signal (7),');
  p('.BR proc (5),');
  p('.BR pidfd_send_signal (2)');
  return `${L.join('\n')}\n`;
}

/** The footer date: SOURCE_DATE_EPOCH (seconds) when set, for reproducible builds, else today (UTC). */
export function manPageDate(sourceDateEpoch: string | undefined): string {
  const secs = sourceDateEpoch === undefined ? Number.NaN : Number(sourceDateEpoch);
  const d = Number.isFinite(secs) ? new Date(secs * 1000) : new Date();
  return d.toISOString().slice(0, 10);
}
