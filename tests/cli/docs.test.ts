import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LONG_OPTIONS, SHORT_OPTIONS } from '../../src/cli/argv.js';
import { completionFileName, completionOptions, renderCompletion, SHELLS } from '../../src/cli/completion.js';
import { bashScript } from '../../src/cli/completion-bash.js';
import type { LongOption } from '../../src/cli/getopt.js';
import { renderHelp } from '../../src/cli/help.js';
import { renderManPage } from '../../src/cli/manpage.js';
import { EXAMPLES, EXTENSION_OPTIONS, PSMISC_OPTIONS } from '../../src/cli/options.js';

/**
 * The option table (src/cli/options.ts) is the one source of psmisc's getopt table, the help, the man page and the
 * completions. psmisc's getopt table is compared with psmisc's own: the reference's text (verbatim excerpts in
 * tests/cli/fixtures/, checked against /work/shared/reference when it is there) and the strings in
 * /usr/bin/killall. The help, man page and completions are read back, independently of the code that wrote them,
 * and compared with the table. The generated files are compared with committed golden copies (tests/cli/golden/,
 * rewritten with UPDATE_GOLDEN=1), and scripts/gen-docs.mjs is run into a temporary folder: what it writes, and
 * what dist/ ships, must be those copies. Each comparison is also shown to fail on a drifted table or generator.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const compatMarkdown = readFileSync(`${ROOT}docs/compat.md`, 'utf8');
const man = renderManPage({ version: '9.9.9', date: '2026-01-01', compatMarkdown });
const FIXTURE = `${ROOT}tests/cli/fixtures/psmisc-killall-23.6-options.md`;
const REFERENCE = '/work/shared/reference/psmisc-killall-23.6.md';
const GOLDEN = `${ROOT}tests/cli/golden/`;
const updating = process.env.UPDATE_GOLDEN === '1';

/** psmisc's getopt tables as the reference's text gives them: the short-option string, the long table in order. */
export function referenceOptions(md: string): { short: string; longs: LongOption[] } {
  const flat = md.replace(/\s+/g, ' ');
  const short = /the short-option string `([^`]+)`/.exec(flat)?.[1] ?? '';
  const table =
    /Long option table \(name → short code, and whether it takes an argument\):(.*?)\. The usage text/.exec(
      flat,
    )?.[1] ?? '';
  const longs = [...table.matchAll(/`([a-z-]+)`→(\w)( \(arg\))?/g)].map((m) => ({
    name: m[1]!,
    hasArg: m[3] !== undefined,
    val: m[2]!,
  }));
  return { short, longs };
}

/** How our getopt tables differ from the reference's (empty when they agree, order included). */
export function tableDifferences(md: string, short: string, longs: readonly LongOption[]): string[] {
  const ref = referenceOptions(md);
  const out: string[] = [];
  if (ref.longs.length < 10)
    out.push(`the reference's long table did not parse (${ref.longs.length} entries)`);
  if (ref.short !== short) out.push(`short options: reference ${ref.short}, ours ${short}`);
  const show = (o: LongOption): string => `${o.name}→${o.val}${o.hasArg ? ' (arg)' : ''}`;
  const theirs = ref.longs.map(show).join(', ');
  const ours = longs.map((o) => show({ name: o.name, hasArg: o.hasArg, val: o.val })).join(', ');
  if (theirs !== ours) out.push(`long options:\n  reference ${theirs}\n  ours      ${ours}`);
  return out;
}

/** The first line where two texts differ, for a failure message that can be read. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const i = a.findIndex((l, k) => l !== b[k]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}:\n  golden: ${JSON.stringify(a[at])}\n  now:    ${JSON.stringify(b[at])}`;
}

/** The files the build generates, by name, with the man page's version and date fixed. */
function generated(): Map<string, string> {
  const out = new Map(SHELLS.map((s) => [completionFileName(s), renderCompletion(s)]));
  out.set('killall-ts.1', man);
  return out;
}

