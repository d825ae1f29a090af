/**
 * The extension spellings against psmisc, in private PID namespaces: every argv that psmisc accepts keeps psmisc's
 * meaning (same signals, output and status), and an extension only gives a meaning to an argv psmisc rejects with its
 * usage error. Kept apart from the psmisc differential suite and fuzzer, whose verdicts stay as they were.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { USAGE } from '../../src/cli/usage.js';
import { comparable, psmiscSkip, runBoth } from '../helpers/ns.js';
import type { RunResult } from '../helpers/scenario.js';

const victims = [
  { label: 'a', exe: 'hx7a' },
  { label: 'b', exe: 'hx7b', detached: true },
];

/** psmisc rejected the argv with its usage error (nothing sent). */
const psmiscUsage = (r: RunResult): boolean =>
  r.rc === 1 && r.stderr.endsWith(USAGE) && Object.values(r.victims).every((v) => v.signals.length === 0);

/** Spellings that psmisc owns: they must behave exactly as psmisc, extensions notwithstanding. */
const PSMISC_OWNED: readonly (readonly string[])[] = [
  ['--e', 'hx7a'],
  ['--ex', 'hx7a'],
  ['--p', 'hx7b'],
  ['-p', 'hx7b'],
  ['--u', 'root', 'hx7a'],
  ['-dry-run', 'hx7a'],
  ['-tree', 'hx7a'],
  ['-json', 'hx7a'],
  ['-kill-after', '1', 'hx7a'],
  ['-timeout', '1', 'hx7a'],
  ['--dry-run=1', 'hx7a'],
  ['--t', 'hx7a'],
  ['-pick', 'hx7a'],
  ['--help'],
  ['--', '--dry-run'],
];

/** Extension spellings: psmisc must reject each with its usage error (that is what makes them ours to define). */
const EXTENSIONS: readonly (readonly string[])[] = [
  ['--dry-run', 'hx7a'],
  ['--d', 'hx7a'],
  ['--json', 'hx7a'],
  ['--tree', 'hx7a'],
  ['--tr', 'hx7a'],
  ['--kill-after', '5', 'hx7a'],
  ['--kill-after=5', 'hx7a'],
  ['-w', '--timeout', '5', 'hx7a'],
  ['--ti=5', '-w', 'hx7a'],
  ['--explain', 'hx7a'],
  ['--exp', 'hx7a'],
  ['--explain=all', 'hx7a'],
  // --pick off a terminal (as here): a clear refusal, nothing sent; psmisc: its usage error.
  ['--pick', 'hx7a'],
  ['--pi'],
  ['--pick', '-u', 'root'],
];

/** The long options those spellings use (before any `=`): an argv with one of them before `--` may be ours to define. */
const EXTENSION_SPELLINGS: ReadonlySet<string> = new Set(
  EXTENSIONS.flatMap((args) =>
    args.filter((a) => a.startsWith('--') && a !== '--').map((a) => a.split('=')[0]!),
  ),
);
const hasExtension = (args: readonly string[]): boolean => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => EXTENSION_SPELLINGS.has(a.split('=')[0]!));
};

describe('extension spellings vs psmisc', { skip: psmiscSkip, concurrency: 1 }, () => {
  for (const args of PSMISC_OWNED) {
    it(`psmisc's: ${args.join(' ')}`, () => {
      const { psmisc, ours } = runBoth({ victims, args: [...args], stdin: null, timeoutMs: 4000 });
      assert.deepEqual(comparable(ours), comparable(psmisc));
    });
  }
  for (const args of EXTENSIONS) {
    it(`ours: ${args.join(' ')} (psmisc: usage error)`, () => {
      const { psmisc, ours } = runBoth({ victims, args: [...args], stdin: null, timeoutMs: 8000 });
      assert.ok(psmiscUsage(psmisc), `psmisc rejects it: ${psmisc.stderr}`);
      assert.notEqual(ours.stderr.endsWith(USAGE), true, 'ours gives it a meaning');
      if (args.includes('--dry-run') || args.includes('--d'))
        assert.deepEqual(ours.victims.a?.signals, [], '--dry-run sends nothing');
      if (args.some((a) => a.startsWith('--pi'))) {
        assert.equal(ours.stderr, 'killall-ts: --pick needs a terminal on stdin and stdout\n');
        assert.equal(ours.rc, 1);
        for (const v of Object.values(ours.victims)) assert.deepEqual(v.signals, [], '--pick sent nothing');
      }
    });
  }

  // Seeded fuzzing over psmisc's tokens and the new spellings: equal to psmisc unless psmisc gave its usage error
  // for an argv with an extension spelling (which ours may then define).
  const TOKENS = [
    '-v',
    '-e',
    '-g',
    '-i',
    '-q',
    '-w',
    '-r',
    '-9',
    '-HUP',
    '-s',
    '--',
    'hx7a',
    'hx7b',
    'hx7zz',
    '5',
    '1s',
    'x',
    '--dry-run',
    '--d',
    '--json',
    '--tree',
    '--tr',
    '--kill-after',
    '--timeout',
    '--t',
    '--e',
    '--p',
    '-dry-run',
    '--kill-after=1',
    '--ti=1',
    '--explain',
    '--pick',
    '-tree',
  ];
  const cases = fc.sample(
    fc.record({
      args: fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 5 }),
      stdin: fc.constantFrom<string | null>(null, 'y\n', 'n\n'),
    }),
    { numRuns: 24, seed: 8080 },
  );
  for (const { args, stdin } of cases) {
    it(`fuzz ${JSON.stringify(args)} stdin ${JSON.stringify(stdin)}`, () => {
      const { psmisc, ours } = runBoth({ victims, args, stdin, timeoutMs: 6000 });
      if (psmiscUsage(psmisc)) {
        // An argv that psmisc rejects is ours to define only through an extension spelling.
        if (hasExtension(args)) return;
        assert.ok(psmiscUsage(ours), `ours prints psmisc's usage error too: ${ours.stderr}`);
      }
      assert.deepEqual(comparable(ours), comparable(psmisc));
    });
  }
});
