import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LONG_OPTIONS, SHORT_OPTIONS } from '../../src/cli/argv.js';
import { completionFileName, renderCompletion, SHELLS } from '../../src/cli/completion.js';
import { renderHelp } from '../../src/cli/help.js';
import { renderManPage } from '../../src/cli/manpage.js';
import { EXAMPLES, EXTENSION_OPTIONS, PSMISC_OPTIONS } from '../../src/cli/options.js';

/**
 * The option table (src/cli/options.ts) is the one source of psmisc's getopt table, the help, the man page and the
 * completions. Each of them is read back here, independently of the code that wrote it, and compared with the
 * table; the files the build ships must be what the generators produce now.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const compatMarkdown = readFileSync(`${ROOT}docs/compat.md`, 'utf8');
const man = renderManPage({ version: '9.9.9', date: '2026-01-01', compatMarkdown });

const tableLongs = [...PSMISC_OPTIONS.map((o) => o.long), ...EXTENSION_OPTIONS.map((o) => o.long)].sort();
const tableShorts = [...PSMISC_OPTIONS.map((o) => o.short), 'h'].sort();
const withArg = new Map<string, string>([
  ...PSMISC_OPTIONS.filter((o) => o.arg).map((o): [string, string] => [o.long, o.arg!.name]),
  ...EXTENSION_OPTIONS.filter((o) => o.arg).map((o): [string, string] => [o.long, o.arg!.name]),
]);
const uniq = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

describe('the option table is the single source', () => {
  it("psmisc's getopt tables are the table's", () => {
    assert.deepEqual(LONG_OPTIONS.map((o) => o.name).sort(), PSMISC_OPTIONS.map((o) => o.long).sort());
    for (const o of PSMISC_OPTIONS) {
      const i = SHORT_OPTIONS.indexOf(o.short);
      assert.ok(i >= 0, o.short);
      assert.equal(SHORT_OPTIONS[i + 1] === ':', o.arg !== undefined, o.short);
      assert.equal(LONG_OPTIONS.find((l) => l.name === o.long)?.val, o.short);
    }
    assert.equal(SHORT_OPTIONS.replace(/:/g, '').length, PSMISC_OPTIONS.length);
  });

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

  it('the shipped files are what the generators produce (npm run build regenerates them)', () => {
    for (const shell of SHELLS)
      assert.equal(
        readFileSync(`${ROOT}dist/completions/${completionFileName(shell)}`, 'utf8'),
        renderCompletion(shell),
      );
    const built = readFileSync(`${ROOT}dist/man/killall-ts.1`, 'utf8');
    const { version } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
    const date = /^\.TH \S+ 1 "([^"]*)"/.exec(built)![1]!;
    assert.equal(built, renderManPage({ version, date, compatMarkdown }));
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