/** The man page's `.TH` line carries the version and the date: those are the build's, not the generator's. */
const sameTH = (text: string): string => text.replace(/^\.TH .*$/m, '.TH (version and date)');

const tableLongs = [...PSMISC_OPTIONS.map((o) => o.long), ...EXTENSION_OPTIONS.map((o) => o.long)].sort();
const tableShorts = [...PSMISC_OPTIONS.map((o) => o.short), 'h'].sort();
const withArg = new Map<string, string>([
  ...PSMISC_OPTIONS.filter((o) => o.arg).map((o): [string, string] => [o.long, o.arg!.name]),
  ...EXTENSION_OPTIONS.filter((o) => o.arg).map((o): [string, string] => [o.long, o.arg!.name]),
]);
const uniq = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

describe("psmisc's option table is psmisc's", () => {
  const fixture = readFileSync(FIXTURE, 'utf8');

  it("the getopt tables the parser uses are the reference's: short-option string, long names, letters, arguments, order", () => {
    assert.deepEqual(tableDifferences(fixture, SHORT_OPTIONS, LONG_OPTIONS), []);
  });

  it('the check fails on a drifted table or a drifted reference', () => {
    const drop = LONG_OPTIONS.filter((o) => o.name !== 'wait');
    const flip = LONG_OPTIONS.map((o) => (o.name === 'ns' ? { ...o, hasArg: false } : o));
    const letter = LONG_OPTIONS.map((o) => (o.name === 'quiet' ? { ...o, val: 'Q' } : o));
    const order = [...LONG_OPTIONS].reverse();
    for (const longs of [drop, flip, letter, order])
      assert.notDeepEqual(tableDifferences(fixture, SHORT_OPTIONS, longs), []);
    assert.notDeepEqual(tableDifferences(fixture, SHORT_OPTIONS.replace('n:', 'n'), LONG_OPTIONS), []);
    assert.notDeepEqual(
      tableDifferences(fixture.replace('`ns`→n (arg)', '`ns`→n'), SHORT_OPTIONS, LONG_OPTIONS),
      [],
    );
    assert.notDeepEqual(tableDifferences('', SHORT_OPTIONS, LONG_OPTIONS), []);
  });

  it('the excerpts are verbatim from the reference', (t) => {
    if (!existsSync(REFERENCE)) return t.skip(`${REFERENCE} is not on this machine`);
    const reference = readFileSync(REFERENCE, 'utf8');
    const blocks = fixture.split(/^---$/m).slice(1);
    assert.equal(blocks.length, 2);
    for (const b of blocks) assert.ok(reference.includes(b.trim()), b);
  });

  it('/usr/bin/killall carries the same short-option string and long names', (t) => {
    if (!existsSync('/usr/bin/killall')) return t.skip('psmisc is not installed');
    // Read, never run: the strings of its getopt tables, NUL-terminated in the binary's read-only data.
    const bin = readFileSync('/usr/bin/killall');
    assert.ok(bin.includes(`\0${SHORT_OPTIONS}\0`), SHORT_OPTIONS);
    for (const o of LONG_OPTIONS) assert.ok(bin.includes(`\0${o.name}\0`), o.name);
  });
});

