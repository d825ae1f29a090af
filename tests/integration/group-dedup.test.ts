/**
 * `-i -g` on a real process group of two same-name members, in a private PID namespace: one prompt for the group,
 * one group signal, and nothing on stderr, as psmisc. Before the fix the second member was pinned and examined
 * after the group signal had reached it, and under load killall-ts printed `hx7gg(PID): No such process`; the
 * de-duplication now comes first, from the scan's pgid, so no timing can bring that line back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OURS, PSMISC, psmiscSkip, runScenario } from '../helpers/ns.js';
import type { Scenario } from '../helpers/scenario.js';

const sc: Scenario = {
  victims: [{ label: 'a', exe: 'hx7gg', detached: true, args: ['--fork', 'hx7gg'] }],
  args: ['-i', '-g', 'hx7gg'],
  stdin: 'y\n',
};

describe('-i -g: one prompt per group, no spurious ESRCH (real namespace)', { skip: psmiscSkip }, () => {
  it('prints what psmisc prints, run after run', () => {
    const psmisc = runScenario([PSMISC], sc);
    assert.match(psmisc.stdout, /^Kill hx7gg\(pgid \d+\) \? \(y\/N\) $/);
    assert.equal(psmisc.stderr, '');
    for (let i = 0; i < 5; i++) {
      const ours = runScenario([OURS], sc);
      assert.match(ours.stdout, /^Kill hx7gg\(pgid \d+\) \? \(y\/N\) $/, `run ${i}: one prompt`);
      assert.equal(ours.stderr, '', `run ${i}: nothing on stderr`);
      assert.equal(ours.rc, 0);
      assert.deepEqual([ours.victims.a!.signals, ours.victims['a.child']!.signals], [[15], [15]]);
    }
  });
});
