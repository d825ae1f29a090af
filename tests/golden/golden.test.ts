/**
 * Golden (baseline) tests: every case of tests/golden/cases-*.ts runs in the fixed fake world and must write down
 * exactly what tests/golden/baselines/GROUP.txt holds, byte for byte. `npm run golden:update` (UPDATE_GOLDEN=1)
 * rewrites the files instead; review their diff before committing it. See tests/golden/README.md.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { realSystem } from '../../src/system.js';
import { baselineText, lineDiff, readBaseline, sectionsOf, updating, writeBaseline } from './baseline.js';
import { EXPLAIN_CASES, EXTENSION_CASES, KILLALL_TS_CASES } from './cases-extensions.js';
import { LIBRARY_CASES } from './cases-library.js';
import { PSMISC_CASES } from './cases-psmisc.js';
import { type GoldenCase, runCase } from './harness.js';

const GROUPS: readonly { group: string; title: string; cases: readonly GoldenCase[] }[] = [
  { group: 'psmisc', title: "psmisc's options through the CLI", cases: PSMISC_CASES },
  { group: 'extensions', title: "killall-ts's extensions through the CLI", cases: EXTENSION_CASES },
  { group: 'explain', title: '--explain through the CLI', cases: EXPLAIN_CASES },
  { group: 'killall-ts', title: 'the killall-ts command name', cases: KILLALL_TS_CASES },
  { group: 'library', title: 'the library entry points', cases: LIBRARY_CASES },
];

describe('golden: the harness', () => {
  it('refuses the real System and process.kill', () => {
    assert.throws(
      () => realSystem.readdir('/proc'),
      /golden: the real System was reached \(realSystem\.readdir\)/,
    );
    assert.throws(
      () => process.kill(process.pid, 0),
      /golden: the real System was reached \(process\.kill\)/,
    );
  });
  it('every case name is unique within its group', () => {
    for (const { group, cases } of GROUPS) {
      const names = cases.map((c) => c.name);
      assert.deepEqual(
        names.filter((n, i) => names.indexOf(n) !== i),
        [],
        group,
      );
    }
  });
});

for (const { group, title, cases } of GROUPS) {
  describe(`golden: ${title} (baselines/${group}.txt)`, () => {
    const actual = new Map<string, string>();
    let expected: string | null = null;
    before(async () => {
      for (const c of cases) actual.set(c.name, await runCase(c));
      const text = baselineText(title, [...actual.values()]);
      if (updating) writeBaseline(group, text);
      expected = readBaseline(group);
    });
    for (const c of cases) {
      it(c.name, () => {
        assert.ok(expected !== null, `no baselines/${group}.txt: run npm run golden:update`);
        const want = sectionsOf(expected).get(c.name);
        const got = actual.get(c.name)!;
        assert.ok(want !== undefined, `no baseline for this case: run npm run golden:update\n${got}`);
        if (want !== got)
          assert.fail(`differs from baselines/${group}.txt (- baseline, + now):\n${lineDiff(want, got)}`);
      });
    }
    it('the file holds these cases and nothing else, byte for byte', () => {
      assert.ok(expected !== null);
      const stale = [...sectionsOf(expected).keys()].filter((n) => !actual.has(n));
      assert.deepEqual(stale, [], 'cases no longer run: npm run golden:update removes them');
      assert.ok(
        expected === baselineText(title, [...actual.values()]),
        'the file differs: a case above, the order of the cases, or the header',
      );
    });
  });
}