describe('the option table is the single source', () => {
  it('the help lists exactly the options of the table, with their placeholders and help lines', () => {
    const help = renderHelp();
    const rows = help.split('\n').filter((l) => /^[ +] (-\w, )?(\s*)--[a-z]/.test(l));
    const longs = rows.map((l) => /--([a-z-]+)/.exec(l)![1]!);
    assert.deepEqual(longs.sort(), tableLongs);
    assert.deepEqual(uniq(rows.flatMap((l) => /^[ +] -(\w),/.exec(l)?.[1] ?? [])), tableShorts);
    for (const [long, placeholder] of withArg) {
      const row = rows.find((l) => l.includes(`--${long}`))!;
      assert.ok(row.includes(placeholder) || row.includes('bash|zsh|fish'), `${long}: ${row}`);
    }
    const flat = help.replace(/\s+/g, ' ');
    for (const o of [...PSMISC_OPTIONS, ...EXTENSION_OPTIONS]) assert.ok(flat.includes(o.help), o.long);
    for (const e of EXAMPLES) assert.ok(help.includes(`  ${e.command}\n`), e.command);
  });

  it('the man page lists exactly the options of the table', () => {
    const tags = man.split('\n.TP\n').map((s) => s.split('\n')[0]!);
    const optionTags = tags.filter((t) => t.startsWith('\\fB\\-'));
    const longs = optionTags.map((t) => /\\fB\\-\\-([a-z\\-]+?)\\fR/.exec(t)![1]!.replace(/\\-/g, '-'));
    assert.deepEqual(longs.sort(), tableLongs);
    const shorts = optionTags.flatMap((t) => /^\\fB\\-(\w)\\fR,/.exec(t)?.[1] ?? []);
    assert.deepEqual(shorts.sort(), tableShorts);
    for (const [long, placeholder] of withArg) {
      const tag = optionTags.find((t) => t.includes(`\\-\\-${long.replace(/-/g, '\\-')}\\fR`))!;
      assert.ok(tag.includes(`\\fI${placeholder}`) || tag.includes('\\fIbash|zsh|fish'), `${long}: ${tag}`);
    }
    const deviations = [...compatMarkdown.matchAll(/^\| (D\d+) \|/gm)].map((m) => m[1]!);
    assert.ok(deviations.length > 10);
    for (const d of deviations) assert.ok(man.includes(`\\fB${d}\\fR: `), d);
  });

  it('every completion script offers exactly the options of the table, with the right argument kinds', () => {
    const bash = renderCompletion('bash');
    const words = (name: string): string[] =>
      /^_killall_ts_\w+='([^']*)'$/m
        .exec(bash.match(new RegExp(`^${name}='[^']*'$`, 'm'))![0])![1]!
        .split(' ');
    assert.deepEqual(
      words('_killall_ts_longs')
        .map((w) => w.slice(2))
        .sort(),
      tableLongs,
    );
    assert.deepEqual(
      words('_killall_ts_shorts')
        .map((w) => w.slice(1))
        .sort(),
      tableShorts,
    );
    const kinds = [...words('_killall_ts_psmisc'), ...words('_killall_ts_ext')];
    assert.deepEqual(kinds.map((k) => k.split(':')[0]!).sort(), tableLongs);
    for (const o of [...PSMISC_OPTIONS, ...EXTENSION_OPTIONS]) {
      const k = kinds.find((x) => x.split(':')[0] === o.long)!;
      assert.equal(
        k
          .slice(o.long.length + 1)
          .replace(/^\?/, '')
          .split(':')[0],
        o.arg?.kind ?? '',
        o.long,
      );
    }

    const fish = renderCompletion('fish');
    const fishLines = fish.split('\n').filter((l) => /^complete -c killall-ts( .*)? -l [a-z]/.test(l));
    assert.deepEqual(fishLines.map((l) => / -l ([a-z-]+)/.exec(l)![1]!).sort(), tableLongs);
    assert.deepEqual(uniq(fishLines.flatMap((l) => / -s (\w) /.exec(l)?.[1] ?? [])), tableShorts);
    for (const l of fishLines) {
      const long = / -l ([a-z-]+)/.exec(l)![1]!;
      const o = EXTENSION_OPTIONS.find((x) => x.long === long);
      const required = withArg.has(long) && o?.arg?.mode !== 'optional';
      assert.equal(l.includes(' -x'), required, long);
    }

    const zsh = renderCompletion('zsh');
    const specs = zsh.split('\n').filter((l) => /^ {4}'(\(|--)/.test(l));
    assert.deepEqual(specs.map((l) => /--([a-z-]+)/.exec(l)![1]!).sort(), tableLongs);
    assert.deepEqual(uniq(specs.flatMap((l) => /^ {4}'\(-(\w) /.exec(l)?.[1] ?? [])), tableShorts);
    for (const l of specs) {
      const long = /--([a-z-]+)/.exec(l)![1]!;
      assert.equal(/\]:[a-z]+:/.test(l), withArg.has(long), long);
    }
  });

  it('the generators write what the committed golden copies hold (UPDATE_GOLDEN=1 rewrites them)', () => {
    for (const [name, text] of generated()) {
      if (updating) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(`${GOLDEN}${name}`, text);
        continue;
      }
      const golden = readFileSync(`${GOLDEN}${name}`, 'utf8');
      assert.ok(
        text === golden,
        `${name} differs from tests/cli/golden/${name} at ${firstDifference(golden, text)}`,
      );
    }
  });

  it('scripts/gen-docs.mjs, run into a temporary folder, writes the golden copies; dist/ ships the same files', () => {
    const dir = mkdtempSync(`${tmpdir()}/kts-gen-docs-`);
    try {
      const r = spawnSync(process.execPath, [`${ROOT}scripts/gen-docs.mjs`, '--out', dir], {
        encoding: 'utf8',
        env: { ...process.env, SOURCE_DATE_EPOCH: '1767225600' },
      });
      assert.equal(r.status, 0, r.stderr);
      for (const name of generated().keys()) {
        const sub = name.endsWith('.1') ? 'man' : 'completions';
        const fresh = readFileSync(`${dir}/${sub}/${name}`, 'utf8');
        const golden = readFileSync(`${GOLDEN}${name}`, 'utf8');
        assert.ok(sameTH(fresh) === sameTH(golden), `${sub}/${name}: ${firstDifference(golden, fresh)}`);
        const shipped = readFileSync(`${ROOT}dist/${sub}/${name}`, 'utf8');
        assert.ok(
          sameTH(shipped) === sameTH(fresh),
          `dist/${sub}/${name} is stale: ${firstDifference(fresh, shipped)}`,
        );
      }
      const { version } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
      const th = readFileSync(`${dir}/man/killall-ts.1`, 'utf8').split('\n')[0];
      assert.equal(th, `.TH KILLALL\\-TS 1 "2026-01-01" "killall\\-ts ${version}" "User Commands"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the golden check fails on a drifted table or generator', (t) => {
    if (updating) return t.skip('the golden copies are being rewritten');
    const golden = readFileSync(`${GOLDEN}killall-ts.bash`, 'utf8');
    assert.equal(bashScript(completionOptions()), golden);
    assert.notEqual(bashScript(completionOptions().filter((o) => o.long !== 'wait')), golden);
    assert.notEqual(bashScript(completionOptions().map((o) => ({ ...o, psmisc: true }))), golden);
    const goldenMan = readFileSync(`${GOLDEN}killall-ts.1`, 'utf8');
    const noD6 = compatMarkdown.replace(/^\| D6 \|.*\n/m, '');
    assert.notEqual(renderManPage({ version: '9.9.9', date: '2026-01-01', compatMarkdown: noD6 }), goldenMan);
  });

  it('the man page renders with groff and man without a warning', (t) => {
    if (spawnSync('groff', ['-v'], { stdio: 'ignore' }).status !== 0) return t.skip('groff is not installed');
    const g = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z'], { input: man, encoding: 'utf8' });
    assert.deepEqual([g.status, g.stderr], [0, '']);
    if (spawnSync('man', ['--version'], { stdio: 'ignore' }).status !== 0)
      return t.skip('man is not installed');
    const m = spawnSync('man', ['--warnings', '-l', `${ROOT}dist/man/killall-ts.1`], {
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' },
    });
    assert.equal(m.stderr, '');
    assert.equal(m.status, 0);
    assert.match(m.stdout, /^KILLALL-TS\(1\)/);
    for (const long of tableLongs) assert.ok(m.stdout.includes(`--${long}`), long);
  });
});
