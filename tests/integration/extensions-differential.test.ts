/**
 * The extension spellings against psmisc, in private PID namespaces: every argv that psmisc accepts keeps psmisc's
 * meaning (same signals, output and status), and an extension only gives a meaning to an argv psmisc rejects with its
 * usage error. Kept apart from the psmisc differential suite and fuzzer, whose verdicts stay as they were.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { USAGE } from '../../src/cli/usage.js';
import { comparable, psmiscSkip, runBoth } from '../helpers/ns.js';
import type { RunResult } from '../helpers/scenario.js';
import {
  EXTENSIONS,
  extensionScenario,
  FUZZ_CASES,
  fuzzScenario,
  ownedScenario,
  PSMISC_OWNED,
} from './spelling-scenarios.js';

/** psmisc rejected the argv with its usage error (nothing sent). */
const psmiscUsage = (r: RunResult): boolean =>
  r.rc === 1 && r.stderr.endsWith(USAGE) && Object.values(r.victims).every((v) => v.signals.length === 0);

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
      const { psmisc, ours } = runBoth(ownedScenario(args));
      assert.deepEqual(comparable(ours), comparable(psmisc));
    });
  }
  for (const args of EXTENSIONS) {
    it(`ours: ${args.join(' ')} (psmisc: usage error)`, () => {
      const { psmisc, ours } = runBoth(extensionScenario(args));
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

  for (const c of FUZZ_CASES) {
    const { args, stdin } = c;
    it(`fuzz ${JSON.stringify(args)} stdin ${JSON.stringify(stdin)}`, () => {
      const { psmisc, ours } = runBoth(fuzzScenario(c));
      if (psmiscUsage(psmisc)) {
        // An argv that psmisc rejects is ours to define only through an extension spelling.
        if (hasExtension(args)) return;
        assert.ok(psmiscUsage(ours), `ours prints psmisc's usage error too: ${ours.stderr}`);
      }
      assert.deepEqual(comparable(ours), comparable(psmisc));
    });
  }
});
